// --chunksize through the CLI with real Python pools: auto's sweep on tasks so small that dispatch dominates, a
// chunksize above the input count, and bad values refused before anything runs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Run } from '../../protocol/report';
import { cliFixtures, repoRoot, runCli } from './cliRunner';

const tiny = `${path.join(cliFixtures, 'tiny.py')}:tiny`;
const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');

/** Each run's one point at its chunksize, with the speedup the sleep schedule gives exactly (within 5%). */
function assertSpeedups(runs: Run[], expected: number[]): void {
  runs.forEach((run, i) => {
    const point = run.points[0]!;
    assert.equal(point.chunksize, run.chunksize);
    assert.ok(
      Math.abs(point.speedup.mean - expected[i]!) <= 0.05 * expected[i]!,
      `${run.label}: ${point.speedup.mean}`,
    );
  });
}

void test("auto on 20,000 tiny tasks beats chunksize 1 by 3x and does not lose to Pool's default", async () => {
  const result = await runCli(
    [
      tiny,
      '--inputs',
      'range(20000)',
      '--backends',
      'process',
      '--workers',
      '2',
      '--chunksize',
      'auto',
      '--repeat',
      '5',
    ],
    { timeoutMs: 300_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const sweep = result.report!.chunksizeSweeps?.[0];
  assert.ok(sweep, JSON.stringify(result.report!.runs.map((r) => r.label)));
  // ceil(20000 / 8) = 2500 is Pool's default; auto adds 1, 8, 64, 512 and ceil(20000 / 2) = 10000.
  assert.deepEqual(
    sweep.cells.map((c) => [c.chunksize, c.isDefault]),
    [
      [1, false],
      [8, false],
      [64, false],
      [512, false],
      [2500, true],
      [10000, false],
    ],
  );
  const one = sweep.cells.find((c) => c.chunksize === 1)!;
  const chosen = sweep.recommended;
  assert.ok(
    chosen.speedup.mean >= 3 * one.speedup.mean,
    `recommended ${JSON.stringify(chosen)} against chunksize 1 ${JSON.stringify(one)}`,
  );
  const gain = sweep.gainOverDefault;
  assert.ok(gain, 'the default chunking was measured at the recommended count');
  assert.equal(gain.defaultChunksize, 2500);
  // Not slower than the default beyond the interval: the gain's interval reaches 1 or above.
  assert.ok(gain.ci95[1] >= 1, `gain over the default ${JSON.stringify(gain)}`);
  const run = result.report!.runs.find((r) => r.chunksize === chosen.chunksize);
  assert.ok(chosen.isDefault || run, 'the recommended chunksize is a run of its own');
  assert.match(result.stdout, /Speedup by workers and chunksize/);
  assert.match(result.stdout, /recommended Pool\(2\), chunksize=\d+: /);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('a chunksize above the input count is clamped, with a note; futures-process takes it', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    '--backends',
    'futures-process',
    '--workers',
    '2',
    '--chunksize',
    '5,50',
    '--repeat',
    '2',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const runs = report.runs.filter((r) => r.backend === 'futures-process');
  assert.deepEqual(
    runs.map((r) => r.chunksize),
    [5, 10],
  );
  const warning = report.warnings.find((w) => w.code === 'chunksize-clamped');
  assert.ok(warning, JSON.stringify(report.warnings));
  assert.match(warning.message, /chunksize 50 was asked for, but there are only 10 inputs/);
  // 10 naps of 50 ms in chunks of 5 on 2 workers: 5 each, S = 2; one chunk of 10: S = 1.
  assertSpeedups(runs, [2, 1]);
});

void test('--chunksize 0, -1 and abc exit 2 naming the option', async () => {
  for (const value of ['0', '-1', 'abc']) {
    const result = await runCli([`${sleepy}:nap`, `--chunksize=${value}`], { readReport: false });
    assert.equal(result.code, 2, `${value}: exit ${result.code}\n${result.stderr}`);
    assert.match(result.stderr, /--chunksize must be "auto" or a list of positive integers/);
  }
});

void test('piscina: a chunk maps over a slice in one pool.run(), each input still timed', async () => {
  // 8 sleeps of 50 ms on 2 worker threads: chunks of 4 give each thread 4 (S = 2); one chunk of 8 runs on one (S = 1).
  const result = await runCli([
    `${path.join(repoRoot, 'test', 'fixtures', 'js', 'sleep.mjs')}:sleepSync`,
    '--inputs',
    'Array(8).fill(50)',
    '--workers',
    '2',
    '--chunksize',
    '4,8',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const runs = result.report!.runs.filter((r) => r.backend === 'piscina');
  assert.deepEqual(
    runs.map((r) => r.chunksize),
    [4, 8],
  );
  assertSpeedups(runs, [2, 1]);
  assert.match(result.report!.runs[1]!.label ?? '', /piscina \(chunksize 4\)/);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});
