import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import {
  StartupError,
  createSimulator,
  type RunningSimulator,
  type Simulator,
} from '../app/index.js'
import {
  MAX_REAL_WAIT_MS,
  OperationCatalog,
  PACKAGE_ROOT,
  Target,
  collectFiles,
  createCommandTokenSource,
  createFixedTokenSource,
  createProgressReporter,
  createTargetTokenSource,
  loadBuiltInSpecs,
  loadSpecFiles,
  readRunFiles,
  runFiles,
  summaryLine,
  toJUnitXml,
  type RunFile,
} from '../runner/index.js'
import { collect, parseDurationOption, parseInteger } from './parse-options.js'

interface RunFlags {
  target?: string
  adminToken?: string
  token?: string
  tokenCommand?: string
  spec?: string[]
  junit?: string
  bail?: boolean
  timeout: number
  seed: number
}

/** Exit codes: 0 every scenario passed, 1 one failed (or none ran), 2 the run could not start. */
const EXIT_FAILED = 1
const EXIT_USAGE = 2

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'play the client steps of scenario files against a target and report (docs/runner.md)',
    )
    .argument('<paths...>', 'scenario files, or directories to search for .yaml/.yml/.json files')
    .option(
      '--target <url>',
      'base URL of a callsim or a provider (default: an in-process callsim with a virtual clock)',
    )
    .option('--token <token>', 'bearer token for every request')
    .option(
      '--token-command <command>',
      'shell command that prints a token; it sees $CALLSIM_TOKEN_SUB and $CALLSIM_TOKEN_SCOPE',
    )
    .option(
      '--admin-token <token>',
      'the --admin-token of a callsim target, for its control API (default: $CALLSIM_ADMIN_TOKEN)',
    )
    .option(
      '--spec <file>',
      'OpenAPI file the target implements; replaces the built-in spec with the same operationIds (repeatable)',
      collect,
    )
    .option('--junit <file>', 'write a JUnit XML report here')
    .option('--bail', 'stop at the first failed scenario')
    .option(
      '--timeout <duration>',
      'how long to wait for each response',
      parseDurationOption,
      30_000,
    )
    .option('--seed <n>', 'seed of the in-process callsim', parseInteger(0, 2 ** 31 - 1), 1)
    .action(async (paths: string[], flags: RunFlags) => {
      process.exitCode = await run(paths, flags)
    })
}

/**
 * The folders an in-process callsim must load for the given paths: a folder itself, a file's
 * folder; the shipped scenarios/ folder is loaded anyway and left out, or its ids would clash.
 */
function scenarioDirsOf(paths: readonly string[]): string[] {
  const shipped = path.join(PACKAGE_ROOT, 'scenarios')
  const dirs = paths
    .filter((given) => existsSync(given))
    .map((given) => path.resolve(statSync(given).isDirectory() ? given : path.dirname(given)))
    .filter((dir) => dir !== shipped && !dir.startsWith(`${shipped}${path.sep}`))
  return [...new Set(dirs)]
}

/**
 * Without --target the run gets its own callsim: virtual clock (waits cost nothing), fixed seed,
 * the folders of the given files (so their scenarios answer to their ids) and the runner's
 * http:// sink on 127.0.0.1 allowed. Scenario files it refuses are listed, and it starts without
 * them: their scenarios then fail one by one, and the others still run.
 */
