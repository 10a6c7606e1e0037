import {
  DEFAULT_CALL_TEMPLATES_FILE,
  parseCallTemplates,
  type CallTemplates,
} from '../apis/index.js'
import type { CompileCache } from '../contract/index.js'
import { StartupError, builtInPath, readSource } from './read-sources.js'

/**
 * The Click2Call call templates: the user's file (`--call-templates`) or the built-in
 * config/call-templates.yaml. A broken file stops start-up with every problem listed.
 */
export function readCallTemplates(
  file: string | undefined,
  cache: CompileCache,
  maxFileBytes: number,
): CallTemplates {
  // callsim's own file is not held to the user's limit.
  const { text, source } =
    file === undefined
      ? readSource(builtInPath(DEFAULT_CALL_TEMPLATES_FILE), Infinity)
      : readSource(file, maxFileBytes)
  const parsed = parseCallTemplates(text, source, cache)
  if (!parsed.ok) throw new StartupError(parsed.error)
  return parsed.value
}
