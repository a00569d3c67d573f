// A Python harness process (runner/harness/python/amdahl_harness.py) driven by the runner's own HarnessProcess, for
// the harness and the cluster backend tests: every process it starts carries a marker in its environment, so none
// is left behind.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { processesWithMarker, repoRoot } from './cliRunner';
import { HarnessClient } from './harnessClient';

export const pythonHarnessEntry = path.join(repoRoot, 'runner', 'harness', 'python', 'amdahl_harness.py');

/** The environment a user's harness has: without PYTHONUNBUFFERED (CI sets it), so buffering is real. */
function userEnvironment(marker: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AMDAHL_TEST_MARKER: marker };
  delete env.PYTHONUNBUFFERED;
  return env;
}

export class PythonHarness extends HarnessClient {
  constructor(
    readonly python: string,
    options: { cwd: string; requestTimeoutMs?: number },
    readonly marker: string = randomUUID(),
  ) {
    super(
      {
        command: python,
        args: ['-X', 'faulthandler', pythonHarnessEntry],
        cwd: options.cwd,
        env: userEnvironment(marker),
        name: path.basename(python),
      },
      { requestTimeoutMs: options.requestTimeoutMs ?? 60_000, helloTimeoutMs: 30_000 },
    );
  }

  /** Asks for exit, waits for the process, and returns how it ended and what of it is still alive. */
  async exit(): Promise<{ code: number | null; leftovers: number[] }> {
    const answer = await this.request({ op: 'exit' });
    // A harness that is gone already (a test killed it) has nothing to answer.
    if (answer.type !== 'lost') assert.equal(answer.type, 'bye', JSON.stringify(answer));
    const { code } = await this.exited;
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
    await harness.kill();
  }
  return harness;
}
