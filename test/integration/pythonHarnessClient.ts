// A Python harness process (runner/harness/python/amdahl_harness.py) driven over its protocol, for the harness and the
// cluster backend tests: every process it starts carries a marker in its environment, so none is left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { processesWithMarker, repoRoot } from './cliRunner';
import { HarnessChannel } from './harnessChannel';

export const pythonHarnessEntry = path.join(repoRoot, 'runner', 'harness', 'python', 'amdahl_harness.py');

/** The environment a user's harness has: without PYTHONUNBUFFERED (CI sets it), so buffering is real. */
function userEnvironment(marker: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AMDAHL_TEST_MARKER: marker };
  delete env.PYTHONUNBUFFERED;
  return env;
}

export class PythonHarness extends HarnessChannel {
  constructor(
    readonly python: string,
    options: { cwd: string; requestTimeoutMs?: number },
    readonly marker: string = randomUUID(),
  ) {
    super(
      spawn(python, ['-X', 'faulthandler', pythonHarnessEntry], {
        cwd: options.cwd,
        env: userEnvironment(marker),
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      }),
      { requestTimeoutMs: options.requestTimeoutMs ?? 60_000, helloTimeoutMs: 30_000, killOnTimeout: true },
    );
  }

  /** Asks for exit, waits for the process, and returns how it ended and what of it is still alive. */
  async exit(): Promise<{ code: number | null; leftovers: number[] }> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.on('exit', (code) => resolve(code));
    });
    if (!this.isClosed) await this.expect({ op: 'exit' }, 'bye');
    const code = await exited;
    return { code, leftovers: await processesWithMarker(this.marker) };
  }
}

/** Runs body with the harness, then checks it exits 0 and leaves no process behind (local clusters too). */
export async function runHarness(
  harness: PythonHarness,
  body: (h: PythonHarness) => Promise<void>,
): Promise<PythonHarness> {
  try {
    await body(harness);
    const { code, leftovers } = await harness.exit();
    assert.equal(code, 0, harness.stderr);
    assert.deepEqual(leftovers, [], 'processes left behind');
  } finally {
    harness.kill();
  }
  return harness;
}
