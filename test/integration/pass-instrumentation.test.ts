// Counted passes without per-task timing (the whole map only) in both harnesses, and the CPU accounting every
// pass carries: what the machine's CPUs did and what the harness itself (threads, pool workers) used.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PassMessage } from '../../protocol/harness';
import { repoRoot } from './cliRunner';
import { killAllHarnesses } from '../../runner/profile/harnessProcess';
import { buildHarness, NodeHarness, passSeconds } from './piscinaHarnessClient';
import { PythonHarness, runHarness } from './pythonHarnessClient';
import { tasksOf } from './harnessClient';

const python = process.env.AMDAHL_TEST_PYTHON ?? 'python3';
const fixtures = path.join(repoRoot, 'test', 'fixtures');
const NAP = 0.05;
const SLACK = 0.04;

async function pass(
  h: PythonHarness | NodeHarness,
  id: string,
  timing: 'tasks' | 'none',
): Promise<PassMessage> {
  return h.expect({ op: 'pass', id, sample: 0, timing });
}

/** The untimed pass has no tasks, says so, returns the same results, and takes the same exact sleep time. */
function assertUntimedMatches(timed: PassMessage, untimed: PassMessage, exact: number): void {
  assert.equal(untimed.timing, 'none');
  assert.deepEqual(untimed.tasks, []);
  assert.equal(untimed.taskBatches, undefined, 'no batches either');
  assert.equal(timed.timing, undefined);
  assert.ok(tasksOf(timed).length > 0);
  assert.equal(untimed.resultHash, timed.resultHash);
  for (const p of [timed, untimed]) {
    const wall = passSeconds(p);
    assert.ok(wall >= exact && wall < exact + SLACK, `${p.id}: ${wall} s, expected ${exact} s`);
    assert.ok(p.load && p.load.seconds >= wall, JSON.stringify(p.load));
  }
}

before(buildHarness);
after(killAllHarnesses);

void test('Python: uninstrumented passes on serial, process, thread and futures-process keep the exact sleep time and the results', async () => {
  await runHarness(new PythonHarness(python, { cwd: path.join(fixtures, 'python') }), async (h) => {
    const loaded = await h.expect({
      op: 'load',
      file: path.join(fixtures, 'python', 'targets.py'),
      function: 'nap',
      inputs: 'range(10)',
      starmap: false,
    });
    assert.ok(
      loaded.taskTimingSeconds! > 0 && loaded.taskTimingSeconds! < 1e-4,
      `${loaded.taskTimingSeconds}`,
    );
    // Pool.map's chunks of ceil(10 / 8) = 2 leave one process three chunks: 6 naps.
    const exact: Record<string, number> = { serial: 10, process: 6, thread: 5, 'futures-process': 5 };
    for (const backend of ['serial', 'process', 'thread', 'futures-process'] as const) {
      const workers = backend === 'serial' ? 1 : 2;
      await h.expect({ op: 'open', config: { id: backend, backend, workers } });
      assertUntimedMatches(
        await pass(h, backend, 'tasks'),
        await pass(h, backend, 'none'),
        exact[backend]! * NAP,
      );
    }
  });
});

void test('Python: a pass counts the CPU of the pool workers, which are other processes', async () => {
  await runHarness(new PythonHarness(python, { cwd: path.join(fixtures, 'load') }), async (h) => {
    await h.expect({
      op: 'load',
      file: path.join(fixtures, 'load', 'spin.py'),
      function: 'spin',
      inputs: '[0.1] * 6',
      starmap: false,
    });
    await h.expect({ op: 'open', config: { id: 'p2', backend: 'process', workers: 2 } });
    const measured = await pass(h, 'p2', 'none');
    // Each task spins until its own thread has used 0.1 s of CPU: 0.6 s in the workers; /proc counts in 10 ms ticks.
    const own = measured.load!.ownCpuSeconds!;
    assert.ok(own >= 0.6 - 0.03 && own < 0.6 + 0.15, `own CPU ${own} s`);
    assert.ok(measured.load!.systemCpuSeconds! >= own - 0.05, JSON.stringify(measured.load));
  });
});

void test('Node.js: uninstrumented serial and piscina passes keep the exact sleep time and the results', async () => {
  const h = new NodeHarness();
  try {
    await h.load(path.join(fixtures, 'js', 'sleep.mjs'), 'sleepSync', '[50, 50, 50, 50, 50, 50]');
    await h.open('serial', 'serial', 1);
    assertUntimedMatches(await pass(h, 'serial', 'tasks'), await pass(h, 'serial', 'none'), 0.3);
    await h.open('piscina-k2', 'piscina', 2);
    const timed = await pass(h, 'piscina-k2', 'tasks');
    const untimed = await pass(h, 'piscina-k2', 'none');
    assertUntimedMatches(timed, untimed, 0.15);
    assert.equal(untimed.resultTimes, undefined);
    await h.exit();
  } finally {
    await h.kill();
  }
});
