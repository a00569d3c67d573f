// One build for every side: the CLI and runner (node), and later the extension, server, workers and webview.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');

// zod re-exports every locale as a namespace esbuild cannot tree-shake (~250 KB minified), and its JSON Schema
// importer (~12 KB) the same way. Amdahl validates with the default English messages and imports no JSON
// Schema, so every build gets a locales index with English only and an importer that says it was left out.
const trimZod = {
  name: 'trim-zod',
  setup(build) {
    const inZod = (args) => args.importer.includes(`${path.sep}zod${path.sep}`);
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$|^\.\/from-json-schema\.js$/ }, (args) =>
      inZod(args) ? { path: path.join(args.resolveDir, args.path), namespace: 'zod-trimmed' } : undefined,
    );
    build.onLoad({ filter: /locales/, namespace: 'zod-trimmed' }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: path.dirname(args.path),
    }));
    build.onLoad({ filter: /from-json-schema/, namespace: 'zod-trimmed' }, () => ({
      contents:
        'export function fromJSONSchema() { throw new Error("fromJSONSchema is left out of Amdahl\'s builds"); }',
    }));
  },
};

const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'warning', plugins: [trimZod] };
const forNode = { platform: 'node', target: 'node20', format: 'cjs' };

// extension.js is only the entry, and activate() requires context.js: context.js stays a file of its own.
const contextApart = {
  name: 'context-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/context\.js$/ }, () => ({ path: './context.js', external: true }));
  },
};

// web-tree-sitter is an ES module that asks import.meta.url for its own location: give it the bundle's.
const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

// One row per bundle in dist/: its name, its entry, and what it does differently from a Node.js CommonJS bundle.
const entries = [
  // The CLI finds a notebook's functions with the parsers the server uses (dist/grammars).
  { name: 'cli', entry: 'runner/cli.ts', ...importMetaUrl },
  // The Node.js harness: piscina stays external so it finds its own worker.js; esbuild compiles the target.
  { name: 'js-harness', entry: 'runner/harness/node/harness.ts', external: ['piscina', 'esbuild'] },
  // Bundles targets with esbuild.wasm where the native esbuild is not installed (the .vsix): a thread the harness
  // starts from dist/; esbuild-wasm's in-thread (browser) API is bundled in, and esbuild.wasm is copied beside it.
  { name: 'js-wasm-bundler', entry: 'runner/harness/node/wasmBundler.ts' },
  // The thread piscina and the serial baseline load from dist/ (path.join(__dirname, 'js-worker.js')).
  { name: 'js-worker', entry: 'runner/harness/node/worker.ts' },
  // The VS Code extension in two files: extension.js is only the entry, and activate() requires context.js (the
  // language client, commands, the report panel), so loading the extension module costs almost nothing.
  { name: 'extension', entry: 'extension/main.ts', external: ['vscode'], plugins: [contextApart] },
  { name: 'context', entry: 'extension/context.ts', external: ['vscode'] },
  // The runner's language server, started by the extension; it finds its parsers in dist/grammars.
  { name: 'server', entry: 'runner/server.ts', ...importMetaUrl },
  // The report page (webview and standalone --html): one browser bundle that chart.js is tree-shaken into.
  // Always minified, because every --html report inlines it; the source map stays beside it, never inside.
  {
    name: 'webview',
    entry: 'webview/main.ts',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: true,
    legalComments: 'eof',
    sourcemap: !production,
  },
];

const builds = entries.map(({ name, entry, plugins = [], ...options }) => ({
  ...common,
  ...forNode,
  entryPoints: { [name]: entry },
  outdir: 'dist',
  ...options,
  plugins: [...common.plugins, ...plugins],
}));

await Promise.all(builds.map((options) => esbuild.build(options)));

copyFileSync('node_modules/esbuild-wasm/esbuild.wasm', 'dist/esbuild.wasm');

// The tree-sitter runtime and the grammars discovery uses ship in the package beside the server.
mkdirSync('dist/grammars', { recursive: true });
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/grammars/web-tree-sitter.wasm');
for (const grammar of ['python', 'javascript', 'typescript', 'tsx']) {
  const file = `tree-sitter-${grammar}.wasm`;
  copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${file}`, `dist/grammars/${file}`);
}
