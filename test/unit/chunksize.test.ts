// --chunksize: the choice as typed, auto's sweep per worker count, the planned configurations, and the sweep the
// report draws (the recommended pair, its gain over the default chunking, the lens and the printed grid).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseChunksize, poolCallText } from '../../protocol/chunksize';
import type { PoolConfig } from '../../protocol/harness';
import { resultSummary } from '../../protocol/resultSummary';
import { buildReport } from '../../runner/analysis/buildReport';
import { parseCommandLine, UsageError } from '../../runner/cli/args';
import { renderSummary } from '../../runner/cli/table';
import { autoChunksizes, withChunksizes } from '../../runner/profile/chunksizePlan';
import { configMeasurements, equal, targetMeasurements } from './analysisSynthetic';

const root = path.resolve(__dirname, '..', '..');
const seed = 'samples/seed/complex_operation.py:complex_operation';

void test('--chunksize takes auto or positive integers; anything else names the option', () => {
  assert.deepEqual(parseChunksize('auto', '--chunksize'), { ok: true, value: 'auto' });
  assert.deepEqual(parseChunksize('16, 1,16', '--chunksize'), { ok: true, value: [1, 16] });
  for (const bad of ['0', '-1', 'abc', '1.5', '', '4,,8', '2x']) {
    const parsed = parseChunksize(bad, '--chunksize');
    assert.ok(!parsed.ok && /^--chunksize must be "auto" or a list/.test(parsed.error), bad);
  }
  for (const argv of [
    ['--chunksize', '0'],
    ['--chunksize=-1'],
    ['--chunksize', '-1'],
    ['--chunksize', 'abc'],
  ]) {
    assert.throws(
      () => parseCommandLine(['profile', seed, ...argv], root),
      (error: unknown) => error instanceof UsageError && /--chunksize/.test(error.message),
      argv.join(' '),
    );
  }
  const request = parseCommandLine(['profile', seed, '--chunksize', 'auto'], root);
  assert.ok(typeof request === 'object' && request.command === 'profile');
  assert.equal(request.options.chunksize, 'auto');
});

void test('--chunksize without a backend that takes one is bad usage', () => {
  assert.throws(
    () => parseCommandLine(['profile', seed, '--backends', 'thread', '--chunksize', '8'], root),
    (error: unknown) => error instanceof UsageError && /--chunksize applies to process/.test(error.message),
  );
});

void test("auto: 1, Pool's default, n/k, the tiny-tasks suggestion and powers of two between", () => {
  // 20,000 tasks of 1 us on 2 workers: the suggestion is capped at Pool's default, ceil(20000 / 8) = 2500.
  assert.deepEqual(autoChunksizes(20_000, 2, 1e-6, null), [1, 8, 64, 512, 2500, 10_000]);
  // The default run already measures the backend's own chunking.
  assert.deepEqual(autoChunksizes(20_000, 2, 1e-6, 2500), [1, 8, 64, 512, 10_000]);
  // Few inputs: nothing to fill in, and nothing above n.
  assert.deepEqual(autoChunksizes(10, 4, 0.05, null), [1, 3]);
  assert.deepEqual(autoChunksizes(1, 1, null, null), [1]);
});

void test('a list replaces the default chunking and is clamped to the inputs; auto keeps the default', () => {
  const configs: PoolConfig[] = [
    { id: 'serial', backend: 'serial', workers: 1 },
    { id: 'process-k2', backend: 'process', workers: 2 },
    { id: 'thread-k2', backend: 'thread', workers: 2 },
  ];
  const listed = withChunksizes(configs, [4, 50, 80], 10, null);
  assert.deepEqual(
    listed.configs.map((c) => [c.id, c.chunksize]),
    [
      ['serial', undefined],
      ['process-k2-c4', 4],
      ['process-k2-c10', 10],
      ['thread-k2', undefined],
    ],
  );
  assert.deepEqual(listed.clamped, [50, 80]);
  const auto = withChunksizes(configs, 'auto', 100, 0.001);
  assert.deepEqual(
    auto.configs.filter((c) => c.backend === 'process').map((c) => c.chunksize),
    [undefined, 1, 50],
  );
  assert.deepEqual(auto.clamped, []);
});

