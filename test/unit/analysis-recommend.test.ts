// The recommendation rule: smallest k within 10% of the best S (by the upper CI bound) with E >= 0.5.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recommendWorkers, type SpeedupPoint } from '../../runner/analysis/recommend';

function point(workers: number, speedup: number, halfWidth = 0): SpeedupPoint {
  return {
    workers,
    speedup,
    ci95: [speedup - halfWidth, speedup + halfWidth],
    efficiency: speedup / workers,
  };
}

void test('the smallest k within 10% of the best is chosen', () => {
  const advice = recommendWorkers([point(1, 0.98), point(2, 1.9), point(4, 3.7), point(8, 3.9)]);
  assert.ok(advice.ok);
  // 0.9 x 3.9 = 3.51: k = 4 qualifies (3.7), k = 2 does not.
  assert.equal(advice.workers, 4);
  assert.match(
    advice.reason,
    /^4 workers: 3\.70x \(95% CI 3\.70-3\.70\); within 10% of 8 workers' 3\.90x; 4 cost less/,
  );
});

void test('the comparison uses the upper end of the interval', () => {
  // 0.9 x 4 = 3.6: k = 4 at 3.5 qualifies only through its interval reaching 3.65.
  const points = [point(2, 1.9), point(4, 3.5, 0.15), point(8, 4)];
  const advice = recommendWorkers(points);
  assert.ok(advice.ok);
  assert.equal(advice.workers, 4);
  // 3.5 is 12.5% below 4: the sentence says the tie rests on the interval, not on a 10% closeness.
  assert.ok(
    advice.ok &&
      advice.reason.includes("13% below 8 workers' 4.00x; at this noise not distinguishable at 95%"),
    advice.ok ? advice.reason : '',
  );
  const narrow = recommendWorkers([point(2, 1.9), point(4, 3.5, 0.05), point(8, 4)]);
  assert.ok(narrow.ok);
  assert.equal(narrow.workers, 8);
});

void test('the best point itself is chosen when nothing smaller is close', () => {
  const advice = recommendWorkers([point(1, 1), point(2, 2), point(4, 4)]);
  assert.ok(advice.ok);
  assert.equal(advice.workers, 4);
  assert.match(
    advice.reason,
    /best measured speedup, 4\.00x \(95% CI 4\.00-4\.00\), at efficiency 1\.00, and no smaller/,
  );
});

void test('a close but inefficient count is passed over for an efficient one', () => {
  // k = 8 is the best (3.0) but E = 0.375; k = 4 reaches 2.8 >= 2.7 at E = 0.7.
  const advice = recommendWorkers([point(2, 1.8), point(4, 2.8), point(8, 3.0)]);
  assert.ok(advice.ok);
  assert.equal(advice.workers, 4);
});

void test('nothing qualifies when every efficient count is far below the best', () => {
  const advice = recommendWorkers([
    point(1, 1),
    { workers: 16, speedup: 6, ci95: [5.9, 6.1], efficiency: 6 / 16 },
  ]);
  assert.equal(advice.ok, false);
  assert.ok(!advice.ok && /more than 10% below the best speedup, 6\.00x at 16 workers/.test(advice.why));
});

void test('with nothing qualifying, the advice names the fastest efficient count, not the serial loop', () => {
  // The 16-core NumPy case: 8 workers give 5.4x at E = 0.67, 16 give 7.0x at E = 0.44.
  const advice = recommendWorkers([
    { workers: 4, speedup: 3.35, ci95: [3.0, 3.7], efficiency: 0.84 },
    { workers: 8, speedup: 5.38, ci95: [4.84, 5.81], efficiency: 0.67 },
    { workers: 16, speedup: 6.98, ci95: [6.28, 7.6], efficiency: 0.44 },
  ]);
  assert.ok(!advice.ok);
  assert.match(advice.suggestion, /^8 workers still give 5\.38x at efficiency 0\.67/);
  const none = recommendWorkers([point(4, 1.2), point(8, 1.3)]);
  assert.ok(!none.ok);
  assert.match(none.suggestion, /Stay with the serial loop/);
});

void test('nothing qualifies when no count reaches efficiency 0.5', () => {
  const advice = recommendWorkers([point(4, 1.2), point(8, 1.3)]);
  assert.ok(!advice.ok && /no worker count reaches an efficiency of 0\.5/.test(advice.why));
});

void test('a backend no faster than serial says so', () => {
  const advice = recommendWorkers([point(1, 0.97), point(2, 0.99), point(4, 0.95)]);
  assert.ok(advice.ok);
  assert.equal(advice.workers, 1);
  assert.match(advice.reason, /No worker count is clearly faster than the serial loop/);
});

void test('no points, no recommendation', () => {
  assert.equal(recommendWorkers([]).ok, false);
});

void test('a best speedup whose interval reaches 1 is no clear gain', () => {
  const advice = recommendWorkers([point(1, 1.02, 0.07), point(2, 0.95, 0.05)]);
  assert.ok(advice.ok);
  assert.equal(advice.workers, 1);
  assert.match(advice.reason, /best 1\.02x, 95% CI 0\.95-1\.09, at 1 worker\); 1 worker costs least/);
});
