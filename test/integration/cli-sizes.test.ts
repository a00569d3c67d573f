// The input-size sweep (--sizes, --weak) against sleep tasks of equal length, whose efficiency at every size is
// known exactly: n tasks of d on k threads take ceil(n/k) d, so E(k, n) = n / (k ceil(n/k)).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../protocol/report';
import { assertWithin, repoRoot, runCli } from './cliRunner';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');
const jsSleep = path.join(repoRoot, 'samples', 'js', 'sleep.ts');

function sizedPoint(report: Report, backend: string, size: number, k: number) {
  const run = report.runs.find((r) => r.backend === backend && r.inputSize === size);
  assert.ok(run, `no ${backend} run at n = ${size}`);
  const point = run.points.find((p) => p.workers === k);
  assert.ok(point, `no point at k = ${k}, n = ${size}`);
  return point;
}

void test('strong scaling at n = 4, 6, 8: E(k, n) = n / (k ceil(n/k)), and the isoefficiency points', async () => {
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    '[0.1] * n',
    '--sizes',
    '4,6,8',
    '--workers',
    '2,3',
    '--backends',
    'thread',
    '--repeat',
    '5',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  for (const n of [4, 6, 8]) {
    assert.equal(report.runs.find((r) => r.backend === 'serial' && r.inputSize === n)?.inputCount, n);
    for (const k of [2, 3]) {
      const expected = n / (k * Math.ceil(n / k));
      assertWithin(sizedPoint(report, 'thread', n, k).efficiency, expected, 0.05, `E(${k}, ${n})`);
    }
  }
  const [sweep] = report.sizeSweeps!;
  assert.equal(sweep!.weak, false);
  assert.deepEqual(sweep!.sizes, [4, 6, 8]);
  // k = 2: E = 1 already at n = 4. k = 3: E(3, 4) = 2/3 and E(3, 6) = 1 bracket 0.8, both far from it; in log-size
  // the crossing is at n = 4 x (6/4)^((0.8 - 2/3) / (1 - 2/3)) = 4 x 1.5^0.4.
  const two = sweep!.isoefficiency.find((i) => i.workers === 2)!;
  assert.deepEqual([two.inputSize, two.interpolated], [4, false]);
  const three = sweep!.isoefficiency.find((i) => i.workers === 3)!;
  assert.equal(three.interpolated, true);
  assertWithin(three.inputSize!, 4 * 1.5 ** 0.4, 0.05, 'isoefficiency n at k = 3');
  assert.match(result.stdout, /isoefficiency/);
  assert.match(result.stdout, /k=3: n ≈ 4\.\d+ \(interpolated in log-size/);
  assert.deepEqual(result.leftovers, []);
});

void test('no size reaching 0.8 is said so', async () => {
  // 5 naps on 4 threads: E(4) = 5 / (4 x 2) = 0.625, far enough below 0.8 that a busy machine's late wake-ups
  // in the serial pass cannot lift it over.
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    '[0.05] * n',
    '--sizes',
    '5',
    '--workers',
    '4',
    '--backends',
    'thread',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const iso = result.report!.sizeSweeps![0]!.isoefficiency[0]!;
  assert.equal(iso.inputSize, null);
  assert.match(iso.note, /no measured size reaches E\(4\) >= 0\.8/);
});

void test('weak scaling from n0 = 2: the scaled speedup k T(1, n0) / T(k, k n0) is k, on Gustafson’s line', async () => {
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    '[0.1] * n',
    '--sizes',
    '2',
    '--weak',
    '--workers',
    '2,3',
    '--backends',
    'thread',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const sweep = result.report!.sizeSweeps![0]!;
  assert.equal(sweep.weak, true);
  assert.deepEqual(
    sweep.weakPoints!.map((p) => [p.workers, p.inputSize]),
    [
      [1, 2],
      [2, 4],
      [3, 6],
    ],
  );
  for (const p of sweep.weakPoints!) {
    assertWithin(p.scaledSpeedup, p.workers, 0.05, `scaled speedup at k = ${p.workers}`);
    assertWithin(p.computationScalability!, 1, 0.05, `weak CompS at k = ${p.workers}`);
  }
  assert.ok(sweep.gustafsonSerialFraction! < 0.05, `s = ${sweep.gustafsonSerialFraction}`);
  assert.match(result.stdout, /Weak scaling, .* \(n = k x 2\)/);
});

void test('JavaScript: n in the --inputs expression takes each size', async () => {
  const result = await runCli([
    `${jsSleep}:nap`,
    '--inputs',
    'Array.from({length: n}, () => 200) // n naps of 200 ms',
    '--sizes',
    '2,4',
    '--workers',
    '2',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  for (const n of [2, 4]) {
    const run = report.runs.find((r) => r.backend === 'piscina' && r.inputSize === n)!;
    assert.equal(run.inputCount, n);
    assertWithin(run.points[0]!.efficiency, 1, 0.05, `E(2, ${n})`);
  }
});

void test('a size whose inputs raise is that size’s error; the other sizes are kept', async () => {
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    '[0.02] * n if n < 3 else 1 / 0',
    '--sizes',
    '2,3',
    '--workers',
    '2',
    '--backends',
    'thread',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 1, result.stderr);
  const report = result.report!;
  assert.ok(report.runs.some((r) => r.backend === 'thread' && r.inputSize === 2 && r.points.length === 1));
  assert.ok(!report.runs.some((r) => r.inputSize === 3));
  assert.equal(report.errors.length, 1, JSON.stringify(report.errors));
  assert.equal(report.errors[0]!.code, 'inputs-failed');
  assert.match(report.errors[0]!.message, /^n = 3: .*ZeroDivisionError/);
});

void test('bad --sizes and --weak are usage errors (exit 2)', async () => {
  for (const args of [
    ['--sizes', '10,100'],
    ['--sizes', '10,100', '--inputs', 'range(10)'],
    ['--sizes', '0,10', '--inputs', 'range(n)'],
    ['--sizes=-5', '--inputs', 'range(n)'],
    ['--sizes', '1.5', '--inputs', 'range(n)'],
    ['--weak', '--inputs', 'range(n)'],
  ]) {
    const result = await runCli([`${sleepy}:nap`, ...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /--sizes|--weak/);
  }
});
