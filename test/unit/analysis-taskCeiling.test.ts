// The ceilings that the task count, and the chunks it travels in, put on the speedup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ceilingBinds, chunkCeiling, taskCeiling } from '../../runner/analysis/taskCeiling';

/** Equal unit tasks in chunks of c; each chunk goes to the least-loaded worker (idle workers pull). */
function simulatedSpeedup(n: number, k: number, c: number): number {
  const load = new Array<number>(k).fill(0);
  for (let start = 0; start < n; start += c) {
    const size = Math.min(c, n - start);
    let w = 0;
    for (let i = 1; i < k; i++) if (load[i]! < load[w]!) w = i;
    load[w] = load[w]! + size;
  }
  return n / Math.max(...load);
}

void test('n / ceil(n / k): 10 tasks give 1, 5, 2.5, 3.33, 5 and 10 at k = 1, 2, 3, 4, 5, 10', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 10].map((k) => taskCeiling(10, k)),
    [1, 2, 10 / 4, 10 / 3, 5, 10],
  );
  assert.equal(taskCeiling(3, 8), 3, 'fewer tasks than workers');
  assert.equal(ceilingBinds(10, 4), true);
  assert.equal(ceilingBinds(10, 5), false);
  assert.equal(ceilingBinds(3, 8), true);
  assert.equal(ceilingBinds(10, 1), false);
});

void test('the chunk ceiling matches a simulated pool for every small n, k and chunksize', () => {
  for (let n = 1; n <= 40; n++) {
    for (let k = 1; k <= 9; k++) {
      for (let c = 1; c <= 12; c++) {
        const exact = simulatedSpeedup(n, k, c);
        assert.ok(Math.abs(chunkCeiling(n, k, c) - exact) < 1e-12, `n=${n} k=${k} c=${c}`);
      }
      assert.equal(chunkCeiling(n, k, 1), taskCeiling(n, k));
    }
  }
  // Pool.map's chunks of 2 for 10 inputs on 2 workers: 5 chunks, 3 on one worker: 10 / 6.
  assert.ok(Math.abs(chunkCeiling(10, 2, 2) - 10 / 6) < 1e-12);
});
