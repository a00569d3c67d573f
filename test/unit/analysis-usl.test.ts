// The USL fit recovers known sigma and kappa from generated T(k); the Amdahl fit its serial fraction.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitScaling, predictedSeconds, predictedSpeedup, type TimePoint } from '../../runner/analysis/usl';

/** T(k) for a program of T1 seconds with contention sigma and coherency kappa. */
function uslTimes(t1: number, sigma: number, kappa: number, ks: number[]): TimePoint[] {
  return ks.map((k) => ({
    workers: k,
    seconds: t1 * (sigma + (1 - sigma) / k + kappa * (k - 1)),
    standardError: 0.001,
  }));
}

void test('sigma, kappa and the peak are recovered from exact USL times', () => {
  const fit = fitScaling(uslTimes(10, 0.05, 0.002, [1, 2, 4, 8, 16]), 16);
  assert.ok(fit.usl);
  assert.ok(Math.abs(fit.usl.sigma - 0.05) < 1e-9);
  assert.ok(Math.abs(fit.usl.kappa - 0.002) < 1e-9);
  assert.ok(Math.abs(fit.usl.peakWorkers! - Math.sqrt(0.95 / 0.002)) < 1e-6);
  assert.ok(Math.abs(fit.usl.a - 0.5) < 1e-9);
  assert.ok(Math.abs(fit.usl.b - 9.5) < 1e-9);
  assert.ok(Math.abs(fit.usl.c - 0.02) < 1e-9);
  assert.deepEqual(fit.usl.fittedWorkers, [1, 2, 4, 8, 16]);
});

void test('an Amdahl program has kappa 0, no peak, and its serial fraction', () => {
  const fit = fitScaling(uslTimes(4, 0.2, 0, [1, 2, 3, 4]), 4);
  assert.ok(Math.abs(fit.serialFraction! - 0.2) < 1e-9);
  assert.equal(fit.usl!.kappa, 0);
  assert.equal(fit.usl!.peakWorkers, null);
});

void test('only k up to the usable cores is fitted', () => {
  // Beyond 4 usable cores the points are wildly slow; they must not bend the fit.
  const points = [...uslTimes(8, 0.1, 0, [1, 2, 4]), { workers: 8, seconds: 50, standardError: 0.001 }];
  const fit = fitScaling(points, 4);
  assert.deepEqual(fit.usl!.fittedWorkers, [1, 2, 4]);
  assert.ok(Math.abs(fit.usl!.sigma - 0.1) < 1e-9);
});

void test('weights follow 1/SE^2: a precise point pulls the fit toward itself', () => {
  const base = uslTimes(1, 0.1, 0, [1, 2, 4]);
  const disturbed = base.map((p) => (p.workers === 4 ? { ...p, seconds: p.seconds * 1.2 } : p));
  const trustK4 = fitScaling(
    disturbed.map((p) => ({ ...p, standardError: p.workers === 4 ? 1e-6 : 0.1 })),
    4,
  ).amdahl!;
  const doubtK4 = fitScaling(
    disturbed.map((p) => ({ ...p, standardError: p.workers === 4 ? 0.1 : 1e-6 })),
    4,
  ).amdahl!;
  const k4 = disturbed.find((p) => p.workers === 4)!.seconds;
  assert.ok(Math.abs(predictedSeconds(trustK4, 4) - k4) < Math.abs(predictedSeconds(doubtK4, 4) - k4));
});

void test('too few worker counts give no fit rather than a made-up one', () => {
  const one = fitScaling(uslTimes(1, 0.1, 0, [1]), 8);
  assert.equal(one.serialFraction, null);
  assert.equal(one.usl, null);
  const two = fitScaling(uslTimes(1, 0.1, 0, [1, 2]), 8);
  assert.ok(Math.abs(two.serialFraction! - 0.1) < 1e-9);
  assert.equal(two.usl, null);
});

void test('the predicted speedup extrapolates the fitted curve', () => {
  const fit = fitScaling(uslTimes(10, 0.05, 0.002, [1, 2, 4, 8]), 8).usl!;
  const expected = 10 / (10 * (0.05 + 0.95 / 32 + 0.002 * 31));
  assert.ok(Math.abs(predictedSpeedup(fit, 10, 32) - expected) < 1e-9);
});
