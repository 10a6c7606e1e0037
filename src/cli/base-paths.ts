import { InvalidArgumentError } from 'commander'
import { FACE_DEFINITIONS } from '../app/index.js'
import type { OperationCatalog } from '../runner/index.js'

type CompiledSpec = OperationCatalog['specs'][number]

/** The faces a run may point elsewhere: the API faces, not callsim's control API. */
const API_FACES = FACE_DEFINITIONS.filter((definition) => definition.id !== 'admin')

/** face id → the base path to use instead of the one in its spec's `servers`. */
export type BasePaths = Readonly<Record<string, string>>

/**
 * Commander parser of `--base-path <face>=<path>` (repeatable): a provider that serves the
 * CAMARA API at its own path, e.g. `camara-call-handling=/api/webrtc/v1`.
 */
export function parseBasePath(value: string, previous: BasePaths = {}): BasePaths {
  const [face = '', ...rest] = value.split('=')
  const ids = API_FACES.map((definition) => definition.id)
  if (!ids.includes(face) || rest.length === 0)
    throw new InvalidArgumentError(
      `expected <face>=<path> with a face of ${ids.join(', ')}, e.g. camara-call-handling=/api/webrtc/v1.`,
    )
  const path = rest.join('=').replace(/\/+$/, '')
  if (path !== '' && !path.startsWith('/'))
    throw new InvalidArgumentError(`the path must start with "/", e.g. ${face}=/${path}.`)
  return { ...previous, [face]: path }
}

/**
 * The specs with the chosen base paths: a spec takes the path of the face whose built-in spec
 * shares its operationIds (so a --spec replacement is moved with its face).
 */
export function withBasePaths(
  specs: readonly CompiledSpec[],
  builtIn: readonly CompiledSpec[],
  basePaths: BasePaths,
): CompiledSpec[] {
  const faceOf = (spec: CompiledSpec): string | undefined => {
    const ids = [...spec.operations.keys()]
    const home = builtIn.find((candidate) => ids.some((id) => candidate.operations.has(id)))
    const source = home?.spec.source.replaceAll('\\', '/')
    return API_FACES.find((definition) => source?.endsWith(definition.specFile))?.id
  }
  return specs.map((spec) => {
    const face = faceOf(spec)
    const basePath = face === undefined ? undefined : basePaths[face]
    return basePath === undefined ? spec : { ...spec, spec: { ...spec.spec, basePath } }
  })
}
