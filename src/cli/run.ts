import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import {
  MAX_REAL_WAIT_MS,
  OperationCatalog,
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
import { parseBasePath, withBasePaths, type BasePaths } from './base-paths.js'
import type { CliIo, CommandIo } from './cli-io.js'
import { startInProcess, type InProcess } from './start-in-process.js'
import { collect, parseDurationOption, parseInteger } from './parse-options.js'
import { EXIT_USAGE, usageError } from './usage.js'

interface RunFlags {
  target?: string
  adminToken?: string
  token?: string
  tokenCommand?: string
  spec?: string[]
  basePath?: BasePaths
  junit?: string
  bail?: boolean
  timeout: number
  seed: number
}

/** Exit codes: 0 every scenario passed, 1 one failed (or none ran), 2 the run could not start. */
const EXIT_FAILED = 1

export function registerRun(program: Command, io: CommandIo): void {
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
    .option(
      '--base-path <face=path>',
      "call a face at this path of the target instead of its spec's servers path (repeatable), e.g. camara-call-handling=/api/webrtc/v1",
      parseBasePath,
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
    .action(async (paths: string[], flags: RunFlags, command: Command) => {
      checkRunFlags(flags, command)
      io.setExitCode(await run(paths, flags, io))
    })
}

/** Option combinations commander cannot check by itself. */
function checkRunFlags(flags: RunFlags, command: Command): void {
  if (flags.token !== undefined && flags.tokenCommand !== undefined)
    usageError(command, 'give --token or --token-command, not both.')
  if (flags.basePath !== undefined && flags.target === undefined)
    usageError(
      command,
      "--base-path needs --target: the in-process callsim serves every face at its spec's own path.",
    )
  if (flags.target !== undefined) {
    let protocol = ''
    try {
      protocol = new URL(flags.target).protocol
    } catch {
      // Not a URL at all: reported below, as a URL of another scheme is.
    }
    if (protocol !== 'http:' && protocol !== 'https:')
      usageError(
        command,
        `--target must be an http:// or https:// URL, e.g. http://127.0.0.1:9091; got "${flags.target}".`,
      )
  }
}

/** The run cannot start for a reason that is not an option's syntax (a file's problems). */
function cannotStart(io: CliIo, message: string): number {
  io.stderr.write(`error: ${message}\n`)
  return EXIT_USAGE
}

async function run(paths: string[], flags: RunFlags, io: CliIo): Promise<number> {
  const cache = io.compileCache
  const collected = collectFiles(paths)
  // A path that does not exist fails like a bad file: reported, counted, and the run goes on.
  const missing: RunFile[] = collected.missing.map((source) => ({
    source,
    scenarios: [],
    problems: [{ source, pointer: '', message: 'no such file or directory' }],
  }))

  let inProcess: InProcess | undefined
  let targetUrl = flags.target
  if (targetUrl === undefined) {
    const started = await startInProcess(collected.files, flags, io.stdout, cache)
    if (typeof started === 'string') return cannotStart(io, started)
    inProcess = started
    targetUrl = started.running.url
  } else {
    io.stdout.write(`callsim run: target ${targetUrl}\n`)
  }
  // A file the in-process callsim refused fails with its reasons, unless the runner has already
  // found the same problems in its steps.
  const files = [...missing, ...readRunFiles(collected.files, cache)].map((file) => {
    const reasons = inProcess?.refused.get(file.source) ?? []
    const known =
      file.problems.length > 0 || file.scenarios.some((scenario) => scenario.problems.length > 0)
    if (reasons.length === 0 || known) return file
    return { ...file, problems: reasons }
  })
  const simulator = inProcess?.running

  // Through the process's cache, as the in-process callsim: the same texts compile once, and
  // the built-in ones come from the build's dist/spec-cache.
  const userSpecs = loadSpecFiles(flags.spec ?? [], cache)
  if (userSpecs.problems.length > 0) {
    await simulator?.close()
    return cannotStart(
      io,
      `--spec files have problems:\n${userSpecs.problems.map((p) => `  - ${p}`).join('\n')}`,
    )
  }
  const builtIn = loadBuiltInSpecs(cache)
  const catalog = new OperationCatalog(
    withBasePaths(
      OperationCatalog.create(builtIn, userSpecs.specs).specs,
      builtIn,
      flags.basePath ?? {},
    ),
  )

  try {
    const target = new Target(
      targetUrl,
      flags.timeout,
      // The in-process callsim has no admin token; a target may (serve reads the same variable).
      flags.target === undefined ? undefined : (flags.adminToken ?? io.env.CALLSIM_ADMIN_TOKEN),
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
      compileCache: cache,
      tokens,
      env: io.env,
      requestTimeoutMs: flags.timeout,
      maxRealWaitMs: MAX_REAL_WAIT_MS,
      bail: flags.bail ?? false,
      listener: createProgressReporter((text) => io.stdout.write(text), io.stdout.isTTY),
    })
    if (flags.junit !== undefined) {
      mkdirSync(path.dirname(path.resolve(flags.junit)), { recursive: true })
      writeFileSync(flags.junit, toJUnitXml(report))
    }
    const notes = [
      report.skipped > 0 ? `${report.skipped} scenario(s) skipped (reasons above)` : '',
      report.bailed ? 'stopped early by --bail' : '',
      flags.junit !== undefined ? `JUnit report: ${flags.junit}` : '',
    ].filter(Boolean)
    if (notes.length > 0) io.stdout.write(`\n${notes.join('; ')}\n`)
    // The summary stands alone on the last line, so CI logs and scripts can find it.
    io.stdout.write(`\n${summaryLine(report)}\n`)
    if (report.passed + report.failed === 0) {
      io.stderr.write(
        'error: no scenario with steps was found in the given paths; nothing was tested.\n',
      )
      return EXIT_FAILED
    }
    return report.failed === 0 ? 0 : EXIT_FAILED
  } finally {
    await simulator?.close()
  }
}
