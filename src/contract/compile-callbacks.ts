import type { ValidateFunction } from 'ajv'
import { CompileCache } from './compile-cache.js'
import type { SpecProblem } from './errors.js'
import { HTTP_METHODS, deref, isObject, operationsOf, type LoadedSpec } from './load-spec.js'
import { err, ok, type Result } from './result.js'
import { createSchemaCompilers } from './schema-compiler.js'
import { checkExamples } from './spec-defects.js'
import { findMediaType, mediaTypeOf, runValidator } from './validate.js'
import type { Violation } from './violation.js'
import { toPointer } from './yaml-source.js'

/**
 * The request callsim sends to a consumer's callback (a webhook), compiled once at start-up.
 * The operation index ignores callbacks: they are not routes callsim serves but requests it makes.
 */
export interface CompiledCallback {
  /** The callback's name under `callbacks`, e.g. `notifications`. */
  readonly name: string
  /** The runtime expression that names the URL, e.g. `{$request.body#/sink}`. */
  readonly expression: string
  readonly method: string
  /** The operation that declares the callback. */
  readonly parentOperationId: string
  /** The callback's own operationId; CAMARA repeats the parent's. */
  readonly operationId: string
  readonly requestBody:
    | {
        readonly required: boolean
        readonly content: ReadonlyMap<string, ValidateFunction | undefined>
      }
    | undefined
}

/** How compiled callbacks are keyed: `notifications {$request.body#/sink} POST`. */
export function callbackKey(name: string, expression: string, method: string): string {
  return `${name} ${expression} ${method.toUpperCase()}`
}

/**
 * Compiles the request body validators of every callback the spec's operations declare.
 * @example compileCallbacks(spec).value.get(callbackKey('notifications', '{$request.body#/sink}', 'post'))
 */
export function compileCallbacks(
  spec: LoadedSpec,
  cache: CompileCache = new CompileCache(),
  /** Receives the examples that break their own schema (spec-defects.ts). */
  warnings?: SpecProblem[],
): Result<ReadonlyMap<string, CompiledCallback>, SpecProblem[]> {
  const problems: SpecProblem[] = []
  // The same compiler as the operations' bodies, so the cache covers callbacks too.
  const { bodies } = createSchemaCompilers(spec, cache)
  const compile = (pointer: string): ValidateFunction | undefined => {
    try {
      return bodies.compile({ $ref: `request.json#${pointer}` })
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      problems.push({
        source: spec.source,
        pointer,
        line: spec.lineOf(pointer),
        message: `callback schema cannot be compiled: ${reason}`,
      })
      return undefined
    }
  }

  const callbacks = new Map<string, CompiledCallback>()
  for (const { operation, pointer: operationPointer } of operationsOf(spec.document)) {
    for (const [name, entry] of Object.entries(
      isObject(operation.callbacks) ? operation.callbacks : {},
    )) {
      const callback = deref(spec.document, entry)
      if (!isObject(callback.value)) continue
      const callbackPointer =
        callback.pointer?.slice(1) ?? `${operationPointer}${toPointer(['callbacks', name])}`
      for (const [expression, callbackItem] of Object.entries(callback.value)) {
        if (!isObject(callbackItem)) continue
        for (const callbackMethod of HTTP_METHODS) {
          const request = callbackItem[callbackMethod]
          if (!isObject(request)) continue
          const requestPointer = `${callbackPointer}${toPointer([expression, callbackMethod])}`
          let requestBody: CompiledCallback['requestBody']
          const body = deref(spec.document, request.requestBody)
          if (isObject(body.value)) {
            const bodyPointer = body.pointer?.slice(1) ?? `${requestPointer}/requestBody`
            const content = new Map<string, ValidateFunction | undefined>()
            for (const [mediaType, media] of Object.entries(
              isObject(body.value.content) ? body.value.content : {},
            )) {
              const hasSchema = isObject(media) && media.schema !== undefined
              const mediaPointer = `${bodyPointer}${toPointer(['content', mediaType])}`
              const validate = hasSchema ? compile(`${mediaPointer}/schema`) : undefined
              content.set(mediaType.toLowerCase(), validate)
              if (validate)
                warnings?.push(
                  ...checkExamples(spec, media, mediaPointer, (value) => validate(value)),
                )
            }
            requestBody = { required: body.value.required === true, content }
          }
          callbacks.set(callbackKey(name, expression, callbackMethod), {
            name,
            expression,
            method: callbackMethod.toUpperCase(),
            parentOperationId: operation.operationId,
            operationId:
              typeof request.operationId === 'string' ? request.operationId : operation.operationId,
            requestBody,
          })
        }
      }
    }
  }
  if (problems.length > 0) return err(problems)
  return ok(callbacks)
}

/** Checks a callback request callsim is about to send; violations carry direction `callback`. */
export function validateCallbackRequest(
  callback: CompiledCallback,
  parts: { readonly contentType: string | undefined; readonly body: unknown },
): Violation[] {
  const base = { direction: 'callback', operationId: callback.operationId } as const
  const declared = callback.requestBody
  if (!declared) {
    return parts.body === undefined
      ? []
      : [
          {
            ...base,
            location: 'body',
            path: 'body',
            keyword: 'no-content',
            message: `the ${callback.name} callback declares no request body, but one was built`,
          },
        ]
  }
  if (parts.body === undefined) {
    return declared.required
      ? [
          {
            ...base,
            location: 'body',
            path: 'body',
            keyword: 'required-body',
            message: `the ${callback.name} callback requires a request body`,
          },
        ]
      : []
  }
  const mediaType = mediaTypeOf(parts.contentType)
  const key = mediaType === undefined ? undefined : findMediaType(declared.content, mediaType)
  if (key === undefined) {
    const accepted = [...declared.content.keys()].join(', ')
    return [
      {
        ...base,
        location: 'content-type',
        path: 'header.content-type',
        keyword: 'content-type',
        message: `Content-Type ${mediaType ?? '(none)'} is not declared for the ${callback.name} callback (declared: ${accepted})`,
      },
    ]
  }
  const validate = declared.content.get(key)
  return validate ? runValidator(validate, parts.body, base, 'body', 'callback body') : []
}
