#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run by `npm install` through `prepare`).
import { createRequire } from 'node:module'
createRequire(import.meta.url)('../dist/cli.cjs')
