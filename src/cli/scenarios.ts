import type { Command } from 'commander'
import { createSimulator } from '../app/index.js'
import type { CommandIo } from './cli-io.js'
import { collect } from './parse-options.js'

interface ScenariosFlags {
  scenarios?: string[]
  spec?: string[]
  specStrict?: boolean
  json?: boolean
}

/**
 * `callsim scenarios`: loads the scenarios exactly as `serve` would (schema and spec checks
 * included, so a broken file fails here too) and lists id, source file and description.
 */
export function registerScenarios(program: Command, io: CommandIo): void {
  program
    .command('scenarios')
    .description('list the scenarios callsim serve would load: id, source file and description')
    .option(
      '--scenarios <path>',
      'also load this scenario file, or the scenario files in this folder (repeatable)',
      collect,
    )
    .option(
      '--spec <file>',
      'check fault plans against this OpenAPI file instead of the built-in spec with the same operationIds (repeatable)',
      collect,
    )
    .option('--spec-strict', 'read the spec files exactly as written, as serve --spec-strict does')
    .option('--json', 'print JSON instead of text')
    .action((flags: ScenariosFlags) => {
      const simulator = createSimulator(
        {
          scenarioPaths: flags.scenarios ?? [],
          specs: flags.spec ?? [],
          specReading: flags.specStrict ? 'literal' : 'tolerant',
          clock: 'virtual',
          logLevel: 'silent',
          seed: 0,
        },
        io.compileCache,
      )
      const scenarios = simulator.scenarios.list()
      const setAside = simulator.setAsideScenarios
      simulator.dispose()
      if (flags.json) {
        const rows = [
          ...scenarios.map((s) => ({
            id: s.id,
            description: s.description,
            source: s.origin.source,
            line: s.origin.line,
          })),
          ...setAside.map((s) => ({
            id: s.id,
            source: s.source,
            applicable: false,
            reason: s.reason,
          })),
        ]
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
        return
      }
      const lines = scenarios.flatMap((s) => [
        `${s.id}  (${s.origin.source}${s.origin.line === undefined || s.origin.pointer === '' ? '' : `:${s.origin.line}`})`,
        `    ${s.description}`,
      ])
      // Shipped scenarios the served specs cannot express: listed, but not in force.
      const notApplicable = setAside.flatMap((s) => [
        `${s.id}  (${s.source})  not applicable`,
        `    ${s.reason}`,
      ])
      const tail =
        setAside.length === 0 ? '' : `, ${setAside.length} not applicable to the served specs`
      io.stdout.write(
        `${[...lines, ...notApplicable].join('\n')}\n\n${scenarios.length} scenarios${tail}. Pick one per request with the header x-callsim-scenario: <id>, or see docs/scenarios.md.\n`,
      )
    })
}
