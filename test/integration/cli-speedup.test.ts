// The CLI against exact ground truth (docs/method.md section 5), and CPU-bound work against what the machine gives.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cliFixtures, point, repoRoot, runCli } from './cliRunner';
import { assertAgrees, fromInterval, fromSamples, plainPythonSpeedups } from './plainBurn';
import { taskCount } from '../../protocol/taskTable';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');

void test('10 sleep tasks of 50 ms on threads: S(k) = 10 / ceil(10 / k)', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    '--backends',
    'thread',
    '--workers',
    '1,2,3,5',
    '--repeat',
    '5',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  for (const [k, expected] of [
    [1, 1],
    [2, 2],
    [3, 2.5],
    [5, 5],
  ] as const) {
    const speedup = point(report, 'thread', k).speedup;
    assert.ok(
      Math.abs(speedup.mean - expected) / expected < 0.05,
      `S(${k}) = ${speedup.mean}, expected ${expected}`,
    );
    assert.ok(speedup.ci95[0] <= speedup.mean && speedup.mean <= speedup.ci95[1]);
  }
  const five = point(report, 'thread', 5);
  assert.equal(taskCount(five.tasks), 10);
  assert.equal(five.tasks.workers.length, 5);
  // The overhead split adds up: T - C(1)/k equals the four parts (start-up and teardown are apart).
  const o = five.overheadSeconds;
  const parts = o.computeInflation + o.dispatch + o.serialization + o.imbalance;
  const serialCompute = point(report, 'serial', 1).wallSeconds.mean;
  assert.ok(Math.abs(five.wallSeconds.mean - serialCompute / 5 - parts) < 0.01, `parts ${parts}`);
  assert.deepEqual(result.leftovers, []);
});

void test('sleep tasks on a fork process pool with chunksize 1 scale exactly: S(5) = 5', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    '--backends',
    'process',
    '--start-method',
    'fork',
    '--workers',
    '1,5',
    '--repeat',
    '5',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const five = point(result.report!, 'process', 5);
  assert.equal(five.chunksize, 1);
  // Five processes share 2 cores: every hand-off wakes a process (1-3 ms here) in a 0.1 s pass, so the pool
  // lands a few percent under 5; what it loses must show up, exactly, as dispatch and imbalance.
  assert.ok(Math.abs(five.speedup.mean - 5) / 5 < 0.1, `S(5) = ${five.speedup.mean}`);
  const o = five.overheadSeconds;
  const serialCompute = point(result.report!, 'serial', 1).wallSeconds.mean;
  const parts = o.computeInflation + o.dispatch + o.serialization + o.imbalance;
  assert.ok(Math.abs(five.wallSeconds.mean - serialCompute / 5 - parts) < 0.01, `parts ${parts}`);
  assert.deepEqual(result.leftovers, []);
});

