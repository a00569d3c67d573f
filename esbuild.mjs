// One build for every side: the CLI and runner (node), and later the extension, server, workers and webview.
import { copyFileSync, mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'warning' };

const builds = [
  {
    ...common,
    entryPoints: { cli: 'runner/cli.ts' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
  },
  // The Node.js harness: piscina stays external so it finds its own worker.js; esbuild compiles the target.
  {
    ...common,
    entryPoints: { 'js-harness': 'runner/node/harness.ts' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
    external: ['piscina', 'esbuild'],
  },
  // The thread piscina and the serial baseline load from dist/ (path.join(__dirname, 'js-worker.js')).
  {
    ...common,
    entryPoints: { 'js-worker': 'runner/node/worker.ts' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
  },
  // The VS Code extension: loads lazily (activate only builds a context), vscode comes from the host.
  {
    ...common,
    entryPoints: { extension: 'extension/main.ts' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
    external: ['vscode'],
  },
  // The runner's language server, started by the extension; it finds its parsers in dist/grammars.
  {
    ...common,
    entryPoints: { server: 'runner/server.ts' },
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: 'dist',
  },
];

await Promise.all(builds.map((options) => esbuild.build(options)));

// The tree-sitter runtime and the grammars discovery uses ship in the package beside the server.
mkdirSync('dist/grammars', { recursive: true });
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/grammars/web-tree-sitter.wasm');
for (const grammar of ['python', 'javascript', 'typescript', 'tsx']) {
  const file = `tree-sitter-${grammar}.wasm`;
  copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${file}`, `dist/grammars/${file}`);
}
