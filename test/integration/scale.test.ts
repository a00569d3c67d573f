// Worker counts far beyond the cores, simulated honestly with naps (docs/method.md section 5): 256 naps of 50 ms
// reach S(k) = 256 / ceil(256 / k) on 64 threads.
// Through the CLI as a user runs it; the report is version 2, its tasks column-wise.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { decodeTasks } from '../../protocol/taskTable';
import { point, repoRoot, runCli } from './cliRunner';

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
