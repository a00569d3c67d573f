#!/usr/bin/env node
// The `amdahl` command: runs the bundled CLI (built by `npm run build`, which `npm ci` runs as prepare).
require('../dist/cli.js');
