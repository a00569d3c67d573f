// Descriptive statistics and pyperf's noise rules, each rule fired and not fired.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstSampleRobustZ, noiseReasons } from '../../runner/analysis/noise';
import { mean, median, medianAbsoluteDeviation, stdev, summarize } from '../../runner/analysis/stats';

void test('mean, median, extremes and the sample standard deviation', () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  assert.equal(s.median, 4.5);
  assert.equal(s.min, 2);
  assert.equal(s.max, 9);
  // Sum of squared deviations is 32; n - 1 = 7.
  assert.ok(Math.abs(s.stdev - Math.sqrt(32 / 7)) < 1e-12);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(stdev([4]), 0);
  assert.ok(Number.isNaN(mean([])));
  assert.equal(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]), 1);
});

void test('steady samples raise no noise warning', () => {
  assert.deepEqual(noiseReasons([1.0, 1.01, 0.99, 1.02, 0.98, 1.0]), []);
});

void test('a standard deviation of 10% of the mean or more is noisy', () => {
  const reasons = noiseReasons([0.8, 1.2, 0.8, 1.2, 1.0]);
  assert.ok(reasons.some((r) => r.includes('standard deviation')));
});

void test('a sample 50% or more from the mean is noisy', () => {
  const slow = noiseReasons([1, 1, 1, 1, 1, 1, 1, 1, 1, 6]);
  assert.ok(slow.some((r) => r.includes('slowest sample')));
  // Mean 0.94: 0.4 is 57% below it, 0.6 only 36%.
  assert.ok(noiseReasons([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.4]).some((r) => r.includes('fastest sample')));
  assert.equal(
    noiseReasons([1, 1, 1, 1, 1, 1, 1, 1, 1, 0.6]).some((r) => r.includes('fastest sample')),
    false,
  );
  const farFast = noiseReasons([2, 2, 0.1]);
  assert.ok(farFast.some((r) => r.includes('fastest sample')));
});

void test('a sample under 1 ms is noisy', () => {
  assert.ok(noiseReasons([0.0009, 0.0009, 0.0009]).some((r) => r.includes('under 1 ms')));
  assert.equal(noiseReasons([0.0011, 0.0011, 0.0011]).length, 0);
});

void test('a first sample far slower than the rest (robust z > 10) is flagged, a moderate one is not', () => {
  const rest = [1.0, 1.01, 0.99, 1.0, 1.02, 0.98];
  // MAD of the rest is 0.01, so sigma ~ 0.0148: 1.2 is z ~ 13.5, 1.1 is z ~ 6.7.
  assert.ok((firstSampleRobustZ([1.2, ...rest]) ?? 0) > 10);
  assert.ok(noiseReasons([1.2, ...rest]).some((r) => r.includes('first sample')));
  assert.ok((firstSampleRobustZ([1.1, ...rest]) ?? 0) < 10);
  assert.equal(
    noiseReasons([1.1, ...rest]).some((r) => r.includes('first sample')),
    false,
  );
  // A fast first sample is not a warm-up effect.
  assert.equal(
    noiseReasons([0.8, ...rest]).some((r) => r.includes('first sample')),
    false,
  );
  assert.equal(firstSampleRobustZ([5, 1, 1]), null, 'too few samples to judge');
});
