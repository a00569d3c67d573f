// The report page's pure parts against analytic values: model curves, timeline decimation, trace and CSV export.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Run, TaskRecord } from '../../protocol/report';
import { decodeColumns, decodeTasks, encodeTasks } from '../../protocol/taskTable';
import {
  fittedCurve,
  fittedSpeedup,
  log2WorkerTicks,
  predictedCeiling,
  taskCeiling,
} from '../../webview/curves';
import { decimateTasks } from '../../webview/decimate';
import { TABLE_COLUMNS, tableRows, toCsv } from '../../webview/numbersTable';
import { runKey } from '../../webview/runLabel';
import { toTraceEvents } from '../../webview/traceEvents';
import { twoBackendReport } from '../fixtures/reports/synthetic';

function runWithFit(fit: Run['fit'], workers: number[]): Run {
  const run = structuredClone(twoBackendReport().runs[1]!);
  run.fit = fit;
  run.points = run.points.filter((p) => workers.includes(p.workers));
  return run;
}

void test('the task-count ceiling is n / ceil(n / k)', () => {
  assert.equal(taskCeiling(10, 4), 10 / 3);
  assert.equal(taskCeiling(64, 8), 8);
  assert.equal(taskCeiling(3, 8), 3);
});

void test('fitted speedup: time-domain USL, sigma/kappa USL, then Amdahl', () => {
  const timeDomain = runWithFit(
    { serialFraction: 0.1, usl: { sigma: 0.1, kappa: 0, peakWorkers: null, a: 1, b: 9, c: 0.5 } },
    [1, 2],
  );
  assert.equal(fittedSpeedup(timeDomain, 3), 10 / (1 + 3 + 1));
  const usl = runWithFit({ serialFraction: 0.1, usl: { sigma: 0.1, kappa: 0.01, peakWorkers: 9.5 } }, [1, 2]);
  assert.equal(fittedSpeedup(usl, 4), 4 / (1 + 0.3 + 0.12));
  const amdahl = runWithFit({ serialFraction: 0.25, usl: null }, [1, 2]);
  assert.equal(fittedSpeedup(amdahl, 2), 1 / (0.25 + 0.375));
  assert.deepEqual(predictedCeiling(amdahl), { speedup: 4, workers: null });
  assert.equal(fittedSpeedup(runWithFit({ serialFraction: null, usl: null }, [1]), 2), null);
});

void test('the fitted curve covers the measured range and predicts to twice it', () => {
  const run = runWithFit({ serialFraction: 0.25, usl: null }, [1, 2, 4]);
  const { measured, predicted } = fittedCurve(run);
  assert.deepEqual(
    measured.map((p) => p.x),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    predicted.map((p) => p.x),
    [4, 5, 6, 7, 8],
  );
  assert.equal(predicted[0]!.y, measured[3]!.y);
});

void test('decimation keeps every task counted, merges sub-slot tasks and keeps long ones whole', () => {
  const tasks: TaskRecord[] = [];
  for (let i = 0; i < 20_000; i += 1)
    tasks.push({
      worker: `w${i % 8}`,
      input: i,
      start: Math.floor(i / 8) * 0.0004,
      end: Math.floor(i / 8) * 0.0004 + 0.0004,
    });
  tasks.push({ worker: 'w0', input: 20_000, start: 1.0, end: 2.0 });
  // As the page reads it: the report's table decoded to columns.
  const segments = decimateTasks(decodeColumns(encodeTasks(tasks)), 500);
  assert.equal(
    segments.reduce((sum, s) => sum + s.count, 0),
    tasks.length,
  );
  assert.ok(segments.length <= 8 * 500 + 1, `${segments.length} segments`);
  assert.ok(segments.length < tasks.length / 4);
  const long = segments.find((s) => s.input === 20_000)!;
  assert.equal(long.count, 1);
  assert.ok(Math.abs(long.start - 1) < 1e-9 && Math.abs(long.end - 2) < 1e-9, `${long.start}-${long.end}`);
  assert.deepEqual(decimateTasks(decodeColumns(encodeTasks([])), 100), []);
});

void test('the trace has a complete event per task, in microseconds, and names its processes and threads', () => {
  const report = twoBackendReport();
  const trace = toTraceEvents(report);
  const tasks = report.runs.flatMap((run) => run.points.flatMap((p) => decodeTasks(p.tasks)));
  const complete = trace.traceEvents.filter((e) => e.ph === 'X');
  assert.equal(complete.length, tasks.length);
  assert.equal(complete[5]!.dur, (tasks[5]!.end - tasks[5]!.start) * 1e6);
  const points = report.runs.reduce((sum, run) => sum + run.points.length, 0);
  assert.equal(trace.traceEvents.filter((e) => e.name === 'process_name').length, points);
});

void test('CSV quotes commas, quotes and line breaks', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        ['x,y', 'say "hi"'],
        ['line\nbreak', 'plain'],
      ],
    ),
    'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",plain\r\n',
  );
  const rows = tableRows(twoBackendReport().runs);
  assert.equal(rows.length, 9);
  assert.ok(rows.every((row) => row.length === TABLE_COLUMNS.length));
});

void test('runs of a size sweep keep apart on the page: the input size is part of a run’s key', () => {
  const run = structuredClone(twoBackendReport().runs[1]!);
  const at = (inputSize: number | null): Run => ({ ...run, inputSize });
  assert.notEqual(runKey(at(100)), runKey(at(1000)));
  assert.equal(runKey(at(null)), runKey({ ...run }));
});

void test('worker counts over a factor of 16 get a log2 axis with a tick per power of two; narrower ones stay linear', () => {
  assert.deepEqual(log2WorkerTicks([1, 2, 4, 8, 16, 32, 64], 128), [1, 2, 4, 8, 16, 32, 64, 128]);
  assert.deepEqual(log2WorkerTicks([2, 32], 32), [1, 2, 4, 8, 16, 32]);
  assert.equal(log2WorkerTicks([1, 2, 4, 8], 16), null);
  assert.equal(log2WorkerTicks([64], 128), null);
});
