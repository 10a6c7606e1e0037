// @ts-check
import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Which layers each folder of src/ may import (docs/architecture.md "Layers"): inward
 * only, and always through the other layer's index.ts. A folder of src/ that is not listed
 * here stops the lint (below), so a new layer cannot go unchecked.
 * @type {Record<string, { allowed: string[], why: string }>}
 */
const LAYERS = {
  core: { allowed: [], why: 'core imports nothing from src/.' },
  contract: { allowed: [], why: 'contract depends on nothing internal.' },
  scenario: { allowed: ['core', 'contract'], why: 'scenario depends on core and contract only.' },
  apis: {
    allowed: ['core', 'contract', 'scenario'],
    why: 'faces map plain requests; they know no HTTP framework.',
  },
  http: { allowed: ['core', 'contract', 'scenario', 'apis'], why: 'http sits below app and cli.' },
  notify: {
    allowed: ['core', 'contract'],
    why: 'notify turns core domain events into validated callbacks.',
  },
  runner: {
    allowed: ['contract', 'scenario'],
    why: 'the runner talks HTTP to any callsim or provider, never to core or the faces.',
  },
  proxy: {
    allowed: ['contract', 'scenario', 'apis', 'http', 'notify'],
    why: 'the proxy is a shell beside http/: it judges with contract/ and journals like http/, and never reaches into core.',
  },
  console: {
    allowed: [],
    why: 'the console serves its page; the page reads the simulator through the control API only.',
  },
  app: {
    allowed: ['core', 'contract', 'scenario', 'apis', 'http', 'notify', 'proxy', 'console'],
    why: 'app composes the layers below it; the CLI sits above it.',
  },
  cli: {
    allowed: ['app', 'runner'],
    why: 'the CLI builds callsim through app/ and runs through runner/.',
  },
  bin: { allowed: [], why: 'the bin only starts the bundled CLI.' },
}

const unlisted = readdirSync(new URL('./src/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !(entry.name in LAYERS))
  .map((entry) => `src/${entry.name}`)
if (unlisted.length > 0) {
  throw new Error(
    `eslint.config.js: add ${unlisted.join(', ')} to LAYERS with the layers it may import`,
  )
}

/** `../name/*` at every depth a file inside src/ can have. */
const layer = (/** @type {string} */ name) => [
  `../${name}/*`,
  `../../${name}/*`,
  `../../../${name}/*`,
]
const deepImport = (/** @type {string} */ name) => ({
  group: [...layer(name), ...layer(name).map((p) => `!${p.replace('*', 'index.js')}`)],
  message: `Import ${name}/ only through its index.ts.`,
})
const forbid = (/** @type {string[]} */ names, /** @type {string} */ why) => ({
  group: names.flatMap((n) => [...layer(n), ...layer(n).map((p) => p.replace('/*', '/index.js'))]),
  message: why,
})

/**
 * @param {string} name
 * @param {{ group: string[], message: string }[]} extra
 * @returns {import('eslint').Linter.RuleEntry}
 */
const importRules = (name, extra = []) => {
  const entry = LAYERS[name]
  if (!entry) throw new Error(`eslint.config.js: no layer rule for src/${name}`)
  const others = Object.keys(LAYERS).filter((other) => other !== name)
  const denied = others.filter((other) => !entry.allowed.includes(other))
  return [
    'error',
    {
      patterns: [
        ...(denied.length > 0 ? [forbid(denied, entry.why)] : []),
        ...extra,
        ...others.map(deepImport),
      ],
    },
  ]
}

const PURE_GLOBALS = [
  { name: 'setTimeout', message: 'Schedule through the Clock.' },
  { name: 'setInterval', message: 'Schedule through the Clock.' },
  { name: 'process', message: 'The core is pure; read the environment in app/.' },
]
const PURE_PROPERTIES = [
  { object: 'Date', property: 'now', message: 'Read time from the Clock.' },
  { object: 'Math', property: 'random', message: 'Use the seeded Random.' },
]
/** @type {Record<string, { group: string[], message: string }[]>} */
const PLATFORM_RULES = {
  core: [{ group: ['express', 'node:*', 'fs'], message: 'core is pure TypeScript.' }],
  scenario: [
    { group: ['express', 'node:*', 'fs'], message: 'scenario is pure; files are read in app/.' },
  ],
  contract: [{ group: ['express', 'node:fs', 'fs'], message: 'contract takes text, not paths.' }],
  apis: [{ group: ['express', 'node:*'], message: 'faces are protocol-neutral.' }],
  runner: [{ group: ['express'], message: 'the runner is an HTTP client.' }],
  console: [{ group: ['express', 'node:*'], message: 'the console shell is protocol-neutral.' }],
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      // Type-aware rules: each file is checked with the types of the tsconfig.json nearest to
      // it (the root one for src/ and test/, bench/tsconfig.json, scripts/tsconfig.json).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits loses its rejection: a server that failed to close, a
      // delivery that threw. `void promise` says the loss is intended.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A switch over a union must name every member, so adding a status or a fault kind
      // shows every place that has to decide what it means.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // '${x}' in a plain string is a template literal that lost its backticks.
      'no-template-curly-in-string': 'error',
    },
  },
  // The config itself is checked by tsc (scripts/tsconfig.json), not by typed rules.
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  ...Object.keys(LAYERS).map((name) => ({
    files: [`src/${name}/**/*.ts`],
    rules: { 'no-restricted-imports': importRules(name, PLATFORM_RULES[name]) },
  })),
  {
    // The console's page runs in the browser (its own tsconfig.json has the DOM types).
    files: ['src/console/page/**/*.ts'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        sessionStorage: 'readonly',
        URLSearchParams: 'readonly',
        TextDecoderStream: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', 'node:*'], message: 'the page imports only its own files.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/scenario/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...PURE_GLOBALS],
      'no-restricted-properties': ['error', ...PURE_PROPERTIES],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read time from the Clock.',
        },
      ],
    },
  },
)
