// The Karp-Flatt serial fraction on known Amdahl speedups.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { karpFlatt } from '../../runner/analysis/karpFlatt';

void test('an Amdahl program with serial fraction f gives e(k) = f at every k', () => {
  const f = 0.1;
  for (const k of [2, 4, 8, 16]) {
    const s = 1 / (f + (1 - f) / k);
    assert.ok(Math.abs(karpFlatt(s, k)! - f) < 1e-12);
  }
});

void test('perfect speedup gives 0, no speedup gives 1, k = 1 gives null', () => {
  assert.equal(karpFlatt(4, 4), 0);
  assert.ok(Math.abs(karpFlatt(1, 4)! - 1) < 1e-12);
  assert.equal(karpFlatt(1, 1), null);
  assert.equal(karpFlatt(0, 4), null);
});
