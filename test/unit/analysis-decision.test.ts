// Decision-driven stopping: when the recommended count is settled and precise, and which configuration to sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, mostDelaying } from '../../runner/analysis/decision';
import type { SpeedupPoint } from '../../runner/analysis/recommend';

function point(workers: number, speedup: number, half: number): SpeedupPoint {
  return { workers, speedup, ci95: [speedup - half, speedup + half], efficiency: speedup / workers };
}

void test('clearly separated counts settle the decision; the headline precision is judged on its own', () => {
  const points = [point(1, 1, 0.01), point(2, 1.9, 0.02), point(4, 3.6, 0.05)];
  const decision = decide(points, 0.05);
  assert.equal(decision.workers, 4);
  assert.ok(decision.settled);
  assert.ok(decision.precise);
  assert.deepEqual(decision.blocking, []);
  const loose = decide([point(1, 1, 0.01), point(2, 1.9, 0.02), point(4, 3.6, 0.3)], 0.05);
  assert.equal(loose.workers, 4);
  assert.ok(loose.settled && !loose.precise, JSON.stringify(loose));
});

void test('overlapping intervals near the 10% tie leave the decision open, naming the counts it rests on', () => {
  // 0.9 x 4 = 3.6: k = 2 at 3.4 +- 0.3 might or might not tie k = 4 at 4.0 +- 0.3.
  const decision = decide([point(2, 1.9, 0.02), point(3, 3.4, 0.3), point(4, 4.0, 0.3)], 0.05);
  assert.equal(decision.workers, 3);
  assert.ok(!decision.settled);
  assert.deepEqual(decision.blocking, [3, 4]);
});

void test('the next sample goes to the widest blocking configuration, then to an imprecise headline', () => {
  const points = [point(2, 1.9, 0.02), point(3, 3.4, 0.3), point(4, 4.0, 0.2)];
  const decision = decide(points, 0.05);
  const next = mostDelaying(points.map((p) => ({ item: p.workers, decision, point: p })));
  assert.equal(next, 3);
  const settled = [point(1, 1, 0.01), point(2, 1.9, 0.02), point(4, 3.6, 0.3)];
  const d2 = decide(settled, 0.05);
  assert.equal(mostDelaying(settled.map((p) => ({ item: p.workers, decision: d2, point: p }))), 4);
  const done = [point(1, 1, 0.01), point(2, 1.9, 0.02)];
  const d3 = decide(done, 0.05);
  assert.equal(mostDelaying(done.map((p) => ({ item: p.workers, decision: d3, point: p }))), null);
});

void test('a count with no interval yet blocks the decision', () => {
  const decision = decide(
    [point(2, 1.9, 0.02), { workers: 4, speedup: 3, ci95: [NaN, NaN], efficiency: 0.75 }],
    0.05,
  );
  assert.equal(decision.settled, false);
  assert.deepEqual(decision.blocking, [2, 4]);
});

void test('one worker beating every larger count needs no precision: the answer is "no gain this way"', () => {
  // The seed's threads: S(1) = 1.01 +- 9% and S(2) = 0.80 +- 7%; S(1) is not worth pinning to 5%.
  const decision = decide([point(1, 1.01, 0.09), point(2, 0.8, 0.06)], 0.05);
  assert.equal(decision.workers, 1);
  assert.ok(decision.settled && decision.precise, JSON.stringify(decision));
  // Asked for one worker alone, its speedup is the answer, so its precision still counts.
  assert.ok(!decide([point(1, 1.01, 0.09)], 0.05).precise);
});
