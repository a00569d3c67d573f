// Bootstrap intervals: reproducible from the fixed seed, exact where there is no spread, and sensible where
// the answer is known from theory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanInterval, resampledMeans, speedupInterval } from '../../runner/analysis/bootstrap';
import { seededRandom } from '../../runner/analysis/prng';
import { mean, stdev } from '../../runner/analysis/stats';

const serial = [1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.0, 1.01, 0.99];
const parallel = [0.5, 0.52, 0.49, 0.51, 0.5, 0.48, 0.5, 0.53, 0.47, 0.5];

test('the same samples always give the same intervals', () => {
  assert.deepEqual(speedupInterval(serial, parallel), speedupInterval(serial, parallel));
  assert.deepEqual(meanInterval(serial), meanInterval(serial));
});

test('samples without spread give a zero-width interval at the exact value', () => {
  assert.deepEqual(speedupInterval([2, 2, 2, 2, 2], [0.5, 0.5, 0.5, 0.5, 0.5]), [4, 4]);
  assert.deepEqual(meanInterval([3, 3, 3]), [3, 3]);
  assert.deepEqual(meanInterval([7]), [7, 7]);
});

test('the speedup interval holds the ratio of means and is about as wide as theory says', () => {
  const s = mean(serial) / mean(parallel);
  const [low, high] = speedupInterval(serial, parallel);
  assert.ok(low < s && s < high);
  // Delta method: relative SE of a ratio = sqrt(relSE_top^2 + relSE_bottom^2); the bootstrap's percentile
  // interval uses the plug-in (n, not n - 1) variance, so it is a little narrower than 2 x 1.96 SE.
  const rel = (x: number[]): number => stdev(x) / Math.sqrt(x.length) / mean(x);
  const expectedHalf = 1.96 * s * Math.hypot(rel(serial), rel(parallel));
  const half = (high - low) / 2;
  assert.ok(half > 0.8 * expectedHalf && half < 1.1 * expectedHalf, `${half} vs ${expectedHalf}`);
});

test('the mean interval covers the true mean about 95% of the time', () => {
  const random = seededRandom(12345);
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    // 30 uniform samples on [0, 2]: the true mean is 1.
    const samples = Array.from({ length: 30 }, () => 2 * random());
    const [low, high] = meanInterval(samples, 2000);
    if (low <= 1 && 1 <= high) covered += 1;
  }
  assert.ok(covered >= 0.89 * trials && covered <= 0.99 * trials, `covered ${covered} of ${trials}`);
});

test('resampled means average to the sample mean', () => {
  const means = resampledMeans(serial, 10_000);
  assert.equal(means.length, 10_000);
  assert.ok(Math.abs(mean(Array.from(means)) - mean(serial)) < 0.001);
});
