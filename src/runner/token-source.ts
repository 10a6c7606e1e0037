import { exec } from 'node:child_process'
import { err, ok, type Result } from '../contract/index.js'
import type { Target } from './target.js'

/** The subscriber a request speaks for when its step names none (the one `callsim serve` prints a token for). */
export const DEFAULT_SUBSCRIBER = 'tel:+15550001'

interface TokenRequest {
  readonly sub: string
  readonly scope?: string | undefined
  readonly claims?: Readonly<Record<string, unknown>> | undefined
}

/** Gives the bearer token a request carries. */
export interface TokenSource {
  token(request: TokenRequest): Promise<Result<string, string>>
}

function keyOf(request: TokenRequest): string {
  return JSON.stringify([request.sub, request.scope ?? null, request.claims ?? null])
}

/** Remembers every token it got, so a run asks once per subscriber, scope and claims. */
function cached(source: (request: TokenRequest) => Promise<Result<string, string>>): TokenSource {
  const tokens = new Map<string, string>()
  return {
    async token(request) {
      const key = keyOf(request)
      const known = tokens.get(key)
      if (known !== undefined) return ok(known)
      const got = await source(request)
      if (got.ok) tokens.set(key, got.value)
      return got
    },
  }
}

/** `--token`: one token for every request, whatever subscriber the step names. */
export function createFixedTokenSource(token: string): TokenSource {
  return { token: () => Promise.resolve(ok(token)) }
}

/**
 * `--token-command`: runs the command through the shell and uses what it prints. The command sees
 * the step's subscriber and scope as CALLSIM_TOKEN_SUB and CALLSIM_TOKEN_SCOPE, so one command can
 * serve several subscribers (e.g. `callsim token --sub "$CALLSIM_TOKEN_SUB" --scope "$CALLSIM_TOKEN_SCOPE"`).
 */
export function createCommandTokenSource(command: string, timeoutMs = 30_000): TokenSource {
  return cached(
    (request) =>
      new Promise((resolve) => {
        const env = {
          ...process.env,
          CALLSIM_TOKEN_SUB: request.sub,
          CALLSIM_TOKEN_SCOPE: request.scope ?? '',
        }
        exec(
          command,
          { env, timeout: timeoutMs, maxBuffer: 1024 * 1024 },
          (error, stdout, stderr) => {
            if (error) {
              const detail = String(stderr).trim().split('\n')[0] || error.message.split('\n')[0]
              const why = error.killed
                ? `did not finish within ${timeoutMs} ms`
                : `exited with ${String(error.code ?? 'an error')}`
              resolve(
                err(
                  `Failed to get a token from --token-command: the command ${why}${detail ? `: ${detail}` : ''}.`,
                ),
              )
              return
            }
            const token = String(stdout).trim().split('\n').pop()?.trim() ?? ''
            if (token === '')
              resolve(
                err(
                  'Failed to get a token from --token-command: the command printed nothing; it must print the token on stdout.',
                ),
              )
            else resolve(ok(token))
          },
        )
      }),
  )
}

/**
 * Without --token or --token-command: a callsim target mints tokens for each subscriber through its
 * control API; any other target cannot, and the step says so.
 */
export function createTargetTokenSource(target: Target): TokenSource {
  return cached(async (request) => {
    const kind = await target.describe()
    if (!kind.ok) return kind
    if (kind.value.kind !== 'callsim') {
      return err(
        `Failed to get a token for ${request.sub}: ${target.url} is not a callsim, so the runner cannot mint one. Pass --token or --token-command.`,
      )
    }
    return target.mintToken(request)
  })
}
