// Build step (`npm run build` runs `node dist/app/build-spec-cache.js` after tsc): starts a
// simulator with the default options once, records every YAML text it parses and every
// validator it compiles, and writes them to dist/spec-cache. `callsim serve` then starts
// without re-parsing built-in YAML or re-running ajv's code generator; the validators are the
// same ajv code, compiled once, at build time. docs/performance.md explains the trade.
//
// It also records what the other commands need from shipped files: the official releases
// under spec/releases (served with --spec, checked by `callsim validate`; each release's files
// together), the Events spec relaxed for http:// sinks (`callsim run`'s in-process callsim,
// `serve --allow-http-sinks`) and the runner's steps schema (`callsim run`, `callsim validate`).
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { CompileCache } from '../contract/index.js'
import { compileStepsSchema } from '../scenario/index.js'
import { createSimulator } from './create-simulator.js'
import { writePrecompiledCache } from './precompiled-cache.js'
import { builtInPath } from './read-sources.js'

const recording = new CompileCache({ record: true })
const options = { clock: 'virtual', logLevel: 'silent', seed: 1 } as const
createSimulator(options, recording).dispose()
createSimulator({ ...options, allowHttpSinks: true }, recording).dispose()

const releases = builtInPath('spec/releases')
for (const release of readdirSync(releases, { withFileTypes: true })) {
  if (!release.isDirectory()) continue
  const folder = path.join(releases, release.name)
  const specs = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(folder, name))
  createSimulator({ ...options, specs }, recording).dispose()
}

const stepsSchema = readFileSync(builtInPath('spec/callsim-steps.schema.json'), 'utf8')
compileStepsSchema(JSON.parse(stepsSchema) as object, recording)

const written = writePrecompiledCache(recording.recorded())
process.stdout.write(
  `spec cache: ${written.documents} parsed documents and ${written.validators} validators (${Math.round(written.bytes / 1024)} KiB) in dist/spec-cache\n`,
)
