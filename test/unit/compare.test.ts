// Comparing two reports: matching by target, backend, interpreter and k; the ratio of the new time to the old with
// a bootstrap interval and a verdict; the regression gate; environment-differs; reports that cannot be compared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comparison } from '../../protocol/comparison';
import { parseReport, type Report } from '../../protocol/report';
import { compareReports } from '../../runner/analysis/compare';
import { twoBackendReport } from '../fixtures/reports/synthetic';

/** The report with every pass `factor` times as long, made in another checkout (another absolute path). */
function scaled(report: Report, factor: number): Report {
  const copy = structuredClone(report);
  for (const run of copy.runs) {
    run.target.file = `/elsewhere/checkout/${run.target.file}`;
    for (const point of run.points) {
      point.wallSeconds.samples = point.wallSeconds.samples.map((s) => s * factor);
      point.wallSeconds.mean *= factor;
    }
  }
  return copy;
}

const pointCount = (report: Report): number => report.runs.reduce((sum, run) => sum + run.points.length, 0);

void test('a report against itself: every point matched, no change, the gate passes', () => {
  const report = twoBackendReport();
  const outcome = compareReports({ file: 'a.json', report }, { file: 'a.json', report }, 10);
  assert.ok(outcome.ok);
  const comparison = outcome.value;
  assert.ok(Comparison.safeParse(comparison).success, 'the comparison JSON follows its schema');
  assert.equal(comparison.points.length, pointCount(report));
  for (const point of comparison.points) {
    assert.equal(point.verdict, 'no change');
    assert.equal(point.ratio, 1);
    assert.ok(point.ci95[0] < 1 && point.ci95[1] > 1, String(point.ci95));
  }
  assert.deepEqual(comparison.regression, { thresholdPercent: 10, failed: false });
  assert.deepEqual(comparison.warnings, []);
  assert.deepEqual(comparison.unmatched, { base: [], new: [] });
});

void test('every pass twice as long: ratio 2, slower, and a 10% gate fails; the other way round is faster', () => {
  const base = twoBackendReport();
  const next = scaled(base, 2);
  const outcome = compareReports({ file: 'base.json', report: base }, { file: 'new.json', report: next }, 10);
  assert.ok(outcome.ok);
  assert.equal(outcome.value.points.length, pointCount(base), 'matched across checkouts by base name');
  for (const point of outcome.value.points) {
    assert.ok(Math.abs(point.ratio - 2) < 1e-9, String(point.ratio));
    assert.ok(point.ci95[0] > 1.8 && point.ci95[1] < 2.2, String(point.ci95));
    assert.equal(point.verdict, 'slower');
  }
  assert.equal(outcome.value.regression?.failed, true);
  // A gate wider than the slowdown's lower bound does not fail.
  const wide = compareReports({ file: 'b', report: base }, { file: 'n', report: next }, 150);
  assert.ok(wide.ok && wide.value.regression?.failed === false);
  const back = compareReports({ file: 'n', report: next }, { file: 'b', report: base }, 10);
  assert.ok(back.ok);
  assert.ok(back.value.points.every((p) => p.verdict === 'faster' && Math.abs(p.ratio - 0.5) < 1e-9));
  assert.equal(back.value.regression?.failed, false);
});

void test('runs match by interpreter and start method too; what matches nowhere is listed', () => {
  const base = twoBackendReport();
  const next = structuredClone(base);
  next.runs[2]!.runtime = 'CPython 3.12.1';
  next.runs[1]!.points = next.runs[1]!.points.filter((p) => p.workers !== 8);
  // A patch release is the same interpreter for matching.
  next.runs[0]!.runtime = 'CPython 3.11.9';
  const outcome = compareReports({ file: 'b', report: base }, { file: 'n', report: next });
  assert.ok(outcome.ok);
  const names = outcome.value.points.map((p) => `${p.backend}@${p.workers}`);
  assert.ok(names.includes('serial@1') && names.includes('process@4'));
  assert.ok(!names.includes('thread@2') && !names.includes('process@8'));
  assert.deepEqual(outcome.value.unmatched, {
    base: [
      'complex_operation.py:complex_operation · process (fork) · CPython 3.11 · k=8',
      'complex_operation.py:complex_operation · thread · CPython 3.11',
    ],
    new: ['complex_operation.py:complex_operation · thread · CPython 3.12'],
  });
  assert.equal(outcome.value.regression, null);
});

void test('environment-differs names the cores, the CPU model and the interpreter that differ', () => {
  const base = twoBackendReport();
  const next = structuredClone(base);
  next.environment.logicalCores = 32;
  next.environment.cpuModel = 'Another CPU';
  next.runs[0]!.runtime = 'CPython 3.11.9';
  const outcome = compareReports({ file: 'b', report: base }, { file: 'n', report: next });
  assert.ok(outcome.ok);
  const [warning] = outcome.value.warnings;
  assert.equal(warning?.code, 'environment-differs');
  assert.match(warning.message, /cores: \d+ logical.* before, 32 logical/);
  assert.match(warning.message, /CPU model: .* before, Another CPU now/);
  assert.match(warning.message, /interpreter: .*CPython 3\.11\.2.* before, .*CPython 3\.11\.9.* now/);
  assert.equal(outcome.value.warnings.length, 1);
});

void test('reports of different targets cannot be compared; the error names both sides', () => {
  const base = twoBackendReport();
  const next = structuredClone(base);
  for (const run of next.runs) run.target.function = 'other_function';
  const outcome = compareReports({ file: 'b', report: base }, { file: 'n', report: next });
  assert.ok(!outcome.ok);
  assert.match(outcome.error, /no target, backend and interpreter in common/);
  assert.match(outcome.error, /base: complex_operation\.py:complex_operation/);
  assert.match(outcome.error, /new: complex_operation\.py:other_function/);
});

void test('a report of another schema version is refused with both versions named', () => {
  const parsed = parseReport({ ...twoBackendReport(), schemaVersion: 3 });
  assert.ok(!parsed.ok);
  assert.equal(
    parsed.error,
    'a report of schemaVersion 3; this version of Amdahl reads schemaVersion 1 and 2',
  );
});
