// What-if predictions and the ranking across targets, on synthetic schedules whose answers are known exactly:
// the LPT makespan, the longest-first twin beside its prediction, the fitted model past the measured counts, and
// targets with equal and differing results.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Target } from '../../protocol/report';
import { modelSpeedup } from '../../protocol/scalingModel';
import { longestFirst } from '../../protocol/taskOrder';
import { buildReport } from '../../runner/analysis/buildReport';
import { lptMakespan } from '../../runner/analysis/whatIf';
import { renderSummary } from '../../runner/cli/table';
import { withLongestFirst } from '../../runner/profile/orderPlan';
import { configMeasurements, equal, targetMeasurements } from './analysisSynthetic';

const DURATIONS = [0.1, 0.1, 0.1, 0.1, 0.4];

void test('LPT schedules longest first on the worker free soonest (not always the optimum)', () => {
  assert.equal(lptMakespan(DURATIONS, 2), 0.4);
  // Graham's example: LPT gives 7 where 6 (3+3 | 2+2+2) is optimal.
  assert.equal(lptMakespan([3, 3, 2, 2, 2], 2), 7);
  assert.equal(lptMakespan([1, 2, 3], 8), 3);
  assert.deepEqual(longestFirst([0.1, 0.4, 0.2, 0.4]), [1, 3, 2, 0]);
});

void test('--order longest-first adds a twin after each orderable pool at its own chunking', () => {
  const planned = withLongestFirst(
    [
      { id: 'serial', backend: 'serial', workers: 1 },
      { id: 'thread-k2', backend: 'thread', workers: 2 },
      { id: 'process-k2-c4', backend: 'process', workers: 2, chunksize: 4 },
      { id: 'dask-k2', backend: 'dask', workers: 2 },
    ],
    [1, 0],
  );
  assert.deepEqual(
    planned.map((c) => [c.id, c.taskOrder, c.order]),
    [
      ['serial', undefined, undefined],
      ['thread-k2', undefined, undefined],
      ['thread-k2-lf', 'longest-first', [1, 0]],
      ['process-k2-c4', undefined, undefined],
      ['dask-k2', undefined, undefined],
    ],
  );
});

function imbalancedTarget(target?: Target, scale = 1) {
  const durations = DURATIONS.map((d) => d * scale);
  const serial = configMeasurements({ backend: 'serial', workers: 1, durations });
  const one = configMeasurements({ backend: 'thread', workers: 1, durations });
  const given = configMeasurements({ backend: 'thread', workers: 2, durations });
  const twin = configMeasurements({ backend: 'thread', workers: 2, durations: [...durations].reverse() });
  twin.config = { ...twin.config, id: 'thread-k2-lf', taskOrder: 'longest-first', order: [4, 3, 2, 1, 0] };
  return targetMeasurements([serial, one, given, twin], target ? { target } : {});
}