async function startInProcess(
  paths: readonly string[],
  flags: RunFlags,
): Promise<RunningSimulator | string> {
  const options = {
    host: '127.0.0.1',
    port: 0,
    clock: 'virtual',
    seed: flags.seed,
    logLevel: 'silent',
    specs: flags.spec ?? [],
    allowHttpSinks: true,
  } as const
  let simulator: Simulator
  try {
    simulator = createSimulator({ ...options, scenarioDirs: scenarioDirsOf(paths) })
  } catch (error) {
    if (!(error instanceof StartupError)) throw error
    try {
      simulator = createSimulator(options)
    } catch (retryError) {
      if (!(retryError instanceof StartupError)) throw retryError
      return `the in-process callsim could not start:\n${retryError.problems.map((p) => `  - ${p}`).join('\n')}`
    }
    process.stdout.write(
      `callsim run: the in-process callsim refused these scenario files, so their scenarios cannot run:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    )
  }
  const running = await simulator.listen()
  process.stdout.write(
    `callsim run: in-process callsim at ${running.url} (seed ${simulator.seed}, virtual clock)\n`,
  )
  return running
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`)
  return EXIT_USAGE
}

async function run(paths: string[], flags: RunFlags): Promise<number> {
  if (flags.token !== undefined && flags.tokenCommand !== undefined)
    return usage('give --token or --token-command, not both.')
  if (flags.target !== undefined) {
    try {
      const url = new URL(flags.target)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme')
    } catch {
      return usage(`--target must be an http:// or https:// URL, got "${flags.target}".`)
    }
  }
  const collected = collectFiles(paths)
  // A path that does not exist fails like a bad file: reported, counted, and the run goes on.
  const missing: RunFile[] = collected.missing.map((source) => ({
    source,
    scenarios: [],
    problems: [{ source, pointer: '', message: 'no such file or directory' }],
  }))
  const files = [...missing, ...readRunFiles(collected.files)]

  let simulator: RunningSimulator | undefined
  let targetUrl = flags.target
  if (targetUrl === undefined) {
    const started = await startInProcess(paths, flags)
    if (typeof started === 'string') return usage(started)
    simulator = started
    targetUrl = simulator.url
  } else {
    process.stdout.write(`callsim run: target ${targetUrl}\n`)
  }

  // Loaded after an in-process callsim started: it installed the build's spec cache, so the
  // same built-in texts are not compiled twice.
  const userSpecs = loadSpecFiles(flags.spec ?? [])
  if (userSpecs.problems.length > 0) {
    await simulator?.close()
    return usage(
      `--spec files have problems:\n${userSpecs.problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  }
  const catalog = OperationCatalog.create(loadBuiltInSpecs(), userSpecs.specs)

  try {
    const target = new Target(
      targetUrl,
      flags.timeout,
      // The in-process callsim has no admin token; a target may (serve reads the same variable).
      flags.target === undefined
        ? undefined
        : (flags.adminToken ?? process.env.CALLSIM_ADMIN_TOKEN),
    )
    const tokens =
      flags.token !== undefined
        ? createFixedTokenSource(flags.token)
        : flags.tokenCommand !== undefined
          ? createCommandTokenSource(flags.tokenCommand)
          : createTargetTokenSource(target)
    const report = await runFiles(files, {
      target,
      catalog,
      tokens,
      env: process.env,
      requestTimeoutMs: flags.timeout,
      maxRealWaitMs: MAX_REAL_WAIT_MS,
      bail: flags.bail ?? false,
      listener: createProgressReporter(
        (text) => process.stdout.write(text),
        process.stdout.isTTY === true,
      ),
    })
    if (flags.junit !== undefined) {
      mkdirSync(path.dirname(path.resolve(flags.junit)), { recursive: true })
      writeFileSync(flags.junit, toJUnitXml(report))
    }
    const notes = [
      report.skipped > 0 ? `${report.skipped} scenario(s) without steps not run` : '',
      report.bailed ? 'stopped early by --bail' : '',
      flags.junit !== undefined ? `JUnit report: ${flags.junit}` : '',
    ].filter(Boolean)
    if (notes.length > 0) process.stdout.write(`\n${notes.join('; ')}\n`)
    // The summary stands alone on the last line, so CI logs and scripts can find it.
    process.stdout.write(`\n${summaryLine(report)}\n`)
    if (report.passed + report.failed === 0) {
      process.stderr.write(
        'error: no scenario with steps was found in the given paths; nothing was tested.\n',
      )
      return EXIT_FAILED
    }
    return report.failed === 0 ? 0 : EXIT_FAILED
  } finally {
    await simulator?.close()
  }
}
