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
export function readCallTemplates(file: string | undefined, cache: CompileCache): CallTemplates {
  const { text, source } = readSource(file ?? builtInPath(DEFAULT_CALL_TEMPLATES_FILE))
  const parsed = parseCallTemplates(text, source, cache)
  if (!parsed.ok) throw new StartupError(parsed.error)
  return parsed.value
}
