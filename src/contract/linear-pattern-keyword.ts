import type * as AjvModule from 'ajv'
import type { Ajv, CodeKeywordDefinition, KeywordCxt } from 'ajv'
import { compilePattern } from './compile-pattern.js'

/** ajv's code generation helpers, passed in so that ajv stays loaded on first use only. */
type Codegen = Pick<typeof AjvModule, '_' | 'str'>

/**
 * Replaces ajv's `pattern` keyword with one that runs every pattern through compilePattern
 * (linear time whatever the input) and skips it for a string that already breaks the
 * schema's `maxLength`: with `allErrors`, ajv would otherwise run the pattern on a megabyte
 * string that maxLength has refused. The error object is ajv's own (`pattern`, params
 * `{pattern}`), so messages do not change. Works in ajv's standalone code (the build-time
 * cache): a linear pattern is rebuilt there with `require("re2js")`.
 */
export function useLinearPatterns(ajv: Ajv, { _, str }: Codegen): void {
  const definition: CodeKeywordDefinition = {
    keyword: 'pattern',
    type: 'string',
    schemaType: 'string',
    error: {
      message: ({ schemaCode }) => str`must match pattern "${schemaCode}"`,
      params: ({ schemaCode }) => _`{pattern: ${schemaCode}}`,
    },
    code(cxt: KeywordCxt) {
      const { gen, data, parentSchema } = cxt
      const source = cxt.schema as string
      const flags = cxt.it.opts.unicodeRegExp === false ? '' : 'u'
      const compiled = compilePattern(source, flags)
      if (!compiled.ok) throw new Error(compiled.error)
      const { engine, nativeSources, re2Source } = compiled.value
      const pattern =
        engine === 'native'
          ? gen.scopeValue('pattern', {
              key: `native/${flags}/${source}`,
              ref: new RegExp(source, flags),
              code: _`new RegExp(${source}, ${flags})`,
            })
          : gen.scopeValue('pattern', {
              key: `${engine}/${flags}/${source}`,
              ref: compiled.value,
              // Self-contained (a reference to another scope value could be emitted after this
              // one), and re2js compiled on first use: a request that never needs it never
              // loads it. `split` tries its proven alternatives on V8's engine first.
              code: _`((natives, source) => { let compiled; return { test: (text) => natives.some((native) => native.test(text)) || (source !== "" && (compiled ??= require("re2js").RE2JS.compile(source)).test(text)) } })(JSON.parse(${JSON.stringify(nativeSources)}).map((native) => new RegExp(native, ${flags})), ${re2Source ?? ''})`,
            })
      const maxLength = (parentSchema as { maxLength?: unknown }).maxLength
      // A string of more than 2 × maxLength UTF-16 units has more than maxLength code points,
      // so maxLength has refused it already.
      cxt.fail(
        typeof maxLength === 'number'
          ? _`${data}.length <= ${2 * maxLength} && !${pattern}.test(${data})`
          : _`!${pattern}.test(${data})`,
      )
    },
  }
  ajv.removeKeyword('pattern')
  ajv.addKeyword(definition)
}
