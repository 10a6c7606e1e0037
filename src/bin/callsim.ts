#!/usr/bin/env node
// The `callsim` bin: it loads the CLI that scripts/bundle.js bundled into one CommonJS file,
// dist/bin/callsim-bundle.cjs. One file instead of ~300 modules is what keeps a start under
// the 300 ms target; docs/decisions/007-bin-code-cache.md has the figures.
import { createRequire } from 'node:module'

createRequire(import.meta.url)('./callsim-bundle.cjs')
