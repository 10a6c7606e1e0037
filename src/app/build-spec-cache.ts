// Build step (`npm run build` runs `node dist/app/build-spec-cache.js` after tsc): starts a
// simulator with the default options once, records every YAML text it parses and every
// validator it compiles, and writes them to dist/spec-cache. `callsim serve` then starts
// without re-parsing built-in YAML or re-running ajv's code generator; the validators are the
// same ajv code, compiled once, at build time. docs/performance.md explains the trade.
import { CompileCache } from '../contract/index.js'
import { createSimulator } from './create-simulator.js'
import { writePrecompiledCache } from './precompiled-cache.js'

const recording = new CompileCache({ record: true })
createSimulator({ clock: 'virtual', logLevel: 'silent', seed: 1 }, recording).dispose()
const written = writePrecompiledCache(recording.recorded())
process.stdout.write(
  `spec cache: ${written.documents} parsed documents and ${written.validators} validators (${Math.round(written.bytes / 1024)} KiB) in dist/spec-cache\n`,
)
