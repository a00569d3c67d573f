// JavaScript and TypeScript targets through the CLI, the way a user runs them: the same report, table and
// warnings as Python, with exact sleep speedups and JavaScript advice (real piscina pools, real threads).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { point, repoRoot, runCli } from './cliRunner';

const sleep = path.join(repoRoot, 'samples', 'js', 'sleep.ts');
const transfer = path.join(repoRoot, 'test', 'fixtures', 'js', 'transfer.mjs');

void test('8 blocking sleeps of 100 ms on piscina pools: S(k) = 8 / ceil(8 / k), in the table and the report', async () => {
  const result = await runCli([
    `${sleep}:nap`,
    '--inputs',
    'Array.from({length: 8}, () => 100)',
    '--workers',
    '1,2,3,4',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.leftovers, []);
  const report = result.report!;
  assert.match(report.environment?.runtime ?? '', /^Node\.js \d+/);
  const serial = report.runs.find((run) => run.backend === 'serial');
  assert.ok(serial, 'the serial baseline runs in a worker thread of its own');
  for (const [k, expected] of [
    [1, 1],
    [2, 2],
    [3, 8 / 3],
    [4, 4],
  ] as const) {
    const p = point(report, 'piscina', k);
    assert.ok(
      Math.abs(p.speedup.mean / expected - 1) < 0.08,
      `S(${k}) = ${p.speedup.mean}, expected ${expected}`,
    );
  }
  // The table a Python user sees, with the piscina rows.
  assert.match(result.stdout, /piscina/);
  assert.equal(
    report.warnings.find((w) => w.code === 'results-differ'),
    undefined,
    'the same values come back from every pool',
  );
});

void test('tiny tasks: the tiny-tasks warning says to batch inputs per pool.run(), piscina has no chunksize', async () => {
  const result = await runCli([
    `${transfer}:tiny`,
    '--inputs',
    'Array.from({length: 2000}, (_, i) => i)',
    '--workers',
    '2',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const warning = result.report!.warnings.find((w) => w.code === 'tiny-tasks');
  assert.ok(warning, JSON.stringify(result.report!.warnings));
  // clamp(ceil(0.2 s / median task), 1, ceil(2000 / (4 * 2))) = 250 for tasks far under 0.8 ms.
  assert.match(warning.suggestion ?? '', /array of about 250 inputs to each pool\.run\(\)/);
});

void test('2 MiB results: the large-transfer warning names the size and suggests Piscina.move', async () => {
  const result = await runCli([
    `${transfer}:big`,
    '--inputs',
    'Array.from({length: 40}, (_, i) => i)',
    '--workers',
    '2',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const run = result.report!.runs.find((r) => r.backend === 'piscina')!;
  // v8.serialize of 256 Ki doubles: 2 MiB and a few bytes of header.
  assert.ok(
    run.calibration && run.calibration.resultBytes >= 2 * 1024 * 1024,
    JSON.stringify(run.calibration),
  );
  const warning = result.report!.warnings.find((w) => w.code === 'large-transfer');
  assert.ok(warning, JSON.stringify(result.report!.warnings));
  assert.match(warning.message, /results 2\.0 MiB on average/);
  assert.match(warning.suggestion ?? '', /Piscina\.move\(buffer\)/);
});
