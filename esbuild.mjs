// One build for every side: the CLI and runner (node), and later the extension, server, workers and webview.
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
];

await Promise.all(builds.map((options) => esbuild.build(options)));
