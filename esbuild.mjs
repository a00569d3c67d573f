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
];

await Promise.all(builds.map((options) => esbuild.build(options)));