void test('pure-Python CPU work: processes get what two plain processes get, GIL-bound threads what two plain threads get', async (t) => {
  // The machine is measured around the profile: the same spin over the same inputs, serially and on two plain
  // processes and threads, before and after. Another program on a core lowers both sides alike.
  const cpu = path.join(cliFixtures, 'cpu.py');
  const inputs = Array.from({ length: 8 }, (_, i) => i);
  const before = plainPythonSpeedups('python3', cpu, 'spin', inputs, 2);
  const result = await runCli([
    `${cpu}:spin`,
    '--backends',
    'thread,process',
    '--workers',
    '1,2',
    '--inputs',
    'range(8)',
    '--repeat',
    '5',
  ]);
  const after = plainPythonSpeedups('python3', cpu, 'spin', inputs, 2);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const processes = point(report, 'process', 2).speedup;
  const threads = point(report, 'thread', 2).speedup;
  const plainProcesses = fromSamples([...before.processes, ...after.processes]);
  const plainThreads = fromSamples([...before.threads, ...after.threads]);
  t.diagnostic(assertAgrees('process S(2)', fromInterval(processes.mean, processes.ci95), plainProcesses));
  t.diagnostic(assertAgrees('thread S(2)', fromInterval(threads.mean, threads.ci95), plainThreads));
  // Where the plain burn shows a second core for processes that threads cannot use, the profiler must show at
  // least half of that gap: processes scale, GIL-bound threads do not.
  const plainGap = plainProcesses.mean - plainThreads.mean;
  const gapError = Math.hypot(plainProcesses.standardError, plainThreads.standardError);
  if (plainGap > Math.max(0.2, 3 * gapError)) {
    assert.ok(
      processes.mean - threads.mean > plainGap / 2,
      `process S(2) ${processes.mean} against thread S(2) ${threads.mean}; plain gap ${plainGap}`,
    );
  } else {
    t.diagnostic(`no second core was free for plain processes either (gap ${plainGap.toFixed(3)})`);
  }
  // Two GIL-bound threads use at most one CPU, however busy the machine; the warning follows wherever the
  // serial loop itself got at least half a core (below that the report cannot tell CPU work from waiting).
  const threadPoint = point(report, 'thread', 2);
  const threadCpu = threadPoint.cpuSeconds! / threadPoint.wallSeconds.mean;
  assert.ok(threadCpu <= 1.2, `two threads used ${threadCpu} CPUs`);
  const serial = point(report, 'serial', 1);
  const serialShare = serial.cpuSeconds! / serial.wallSeconds.mean;
  if (serialShare >= 0.5) {
    assert.ok(
      report.warnings.some((w) => w.code === 'gil-bound'),
      JSON.stringify(report.warnings),
    );
  } else {
    t.diagnostic(`the serial loop got ${serialShare.toFixed(2)} of a core: too busy to call it CPU-bound`);
  }
});

void test('tiny tasks get the tiny-tasks warning with a chunksize suggestion', async () => {
  // ProcessPoolExecutor.map sends one task per message (chunksize 1); Pool.map already chunks by ceil(n/(4k)),
  // the largest chunk the suggestion allows, so the executor is where a chunksize pays.
  const result = await runCli([
    `${path.join(cliFixtures, 'tiny.py')}:tiny`,
    '--backends',
    'futures-process',
    '--workers',
    '2',
    '--inputs',
    'range(2000)',
    '--repeat',
    '5',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const warning = result.report!.warnings.find((w) => w.code === 'tiny-tasks');
  assert.ok(warning, JSON.stringify(result.report!.warnings));
  // clamp(ceil(0.2 s / median task), 1, ceil(2000 / (4 * 2))) = 250 for tasks far under 0.8 ms.
  assert.match(warning.suggestion ?? '', /chunksize=250 to ProcessPoolExecutor\.map/);
});

void test('several targets and two interpreters in one report: CPython against PyPy', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    `${sleepy}:uneven_nap`,
    // One input list for both: nap ignores its argument, uneven_nap sleeps it.
    '--inputs',
    '[0.01 * (i % 5 + 1) for i in range(20)]',
    '--python',
    'python3',
    '--python',
    'pypy3',
    '--backends',
    'thread',
    '--workers',
    '2',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const runs = result.report!.runs;
  const keys = new Set(runs.map((r) => `${r.target.function} ${r.backend} ${r.runtime?.split(' ')[0]}`));
  for (const fn of ['nap', 'uneven_nap']) {
    for (const backend of ['serial', 'thread']) {
      for (const runtime of ['CPython', 'PyPy'])
        assert.ok(keys.has(`${fn} ${backend} ${runtime}`), `${fn} ${backend} ${runtime}`);
    }
  }
  assert.equal(new Set(runs.map((r) => r.label)).size, runs.length, 'every run has its own legend label');
  // uneven_nap: 20 tasks of 10..50 ms, 0.6 s in all; two threads pulling them take 0.3 s plus the tail.
  const uneven = runs.find((r) => r.target.function === 'uneven_nap' && r.backend === 'thread')!;
  assert.ok(Math.abs(uneven.points[0]!.speedup.mean - 2) < 0.2, `S(2) = ${uneven.points[0]!.speedup.mean}`);
});
