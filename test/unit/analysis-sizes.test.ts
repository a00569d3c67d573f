// The isoefficiency point (docs/method.md section 10) on efficiencies known exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoefficiency } from '../../runner/analysis/sizes';
import { usesSizeName } from '../../protocol/sizes';
import { inputsAtSize } from '../../runner/profile/sizes';

/** E(k, n) = n / (k ceil(n / k)) of equal sleep tasks. */
const exact = (k: number, n: number) => n / (k * Math.ceil(n / k));

void test('the crossing of 0.8 is interpolated in log-size between the sizes around it', () => {
  const points = [4, 5, 6].map((n) => ({ inputSize: n, efficiency: exact(3, n) }));
  const iso = isoefficiency(3, points);
  assert.equal(iso.interpolated, true);
  assert.ok(Math.abs(iso.inputSize! - 4 * 1.25 ** 0.8) < 1e-9, String(iso.inputSize));
  assert.match(iso.note, /interpolated in log-size between n = 4 \(E 0\.67\) and n = 5 \(E 0\.83\)/);
});

void test('at the smallest size already: that size, not interpolated; never: null and said so', () => {
  const first = isoefficiency(
    2,
    [10, 100].map((n) => ({ inputSize: n, efficiency: exact(2, n) })),
  );
  assert.deepEqual([first.inputSize, first.interpolated], [10, false]);
  const never = isoefficiency(4, [
    { inputSize: 10, efficiency: 0.3 },
    { inputSize: 100, efficiency: 0.6 },
  ]);
  assert.equal(never.inputSize, null);
  assert.match(never.note, /no measured size reaches E\(4\) >= 0\.8 \(best 0\.60\)/);
});

void test('n is found as a name of its own, and bound in both languages', () => {
  for (const yes of ['range(n)', '[0.1] * n', 'Array.from({length: n}, () => 1)', 'n'])
    assert.ok(usesSizeName(yes), yes);
  for (const no of ['range(10)', 'len(x)', 'n_items', 'obj.n', '$n']) assert.ok(!usesSizeName(no), no);
  assert.deepEqual(
    eval(inputsAtSize('javascript', 'Array.from({length: n}, (_, i) => i * n) // a comment', 3)),
    [0, 3, 6],
  );
  assert.equal(inputsAtSize('python', 'range(n)  # comment', 7), '(lambda n: (\nrange(n)  # comment\n))(7)');
});
