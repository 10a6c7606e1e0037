// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const layer = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`]
const deepImport = (name) => ({
  group: layer(name)
    .map((p) => `${p}`)
    .concat(layer(name).map((p) => `!${p.replace('*', 'index.js')}`)),
  message: `Import ${name}/ only through its index.ts.`,
})
const LAYERS = ['core', 'contract', 'scenario', 'apis', 'http', 'notify', 'runner', 'app', 'cli']
const importRules = (patterns = []) => [
  'error',
  { patterns: [...patterns, ...LAYERS.map(deepImport)] },
]
const forbid = (names, why) => ({
  group: names
    .flatMap(layer)
    .concat(names.flatMap((n) => layer(n).map((p) => p.replace('/*', '/index.js')))),
  message: why,
})

const PURE_GLOBALS = [
  { name: 'setTimeout', message: 'Schedule through the Clock.' },
  { name: 'setInterval', message: 'Schedule through the Clock.' },
  { name: 'process', message: 'The core is pure; read the environment in app/.' },
]
const PURE_PROPERTIES = [
  { object: 'Date', property: 'now', message: 'Read time from the Clock.' },
  { object: 'Math', property: 'random', message: 'Use the seeded Random.' },
]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
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
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules(),
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules([
        forbid(
          ['contract', 'scenario', 'apis', 'http', 'notify', 'runner', 'app', 'cli'],
          'core imports nothing from src/.',
        ),
        { group: ['express', 'node:*', 'fs'], message: 'core is pure TypeScript.' },
      ]),
      'no-restricted-globals': ['error', ...PURE_GLOBALS],
      'no-restricted-properties': ['error', ...PURE_PROPERTIES],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read time from the Clock.',
        },
      ],
    },
  },
  {
    files: ['src/scenario/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules([
        forbid(
          ['apis', 'http', 'notify', 'runner', 'app', 'cli'],
          'scenario depends on core and contract only.',
        ),
        {
          group: ['express', 'node:*', 'fs'],
          message: 'scenario is pure; files are read in app/.',
        },
      ]),
      'no-restricted-globals': ['error', ...PURE_GLOBALS],
      'no-restricted-properties': ['error', ...PURE_PROPERTIES],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules([
        forbid(
          ['core', 'scenario', 'apis', 'http', 'notify', 'runner', 'app', 'cli'],
          'contract depends on nothing internal.',
        ),
        { group: ['express', 'node:fs', 'fs'], message: 'contract takes text, not paths.' },
      ]),
    },
  },
  {
    files: ['src/apis/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules([
        forbid(
          ['http', 'notify', 'runner', 'app', 'cli'],
          'faces map plain requests; they know no HTTP framework.',
        ),
        { group: ['express', 'node:*'], message: 'faces are protocol-neutral.' },
      ]),
    },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': importRules([
        forbid(['notify', 'runner', 'app', 'cli'], 'http sits below app and cli.'),
      ]),
    },
  },
)
