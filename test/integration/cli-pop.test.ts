// The POP metrics (docs/method.md section 8) against sleep tasks, whose every metric is known analytically.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertWithin, point, repoRoot, runCli } from './cliRunner';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');

void test('10 naps of 100 ms on threads: LB from the per-worker sums, TE = CompS = 1, 1 - PE is the split', async () => {
  // 100 ms tasks: a thread's wake-up on a busy machine (a few ms) stays well under 2% of a pass.
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    '[0.1] * 10',
    '--backends',
    'thread',
    '--workers',
    '2,3,4',
    '--repeat',
    '5',
    '--pop',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  // Per-worker task counts: 5,5 (k = 2); 4,3,3 (k = 3); 3,3,2,2 (k = 4). LB = mean / max of the sums.
  for (const [k, loadBalance] of [
    [2, 1],
    [3, 10 / 3 / 4],
    [4, 2.5 / 3],
  ] as const) {
    const p = point(report, 'thread', k);
    const pop = p.pop!;
    assertWithin(pop.loadBalance, loadBalance, 0.02, `LB(${k})`);
    assertWithin(pop.transferEfficiency, 1, 0.02, `TE(${k})`);
    assertWithin(pop.serializationEfficiency, 1, 0.02, `SerE(${k})`);
    assertWithin(pop.computationScalability, 1, 0.02, `CompS(${k})`);
    assertWithin(pop.parallelEfficiency, loadBalance, 0.02, `PE(${k})`);
    // Exactly the overhead split: 1 - PE = (dispatch + serialization + imbalance) / T.
    const o = p.overheadSeconds;
    const shares = (o.dispatch + o.serialization + o.imbalance) / pop.passSeconds!;
    assert.ok(Math.abs(1 - pop.parallelEfficiency - shares) < 1e-9, `1 - PE ${1 - pop.parallelEfficiency}`);
    // GE tracks S(k) / k: they differ by the serial loop's own time outside its tasks, under 1% here.
    assertWithin(pop.globalEfficiency, p.efficiency, 0.02, `GE(${k}) against S/k`);
    // Sleeping tasks use almost no CPU: the CPU-time form says so.
    assert.ok(pop.cpuUsefulRatio !== null && pop.cpuUsefulRatio! < 0.2, `CPU/useful ${pop.cpuUsefulRatio}`);
  }
  // --pop prints the table: a row per metric, a column per k; 0.83 is not under 0.8, so it is not marked.
  assert.match(result.stdout, /POP, thread\s+k=2\s+k=3\s+k=4/);
  const printed = [2, 3, 4].map((k) => point(report, 'thread', k).pop!.loadBalance.toFixed(2));
  assert.match(result.stdout, new RegExp(`Load balance\\s+${printed.join('\\s+')}`));
  assert.match(result.stdout, /CPU \/ useful time/);
  assert.deepEqual(result.leftovers, []);
});

void test('task i sleeps i x d on two threads: the exact load balance 5/6', async () => {
  // 100, 200, 300, 400 ms pulled by two threads: one takes 1 and 3 (400 ms), the other 2 and 4 (600 ms).
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--backends',
    'thread',
    '--workers',
    '2',
    '--inputs',
    '[0.1 * i for i in (1, 2, 3, 4)]',
    '--repeat',
    '5',
    '--pop',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const pop = point(result.report!, 'thread', 2).pop!;
  assertWithin(pop.loadBalance, 0.5 / 0.6, 0.02, 'LB');
  assertWithin(pop.communicationEfficiency, 1, 0.02, 'CommE');
  assertWithin(pop.parallelEfficiency, 0.5 / 0.6, 0.02, 'PE');
  // Over 0.8: printed without the mark.
  assert.match(result.stdout, new RegExp(`Load balance\\s+${pop.loadBalance.toFixed(2)} `));
});

void test('a value under 0.8 carries the mark: one long task and three short ones on four threads', async () => {
  // 200 ms and three of 50 ms on 4 threads: U = 0.2, 0.05, 0.05, 0.05, LB = 0.0875 / 0.2 = 0.4375.
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--backends',
    'thread',
    '--workers',
    '4',
    '--inputs',
    '[0.2, 0.05, 0.05, 0.05]',
    '--repeat',
    '5',
    '--pop',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const pop = point(result.report!, 'thread', 4).pop!;
  assertWithin(pop.loadBalance, 0.35 / 4 / 0.2, 0.02, 'LB');
  assert.match(result.stdout, /Load balance\s+0\.44\*/);
  assert.match(result.stdout, /\* under 0\.8/);
});
