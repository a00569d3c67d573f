// Lawson-Hanson non-negative least squares against hand-solvable problems.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nnls } from '../../runner/analysis/nnls';

function close(actual: readonly number[], expected: readonly number[], tolerance = 1e-9): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]!) < tolerance, `x[${i}] = ${v}, want ${expected[i]}`),
  );
}

void test('a square system with a positive solution is solved exactly', () => {
  // 2x + y = 5, x + 3y = 10 -> x = 1, y = 3.
  const { x, residual } = nnls(
    [
      [2, 1],
      [1, 3],
    ],
    [5, 10],
  );
  close(x, [1, 3]);
  assert.ok(residual < 1e-9);
});

void test('an overdetermined line fit equals ordinary least squares when the answer is positive', () => {
  // y = 1 + 2t at t = 0..3 with residuals +0.1, -0.1, -0.1, +0.1: the least-squares line stays 1 + 2t.
  const rows = [0, 1, 2, 3].map((t) => [1, t]);
  const { x } = nnls(rows, [1.1, 2.9, 4.9, 7.1]);
  close(x, [1, 2]);
});

void test('a negative unconstrained coefficient is clamped to 0 and the rest refitted', () => {
  // Unconstrained: y = -1 + 1 t fits (0,-1), (1,0), (2,1) exactly. With x >= 0 the intercept is 0 and the
  // slope minimises sum (s t - y)^2: s = sum(t y) / sum(t^2) = (0 + 0 + 2) / (0 + 1 + 4) = 0.4.
  const rows = [0, 1, 2].map((t) => [1, t]);
  const { x } = nnls(rows, [-1, 0, 1]);
  close(x, [0, 0.4]);
});

void test('all coefficients negative gives the zero vector', () => {
  const { x, residual } = nnls(
    [
      [1, 0],
      [0, 1],
    ],
    [-2, -3],
  );
  close(x, [0, 0]);
  assert.ok(Math.abs(residual - Math.sqrt(13)) < 1e-9);
});

void test('three unknowns, one clamped: the USL shape with a negative contention term', () => {
  // T(k) = 1 + 8/k - 0.05(k-1) at k = 1, 2, 4, 8 has c < 0; with c >= 0 the fit is the Amdahl fit a + b/k.
  const ks = [1, 2, 4, 8];
  const y = ks.map((k) => 1 + 8 / k - 0.05 * (k - 1));
  const withC = nnls(
    ks.map((k) => [1, 1 / k, k - 1]),
    y,
  );
  const withoutC = nnls(
    ks.map((k) => [1, 1 / k]),
    y,
  );
  assert.equal(withC.x[2], 0);
  close(withC.x.slice(0, 2), withoutC.x, 1e-9);
  assert.ok(withC.x[0]! > 0 && withC.x[1]! > 0);
});

void test('mismatched sizes are a clear error', () => {
  assert.throws(() => nnls([[1, 2]], [1, 2]), /1 rows but 2 observations/);
});
