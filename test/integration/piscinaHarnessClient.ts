// A client for the Node.js harness (dist/js-harness.js) in tests and benchmarks: the runner's own HarnessProcess
// starts it and speaks to it, as in a profile.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { OpenedMessage, PassMessage } from '../../protocol/harness';
import { packageRoot } from '../../runner/profile/packageRoot';
import { HarnessClient } from './harnessClient';

// Found from package.json, not from this file's folder, so a bundled copy (the benches on another machine) works too.
export const repoRoot = packageRoot();
export const harnessEntry = path.join(repoRoot, 'dist', 'js-harness.js');

/**
 * Builds dist/js-harness.js, dist/js-worker.js and dist/js-wasm-bundler.js (with esbuild.wasm beside it) from the
 * current sources, with esbuild.mjs's options for those entries: only what the tests run, so a half-edited other
 * entry does not stop them.
 */
export async function buildHarness(): Promise<void> {
  const common = {
    bundle: true,
    sourcemap: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
  } as const;
  const outdir = path.join(repoRoot, 'dist');
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: { 'js-harness': path.join(repoRoot, 'runner/harness/node/harness.ts') },
      outdir,
      external: ['piscina', 'esbuild'],
    }),
    esbuild.build({
      ...common,
      entryPoints: { 'js-worker': path.join(repoRoot, 'runner/harness/node/worker.ts') },
      outdir,
    }),
    esbuild.build({
      ...common,
      entryPoints: { 'js-wasm-bundler': path.join(repoRoot, 'runner/harness/node/wasmBundler.ts') },
      outdir,
    }),
  ]);
  copyFileSync(
    path.join(repoRoot, 'node_modules/esbuild-wasm/esbuild.wasm'),
    path.join(outdir, 'esbuild.wasm'),
  );
}

export class NodeHarness extends HarnessClient {
  constructor(env: NodeJS.ProcessEnv = {}) {
    super(
      {
        command: process.execPath,
        args: [harnessEntry],
        cwd: repoRoot,
        env: { ...process.env, ...env },
        name: 'Node.js',
      },
      { requestTimeoutMs: 60_000, helloTimeoutMs: 20_000 },
    );
  }

  load(file: string, fn: string, inputs: string | null, starmap = false) {
    return this.request({ op: 'load', file, function: fn, inputs, starmap });
  }

  open(id: string, backend: 'serial' | 'piscina', workers: number): Promise<OpenedMessage> {
    return this.expect({ op: 'open', config: { id, backend, workers } });
  }

  pass(id: string, sample: number): Promise<PassMessage> {
    return this.expect({ op: 'pass', id, sample });
  }

  /** exit, then the process must be gone with status 0. */
  async exit(): Promise<void> {
    await this.expect({ op: 'exit' });
    assert.deepEqual(await this.exited, { code: 0, signal: null });
  }
}

export function passSeconds(pass: PassMessage): number {
  return pass.resultsIn - pass.mapStart;
}