/** A process run at chunksize c: 40 tasks of 10 ms on 2 workers, each task paying `dispatch` seconds first. */
function chunked(chunksize: number | undefined, dispatch: number, shownChunksize: number) {
  const c = configMeasurements({
    backend: 'process',
    workers: 2,
    durations: equal(40, 0.01),
    dispatch,
    chunksize: shownChunksize,
  });
  if (chunksize !== undefined) c.config = { ...c.config, id: `${c.config.id}-c${chunksize}`, chunksize };
  return c;
}

void test('the sweep recommends the smallest chunksize within the best interval, with its gain over the default', () => {
  const serial = configMeasurements({ backend: 'serial', workers: 1, durations: equal(40, 0.01) });
  const report = buildReport(
    [
      targetMeasurements([
        serial,
        chunked(undefined, 0.004, 5),
        chunked(1, 0.01, 1),
        chunked(8, 0.001, 8),
        chunked(16, 0.001, 16),
      ]),
    ],
    { errors: [], environment: null },
  );
  const runs = report.runs.filter((r) => r.backend === 'process');
  assert.deepEqual(
    runs.map((r) => [r.chunksize, r.label]),
    [
      [undefined, 'nap · process · CPython 3.11.7'],
      [1, 'nap · process (chunksize 1) · CPython 3.11.7'],
      [8, 'nap · process (chunksize 8) · CPython 3.11.7'],
      [16, 'nap · process (chunksize 16) · CPython 3.11.7'],
    ],
  );
  assert.equal(runs[2]!.recommendation?.chunksize, 8);
  const sweep = report.chunksizeSweeps?.[0];
  assert.ok(sweep);
  assert.equal(sweep.label, 'nap · process · CPython 3.11.7');
  assert.deepEqual(
    sweep.cells.map((c) => [c.chunksize, c.isDefault]),
    [
      [1, false],
      [5, true],
      [8, false],
      [16, false],
    ],
  );
  // 8 and 16 tie (the same schedule): the smaller is recommended.
  assert.equal(sweep.recommended.chunksize, 8);
  assert.equal(sweep.recommended.workers, 2);
  // Default: 20 tasks of 14 ms per worker; chunksize 8: 20 of 11 ms. T(default) / T(8) = 0.28 / 0.22.
  assert.ok(sweep.gainOverDefault);
  assert.ok(Math.abs(sweep.gainOverDefault.mean - 0.28 / 0.22) < 1e-9, String(sweep.gainOverDefault.mean));
  assert.equal(sweep.gainOverDefault.defaultChunksize, 5);
  assert.match(
    sweep.summary,
    /^Pool\(2\), chunksize=8: 1\.82x .*1\.27x .* the speed of the default chunking \(chunksize=5\)/,
  );
  assert.equal(resultSummary(report, 'nap'), 'Pool(2), chunksize=8: 1.8x');
  const printed = renderSummary(report);
  assert.match(printed, /Speedup by workers and chunksize, nap · process · CPython 3\.11\.7/);
  assert.match(printed, /\n\s+8\s+1\.82 \[1\.82, 1\.82\] \*\n/);
  assert.match(printed, /\n\s+5\s+1\.43 \[1\.43, 1\.43\] d\n/);
});

void test('the lens names the pool call', () => {
  assert.equal(poolCallText('process', 4, 16), 'Pool(4), chunksize=16');
  assert.equal(poolCallText('futures-process', 2, 1), 'ProcessPoolExecutor(2), chunksize=1');
  assert.equal(poolCallText('joblib', 2, 8), 'Parallel(n_jobs=2), batch_size=8');
  assert.equal(poolCallText('piscina', 4, 16), 'Piscina(4), inputs per run=16');
  assert.equal(poolCallText('thread', 2, undefined), 'thread, 2 workers');
});
