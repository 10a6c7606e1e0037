// Type-checks one or more tsconfig projects and lints their files with ESLint, in one process
// and over one TypeScript program per project. `tsc --noEmit` and `eslint .` each build the same
// programs and check the same types; here ESLint's typed rules reuse the checker that has already
// checked everything, which saves about a third of the two gates' CPU time.
//
//   node scripts/types-and-lint.js --project tsconfig.json --lint . --ignore 'bench/**'
//
// It reports what `tsc --noEmit -p <project>` and `eslint <lint>` would (except that a file a
// project imports from outside its `include` is type-checked only by the project that includes
// it), and exits 1 if either finds an error. A file it lints that belongs to none of the projects fails as a parse error,
// so a new file cannot slip past the typed rules. scripts/check.js runs it as part of `npm test`.
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ESLint } from 'eslint'
import ts from 'typescript'

const { values } = parseArgs({
  options: {
    project: { type: 'string', multiple: true, default: [] },
    lint: { type: 'string', multiple: true, default: [] },
    ignore: { type: 'string', multiple: true, default: [] },
  },
})
if (values.project.length === 0 || values.lint.length === 0) {
  process.stderr.write(
    'usage: node scripts/types-and-lint.js --project <tsconfig>... --lint <path>... [--ignore <glob>...]\n',
  )
  process.exit(2)
}

const formatHost = {
  getCurrentDirectory: () => process.cwd(),
  getCanonicalFileName: (/** @type {string} */ fileName) => fileName,
  getNewLine: () => '\n',
}
// scripts/check.js sets FORCE_COLOR when its own output is a terminal (ESLint's colours obey it).
const inColour = process.stdout.isTTY || (process.env.FORCE_COLOR ?? '0') !== '0'
const formatDiagnostics = inColour ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics

/**
 * Parsed files by name and parse options, shared by the programs of this process: the projects
 * extend one tsconfig, so the TypeScript and Node declarations (and src/ files the bench
 * imports) are parsed once, not once per project. A SourceFile is immutable once parsed.
 * @type {Map<string, ts.SourceFile | undefined>}
 */
const parsedFiles = new Map()

/** @param {ts.CompilerOptions} options */
function sharingHost(options) {
  const host = ts.createCompilerHost(options)
  const parse = host.getSourceFile
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const how =
      typeof languageVersionOrOptions === 'object'
        ? `${languageVersionOrOptions.languageVersion}:${languageVersionOrOptions.impliedNodeFormat}:${languageVersionOrOptions.jsDocParsingMode}`
        : String(languageVersionOrOptions)
    const key = `${fileName}\0${how}`
    if (!shouldCreateNewSourceFile && parsedFiles.has(key)) return parsedFiles.get(key)
    const sourceFile = parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile)
    parsedFiles.set(key, sourceFile)
    return sourceFile
  }
  return host
}

/**
 * The program `tsc -p <configPath>` builds, and the problems it would report in the project's
 * own files (its `include`). A file the project only imports from elsewhere (the bench imports
 * src/) is type-checked by the project that includes it, with the strict options of that
 * project, so checking its bodies again here would repeat that work; its declarations are still
 * read to check the uses here.
 * @param {string} configPath
 */
function checkProject(configPath) {
  /** @type {ts.Diagnostic[]} */
  const configProblems = []
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => configProblems.push(diagnostic),
  })
  if (!parsed) return { program: undefined, problems: configProblems }
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: parsed.errors,
    host: sharingHost(parsed.options),
  })
  const ownFiles = new Set(parsed.fileNames.map((fileName) => path.resolve(fileName)))
  const problems = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
  ]
  for (const sourceFile of program.getSourceFiles()) {
    problems.push(...program.getSyntacticDiagnostics(sourceFile))
    if (ownFiles.has(path.resolve(sourceFile.fileName)))
      problems.push(...program.getSemanticDiagnostics(sourceFile))
  }
  return { program, problems: ts.sortAndDeduplicateDiagnostics(problems) }
}

let failed = false
/** @type {ts.Program[]} */
const programs = []
for (const configPath of values.project) {
  const { program, problems } = checkProject(configPath)
  if (program) programs.push(program)
  if (problems.length > 0) {
    failed = true
    process.stdout.write(formatDiagnostics(problems, formatHost))
    process.stdout.write(`tsc -p ${configPath}: ${problems.length} error(s)\n`)
  }
}

const eslint = new ESLint({
  ignorePatterns: values.ignore,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs } } },
})
const results = await eslint.lintFiles(values.lint)
const formatter = await eslint.loadFormatter('stylish')
process.stdout.write(await formatter.format(results))
if (results.some((result) => result.errorCount > 0 || result.fatalErrorCount > 0)) failed = true

process.exit(failed ? 1 : 0)