void test('the longest-first prediction stands beside the measured twin; free dispatch and the model too', () => {
  const report = buildReport([imbalancedTarget()], { errors: [], environment: null });
  const given = report.runs.find((r) => r.backend === 'thread' && r.taskOrder === undefined)!;
  const twin = report.runs.find((r) => r.taskOrder === 'longest-first')!;
  assert.equal(twin.label, 'nap · thread (longest-first) · CPython 3.11.7');
  const lpt = given.whatIf!.find((w) => w.scenario === 'longest-first')!;
  assert.equal(lpt.workers, 2);
  assert.ok(Math.abs(lpt.wallSeconds.mean - 0.4) < 1e-9, String(lpt.wallSeconds.mean));
  assert.ok(Math.abs(lpt.speedup.mean - 2) < 1e-9);
  assert.ok(lpt.measured);
  assert.ok(Math.abs(lpt.measured.wallSeconds.mean - 0.4) < 1e-9);
  assert.equal(lpt.measured.run, twin.label);
  // The replay with free dispatch keeps the given order: 0.6 s, S = 0.8 / 0.6.
  const free = given.whatIf!.find((w) => w.scenario === 'free-dispatch')!;
  assert.ok(Math.abs(free.speedup.mean - 0.8 / 0.6) < 1e-9);
  // Amdahl through T(1) = 0.8 and T(2) = 0.6: a = b = 0.4; at 16 and 32 workers (2x and 4x the 8 usable cores).
  const far = given.whatIf!.filter((w) => w.scenario === 'extrapolated');
  assert.deepEqual(
    far.map((w) => w.workers),
    [16, 32],
  );
  assert.ok(Math.abs(far[0]!.speedup.mean - 0.8 / (0.4 + 0.4 / 16)) < 1e-6);
  assert.ok(Math.abs(modelSpeedup(given.scalingModel!, 100).mean - 0.8 / 0.404) < 1e-6);
  // The twin itself predicts no longest-first of its own.
  assert.ok(!(twin.whatIf ?? []).some((w) => w.scenario === 'longest-first'));
  const warning = report.warnings.find((w) => w.code === 'load-imbalance' && w.scope === given.label);
  assert.ok(warning, JSON.stringify(report.warnings.map((w) => [w.code, w.scope])));
  assert.match(
    warning.suggestion ?? '',
    /Measured with the inputs longest first at 2 workers: S 1\.33x → 2\.00x \[2\.00, 2\.00\], 1\.50x as fast \(predicted 2\.00x\)/,
  );
  const printed = renderSummary(report);
  assert.match(printed, /What if \(predictions, not measurements\), nap · thread · CPython 3\.11\.7:/);
  assert.match(printed, /inputs longest first\s+2\s+2\.00 \[2\.00, 2\.00\]\s+2\.00 \[2\.00, 2\.00\]/);
});

void test('targets with equal results are ranked together, with a headline; differing ones apart', () => {
  const slow: Target = { file: 'work.py', function: 'pure', language: 'python' };
  const fast: Target = { file: 'work.py', function: 'vectorized', language: 'python' };
  const other: Target = { file: 'work.py', function: 'different', language: 'python' };
  const third = targetMeasurements(
    [configMeasurements({ backend: 'serial', workers: 1, durations: equal(5, 0.01), hashes: () => 'other' })],
    { target: other },
  );
  const report = buildReport([imbalancedTarget(slow), imbalancedTarget(fast, 0.01), third], {
    errors: [],
    environment: null,
  });
  const ranking = report.ranking!;
  const first = ranking.filter((e) => e.group === 0);
  assert.deepEqual(first[0], {
    target: 'vectorized (work.py)',
    backend: 'thread',
    label: 'vectorized · thread (longest-first) · CPython 3.11.7',
    workers: 2,
    wallSeconds: first[0]!.wallSeconds,
    rank: 1,
    group: 0,
    sameResultsAs: ['pure (work.py)'],
  });
  assert.deepEqual(
    first.map((e) => e.rank),
    first.map((_, i) => i + 1),
  );
  const headline = report.rankingHeadlines!.find((h) => h.group === 0)!;
  // The best pool of pure: its longest-first run, 0.4 s; vectorized's best: 0.004 s.
  assert.ok(Math.abs(headline.ratio!.mean - 100) < 1e-6, String(headline.ratio!.mean));
  assert.match(
    headline.text,
    /^vectorized, thread \(longest-first\), 2 workers: 100\.0x \[100\.0, 100\.0\] faster than the best pool of pure \(thread \(longest-first\), 2 workers\)$/,
  );
  assert.match(headline.note ?? '', /compute different things/);
  const apart = ranking.filter((e) => e.group === 1);
  assert.deepEqual(
    apart.map((e) => [e.target, e.rank, e.sameResultsAs]),
    [['different (work.py)', 1, []]],
  );
  assert.match(renderSummary(report), /Fastest way to the same results: vectorized, thread/);
});

void test('one target: no ranking', () => {
  const report = buildReport([imbalancedTarget()], { errors: [], environment: null });
  assert.equal(report.ranking, undefined);
});
