// A client for the Node.js harness (dist/js-harness.js) in tests and benchmarks: spawns it as the runner does
// (stdio [pipe, pipe, pipe, pipe], its own process group), sends commands, validates every answer on fd 3.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { HarnessMessage, OpenedMessage, PassMessage } from '../../protocol/harness';
import { packageRoot } from '../../runner/profile/packageRoot';
import { HarnessChannel } from './harnessChannel';

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

const live = new Set<NodeHarness>();

/** Kills every harness a test started and did not see exit: a failed assertion must not leave one running. */
export async function killAllHarnesses(): Promise<void> {
  await Promise.all([...live].map((harness) => harness.killGroup()));
}

export class NodeHarness extends HarnessChannel {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: NodeJS.ProcessEnv = {}) {
    super(
      spawn(process.execPath, [harnessEntry], {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        detached: true,
      }),
      // A timeout is the test's to handle: killGroup() is what the runner does on --timeout.
      { requestTimeoutMs: 60_000, helloTimeoutMs: 20_000, killOnTimeout: false },
    );
    live.add(this);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        live.delete(this);
        resolve({ code, signal });
      }),
    );
  }

  async load(file: string, fn: string, inputs: string | null, starmap = false): Promise<HarnessMessage> {
    return this.request({ op: 'load', file, function: fn, inputs, starmap });
  }

  async open(id: string, backend: 'serial' | 'piscina', workers: number): Promise<OpenedMessage> {
    const answer = await this.request({ op: 'open', config: { id, backend, workers } });
    if (answer.type !== 'opened') throw new Error(`open ${id}: ${JSON.stringify(answer)}`);
    return answer;
  }

  async pass(id: string, sample: number): Promise<PassMessage> {
    const answer = await this.request({ op: 'pass', id, sample });
    if (answer.type !== 'pass') throw new Error(`pass ${id}: ${JSON.stringify(answer)}`);
    return answer;
  }

  /** exit, then the process must be gone with status 0. */
  async exit(): Promise<void> {
    const answer = await this.request({ op: 'exit' });
    assert.equal(answer.type, 'bye');
    const status = await this.exited;
    assert.deepEqual(status, { code: 0, signal: null });
  }

  /** What the runner does on --timeout: kill the whole process group. */
  async killGroup(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Gone already.
    }
    return this.exited;
  }
}

export function passSeconds(pass: PassMessage): number {
  return pass.resultsIn - pass.mapStart;
}
