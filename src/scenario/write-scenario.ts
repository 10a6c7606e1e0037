import { yamlLibrary } from '../contract/index.js'
import type { ScenarioDocument } from './record-scenarios.js'

// The YAML library is loaded when a scenario is first written (only recording writes them):
// a static import put all of it into the bin's bundle, which every start compiled and ran.

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_COMMENT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g

/** A comment's text as lines that cannot end the comment or open YAML of their own. */
function commentLines(text: string): string {
  return text
    .split('\n')
    .map((line) => ` ${line.replace(UNSAFE_IN_COMMENT, ' ').slice(0, 2000)}`)
    .join('\n')
}

/**
 * The scenario writer, the loader's inverse: a scenario document as YAML text that
 * createScenarioLoader reads back to the same content. Notes become comments before the items
 * they describe; values are quoted wherever YAML would read them as something else, and no
 * anchors or aliases are written, so the file stays within the loader's alias limit.
 * @example writeFileSync(`${document.id}.yaml`, writeScenario(document))
 */
export function writeScenario(document: ScenarioDocument): string {
  const { Document, isNode } = yamlLibrary()
  const yaml = new Document(document.content, { aliasDuplicateObjects: false })
  if (document.header.length > 0) yaml.commentBefore = commentLines(document.header.join('\n'))
  for (const note of document.notes) {
    const node: unknown = yaml.getIn(note.path, true)
    if (isNode(node)) {
      node.commentBefore = commentLines(
        node.commentBefore ? `${node.commentBefore.trim()}\n${note.text}` : note.text,
      )
    }
  }
  // lineWidth 0: long strings stay on one line instead of being folded.
  return yaml.toString({ lineWidth: 0 })
}
