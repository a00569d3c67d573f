// Worker counts far beyond the cores, simulated honestly with naps (docs/method.md section 5): 256 naps of 50 ms
// reach S(k) = 256 / ceil(256 / k) on 64 threads; through 32 Dask workers they reach what plain Dask reaches.
// Through the CLI as a user runs it; the report is version 2, its tasks column-wise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { decodeTasks } from '../../protocol/taskTable';
import { point, repoRoot, runCli } from './cliRunner';
import { clusterFixtures, debianPython } from './clusterHarness';
import { assertAgrees, fromSamples } from './plainBurn';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');
const N = 256;
const NAP = 0.05;

const expected = (k: number): number => N / Math.ceil(N / k);

void test('256 naps of 50 ms on threads at k = 1, 2, 4, ..., 64: S(k) = 256 / ceil(256 / k) within 8%', async () => {
  const counts = [1, 2, 4, 8, 16, 32, 64];
  const result = await runCli(
    [
      `${sleepy}:nap`,
      '--inputs',
      `range(${N})`,
      '--backends',
      'thread',
      '--workers',
      counts.join(','),
      '--repeat',
      '2',
      // Sleeping workers need no core each: far more of them than cores is the point here.
      '--allow-oversubscription',
    ],
    { timeoutMs: 600_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  assert.equal(report.schemaVersion, 2);
  const misses: string[] = [];
  for (const k of counts) {
    const p = point(report, 'thread', k);
    const error = Math.abs(p.speedup.mean - expected(k)) / expected(k);
    if (error > 0.08) misses.push(`S(${k}) = ${p.speedup.mean.toFixed(2)}, expected ${expected(k)}`);
    // The timeline: every one of the k threads ran 256 / k naps of 50 ms, one after another.
    const tasks = decodeTasks(p.tasks);
    assert.equal(tasks.length, N, `k=${k}`);
    assert.equal(p.tasks.workers.length, k, `k=${k}: every thread took tasks`);
    for (const task of tasks) assert.ok(task.end - task.start >= NAP - p.tasks.unitSeconds, `k=${k}`);
  }
  assert.deepEqual(misses, []);
  // A small report keeps every pass in full: 2 counted passes of each of the 8 configurations (serial and 7).
  assert.deepEqual([report.taskRetention?.fullPasses, report.taskRetention?.summarizedPasses], [16, 0]);
});

/** Plain Dask's pass seconds for the same naps on k single-threaded LocalCluster workers, at this moment. */
function plainDaskPasses(k: number, passes: number): number[] {
  const script = path.join(clusterFixtures, 'plain_dask_naps.py');
  const run = spawnSync(debianPython, [script, String(k), String(N), String(NAP), String(passes)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(run.status, 0, `plain Dask: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[];
}

void test(
  '256 naps of 50 ms through 32 single-threaded Dask workers: S(32) is what plain Dask gets at that moment, and every worker napped',
  { timeout: 900_000 },
  async (t) => {
    // On 2 cores the scheduler and 32 worker processes hand out the naps more slowly than 32 workers nap them
    // (plain Dask measures S(32) of about 18 here, not 32): that dispatch is CPU work, so the profiler is held to
    // plain Dask's own passes either side of the profile, not to the idle-machine 256 / ceil(256 / 32).
    const before = plainDaskPasses(32, 8);
    const result = await runCli(
      [
        `${sleepy}:nap`,
        '--inputs',
        `range(${N})`,
        '--backends',
        'dask',
        '--python',
        debianPython,
        '--workers',
        '32',
        '--allow-oversubscription',
        // Passes through 32 processes on 2 cores vary by a third between them: two (the adaptive stop, its budget
        // spent on the serial loop's 13 s passes) say little about the mean, and a standard error from two is
        // itself a guess. Six give both.
        '--repeat',
        '6',
      ],
      { timeoutMs: 600_000 },
    );
    const after = plainDaskPasses(32, 8);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.leftovers, [], 'no process of the profile is left');
    const report = result.report!;
    const p = point(report, 'dask', 32);
    // The serial loop of 256 naps: no nap is shorter than 50 ms, and the loop adds nothing to its naps. Each nap
    // wakes late by the machine's scheduling latency at that moment (run 12 of the busy-machine runs, with one core
    // taken and 32 idle Dask workers alive: 13.6 s, 6% over 256 x 50 ms), which the naps' own durations measure.
    const serialPasses = point(report, 'serial', 1).passes;
    for (const pass of serialPasses) {
      const naps = pass.summary?.busySeconds ?? 0;
      assert.ok(naps >= N * NAP * (1 - 1e-3), `serial naps took ${naps} s in all`);
      assert.ok(
        Math.abs(pass.wallSeconds - naps) / naps < 0.03,
        `serial pass ${pass.wallSeconds} s, naps ${naps} s`,
      );
    }
    const serialMean = serialPasses.reduce((sum, pass) => sum + pass.wallSeconds, 0) / serialPasses.length;
    // Both speedups over the same measured serial loop: the comparison is of the Dask passes alone.
    const profiled = fromSamples(p.passes.map((pass) => serialMean / pass.wallSeconds));
    const plain = fromSamples([...before, ...after].map((seconds) => serialMean / seconds));
    t.diagnostic(assertAgrees('dask S(32)', profiled, plain, 0.1 * plain.mean));
    // The timeline: all 32 workers took naps, each of them at least 50 ms.
    const tasks = decodeTasks(p.tasks);
    assert.equal(tasks.length, N);
    assert.equal(p.tasks.workers.length, 32, 'every Dask worker took tasks');
    for (const task of tasks) assert.ok(task.end - task.start >= NAP - p.tasks.unitSeconds);
  },
);
