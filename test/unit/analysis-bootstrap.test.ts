// Bootstrap intervals: reproducible from the fixed seed, exact where there is no spread, and sensible where
// the answer is known from theory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  meanInterval,
  percentileInterval,
  resampledMeans,
  speedupInterval,
} from '../../runner/analysis/bootstrap';
import { BOOTSTRAP_SEED, seededRandom } from '../../runner/analysis/prng';
import { mean, stdev } from '../../runner/analysis/stats';

const serial = [1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.0, 1.01, 0.99];
const parallel = [0.5, 0.52, 0.49, 0.51, 0.5, 0.48, 0.5, 0.53, 0.47, 0.5];

void test('the same samples always give the same intervals', () => {
  assert.deepEqual(speedupInterval(serial, parallel), speedupInterval(serial, parallel));
  assert.deepEqual(meanInterval(serial), meanInterval(serial));
});

void test('samples without spread give a zero-width interval at the exact value', () => {
  assert.deepEqual(speedupInterval([2, 2, 2, 2, 2], [0.5, 0.5, 0.5, 0.5, 0.5]), [4, 4]);
  assert.deepEqual(meanInterval([3, 3, 3]), [3, 3]);
  assert.deepEqual(meanInterval([7]), [7, 7]);
});

void test('the speedup interval holds the ratio of means and is about as wide as theory says', () => {
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

void test('the mean interval covers the true mean about 95% of the time', () => {
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

void test('resampled means average to the sample mean', () => {
  const means = resampledMeans(serial, 10_000);
  assert.equal(means.length, 10_000);
  assert.ok(Math.abs(mean(Array.from(means)) - mean(serial)) < 0.001);
});

void test('the inlined generator of the resampling loop is mulberry32 from the documented seed', () => {
  const samples = [1, 2, 3, 4, 5, 6, 7];
  const random = seededRandom(BOOTSTRAP_SEED);
  const expected = Array.from({ length: 50 }, () => {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[Math.floor(random() * samples.length)]!;
    return sum / samples.length;
  });
  assert.deepEqual(Array.from(resampledMeans(samples, 50, BOOTSTRAP_SEED)), expected);
});

void test('the percentile interval matches the sorted order statistics', () => {
  const random = seededRandom(7);
  const values = Float64Array.from({ length: 1001 }, () => random());
  const sorted = Float64Array.from(values).sort();
  // 0.025 x 1000 = 25 and 0.975 x 1000 = 975: exact order statistics, no interpolation.
  assert.deepEqual(percentileInterval(values), [sorted[25], sorted[975]]);
  const even = Float64Array.from([4, 1, 3, 2]);
  // Positions 0.075 and 2.925: 1 + 0.075 and 3 + 0.925.
  const [low, high] = percentileInterval(even);
  assert.ok(Math.abs(low - 1.075) < 1e-12 && Math.abs(high - 3.925) < 1e-12);
});
