// The report built from synthetic sleep-like measurements: exact speedups, every field valid for parseReport,
// failed configurations as errors, and the size limit on kept passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport, type Environment, type Report } from '../../protocol/report';
import { decodeTasks, taskCount } from '../../protocol/taskTable';
import { buildReport, MAX_TASKS_WITH_PASSES } from '../../runner/analysis/buildReport';
import type { ConfigMeasurements } from '../../runner/analysis/measurements';
import {
  calibration,
  configMeasurements,
  equal,
  hello,
  loaded,
  targetMeasurements,
} from './analysisSynthetic';

const threadCounts = [1, 2, 3, 4, 5, 8, 10];

function sleepReport(): Report {
  const durations = equal(10, 0.05);
  const configs: ConfigMeasurements[] = [
    configMeasurements({ backend: 'serial', workers: 1, durations, samples: 10 }),
    // Listed out of order on purpose: points come out sorted by k.
    ...[...threadCounts]
      .reverse()
      .map((k) => configMeasurements({ backend: 'thread', workers: k, durations, samples: 10 })),
    ...[1, 2, 4].map((k) =>
      configMeasurements({
        backend: 'process',
        workers: k,
        startMethod: 'fork',
        durations,
        samples: 10,
        spawn: 0.02,
        ready: 0.15,
        teardown: 0.03,
        dispatch: 0.0005,
      }),
    ),
  ];
  return buildReport([targetMeasurements(configs, { calibration: calibration(0.00001) })], {
    errors: [],
    environment: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    tool: { name: 'amdahl', version: '0.1.0' },
  });
}

function assertValid(report: Report): void {
  const parsed = parseReport(JSON.parse(JSON.stringify(report)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
}

void test('10 tasks of 50 ms on k threads: S(k) = 10 / ceil(10 / k) exactly', () => {
  const report = sleepReport();
  assertValid(report);
  const thread = report.runs.find((r) => r.backend === 'thread')!;
  assert.deepEqual(
    thread.points.map((p) => p.workers),
    threadCounts,
  );
  for (const p of thread.points) {
    const exact = 10 / Math.ceil(10 / p.workers);
    assert.ok(Math.abs(p.speedup.mean - exact) < 1e-9, `S(${p.workers}) = ${p.speedup.mean}, want ${exact}`);
    assert.ok(Math.abs(p.speedup.ci95[0] - exact) < 1e-9 && Math.abs(p.speedup.ci95[1] - exact) < 1e-9);
    assert.ok(Math.abs(p.efficiency - exact / p.workers) < 1e-9);
    assert.ok(Math.abs(p.taskCeiling! - exact) < 1e-9, 'sleep tasks reach the task ceiling exactly');
    assert.ok(Math.abs(p.wallSeconds.mean - 0.05 * Math.ceil(10 / p.workers)) < 1e-9);
    assert.equal(p.wallSeconds.samples.length, 10);
    if (p.workers === 1) assert.equal(p.karpFlatt, null);
    else assert.ok(Math.abs(p.karpFlatt! - (1 / exact - 1 / p.workers) / (1 - 1 / p.workers)) < 1e-9);
    // Sleep tasks have no overhead except the tail the ceiling leaves.
    const o = p.overheadSeconds;
    assert.ok(
      Math.abs(
        o.computeInflation +
          o.dispatch +
          o.serialization +
          o.imbalance -
          (p.wallSeconds.mean - 0.5 / p.workers),
      ) < 1e-12,
    );
    assert.equal(o.serialization, 0, 'threads do not serialize');
  }
  // Only k = 10 reaches within 10% of the best (10x), at efficiency 1.
  assert.equal(thread.recommendation!.workers, 10);
  assert.equal(thread.label, 'nap · thread · CPython 3.11.7');
});

void test('the serial run has one point, 1 worker, speedup exactly 1, and no fit', () => {
  const report = sleepReport();
  const serial = report.runs.find((r) => r.backend === 'serial')!;
  assert.equal(report.runs[0], serial, 'the baseline comes first');
  assert.equal(serial.points.length, 1);
  const [p] = serial.points;
  assert.equal(p!.workers, 1);
  assert.deepEqual(p!.speedup, { mean: 1, ci95: [1, 1] });
  assert.equal(p!.efficiency, 1);
  assert.deepEqual(serial.fit, { serialFraction: null, usl: null });
  assert.equal(serial.recommendation, null);
  assert.equal(serial.resultHash, 'hash-ok');
});

void test('tasks are given from P2 for the median sample, and every pass is kept when small', () => {
  const report = sleepReport();
  const p = report.runs.find((r) => r.backend === 'thread')!.points.find((x) => x.workers === 4)!;
  const tasks = decodeTasks(p.tasks);
  assert.equal(tasks.length, 10);
  assert.equal(Math.min(...tasks.map((t) => t.start)), 0);
  assert.ok(Math.abs(Math.max(...tasks.map((t) => t.end)) - 0.15) < 1e-9);
  assert.equal(p.passes.length, 10);
  assert.deepEqual(
    p.passes.map((x) => x.sample),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.equal(p.passes.filter((x) => x.kept === 'median').length, 1, "the median pass is the point's tasks");
  const other = p.passes.find((x) => x.kept === 'all')!;
  assert.equal(decodeTasks(other.tasks!)[0]!.start, 0);
  assert.deepEqual(other.summary, {
    tasks: 10,
    busySeconds: other.summary!.busySeconds,
    busiestSeconds: other.summary!.busiestSeconds,
    cpuSeconds: other.summary!.cpuSeconds,
    medianTaskSeconds: other.summary!.medianTaskSeconds,
    workers: 4,
  });
  assert.ok(Math.abs(other.summary.busySeconds - 0.5) < 1e-9, '10 tasks of 50 ms');
  assert.ok(Math.abs(other.summary.busiestSeconds - 0.15) < 1e-9, 'the busiest of 4 workers ran 3');
  assert.ok(Math.abs(other.summary.medianTaskSeconds! - 0.05) < 1e-9);
  assert.match(report.taskRetention!.note, /^Every per-task timed pass is kept in full/);
});

void test('pool start-up, worker info, serialization and the fit of a process run', () => {
  const report = sleepReport();
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run.startMethod, 'fork');
  assert.equal(run.label, 'nap · process (fork) · CPython 3.11.7');
  const p = run.points.find((x) => x.workers === 4)!;
  assert.ok(Math.abs(p.overheadSeconds.startup - 0.15) < 1e-9);
  assert.ok(Math.abs(p.overheadSeconds.teardown - 0.03) < 1e-9);
  // 10 items x 4 x 10 us = 0.4 ms of serialization over 4 workers.
  assert.ok(Math.abs(p.overheadSeconds.serialization - 0.0004 / 4) < 1e-12);
  assert.equal(p.workerInfo!.length, 4);
  assert.ok(Math.abs(p.workerInfo![0]!.spawnSeconds! - 0.02) < 1e-9);
  assert.ok(Math.abs(p.workerInfo![0]!.readySeconds! - 0.15) < 1e-9);
  assert.equal(p.workerInfo![0]!.peakRssBytes, 50_000_000);
  assert.equal(p.beyondPhysicalCores, false);
  assert.equal(p.beyondUsableCores, false);
  assert.deepEqual(run.fit.usl?.fittedWorkers, [1, 2, 4]);
  assert.ok(run.fit.serialFraction !== null && run.fit.serialFraction >= 0 && run.fit.serialFraction < 1);
  assert.equal(run.inputCount, 10);
  assert.equal(run.stopReason, 'converged');
  assert.ok(run.calibration);
});

void test('the environment comes from the harness, or from the caller when given', () => {
  const report = sleepReport();
  assert.equal(report.environment.usableCores, 8);
  assert.equal(report.environment.physicalCores, 4);
  assert.equal(report.environment.runtime, 'CPython 3.11.7');
  assert.equal(report.environment.runtimes![0]!.gil, true);
  const given: Environment = {
    logicalCores: 2,
    usableCores: 2,
    physicalCores: 1,
    runtime: 'Node.js 20',
    platform: 'linux-x64',
  };
  const empty = buildReport([], { errors: [], environment: given });
  assert.deepEqual(empty.environment, given);
  assertValid(empty);
  assertValid(buildReport([], { errors: [], environment: null }));
});

void test('a failed configuration contributes its error once and whatever passes it has', () => {
  const durations = equal(4, 0.05);
  const broken = configMeasurements({ backend: 'process', workers: 2, durations, samples: 2 });
  broken.failed = {
    code: 'worker-died',
    message: 'nap on process, 2 workers: a worker exited with code 1 while running input 3.',
    scope: 'nap on process, 2 workers',
    input: 3,
  };
  const unopened = configMeasurements({ backend: 'process', workers: 4, durations, samples: 0 });
  unopened.failed = { code: 'timeout', message: 'nap on process, 4 workers: timed out.' };
  const configs = [configMeasurements({ backend: 'serial', workers: 1, durations }), broken, unopened];
  const report = buildReport([targetMeasurements(configs, { stopReason: 'budget' })], {
    // The orchestrator passes the same error along: it must not appear twice.
    errors: [broken.failed],
    environment: null,
  });
  assertValid(report);
  assert.deepEqual(
    report.errors.map((e) => e.code),
    ['worker-died', 'timeout'],
  );
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.deepEqual(
    run.points.map((p) => p.workers),
    [2],
  );
  assert.equal(run.points[0]!.wallSeconds.samples.length, 2);
  assert.equal(run.partial, true);
});

void test('without a serial pass there is no speedup, said as a warning rather than invented', () => {
  const durations = equal(4, 0.05);
  const serial = configMeasurements({ backend: 'serial', workers: 1, durations, samples: 0 });
  const pool = configMeasurements({ backend: 'process', workers: 2, durations, samples: 3 });
  const report = buildReport([targetMeasurements([serial, pool], { partial: true })], {
    errors: [],
    environment: null,
  });
  assertValid(report);
  assert.deepEqual(report.runs, []);
  assert.ok(report.warnings.some((w) => w.code === 'no-baseline'));
  assert.equal(report.partial, true);
});

void test('a run with no recommendation says why in the warnings', () => {
  // Threads that never speed up a CPU-bound loop: S = 0.5 at 2 and 0.25 at 4 workers, efficiency far below 0.5.
  const durations = equal(8, 0.05);
  const configs = [
    configMeasurements({ backend: 'serial', workers: 1, durations }),
    configMeasurements({ backend: 'thread', workers: 2, durations, stretch: () => 4 }),
    configMeasurements({ backend: 'thread', workers: 4, durations, stretch: () => 16 }),
  ];
  const report = buildReport([targetMeasurements(configs)], { errors: [], environment: null });
  assertValid(report);
  assert.equal(report.runs.find((r) => r.backend === 'thread')!.recommendation, null);
  assert.match(report.warnings.find((w) => w.code === 'no-recommendation')!.message, /efficiency of 0\.5/);
});

void test(`passes are left out when all samples hold more than ${MAX_TASKS_WITH_PASSES} tasks`, () => {
  const durations = equal(20_001, 0.00001);
  const configs = [configMeasurements({ backend: 'serial', workers: 1, durations, samples: 10 })];
  const report = buildReport([targetMeasurements(configs)], { errors: [], environment: null });
  const p = report.runs[0]!.points[0]!;
  assert.equal(p.passes.length, 10, 'every pass keeps its record');
  assert.deepEqual(
    p.passes.map((x) => x.kept ?? 'summary'),
    p.passes.map((x) => (x.kept === 'median' ? 'median' : 'summary')),
    'only the median pass is kept in full',
  );
  assert.ok(p.passes.every((x) => x.tasks === undefined && x.summary?.tasks === 20_001));
  assert.equal(taskCount(p.tasks), 20_001, 'the median sample keeps its tasks');
  assert.deepEqual([report.taskRetention!.fullPasses, report.taskRetention!.summarizedPasses], [1, 9]);
  assert.match(report.taskRetention!.note, /Summarised: 9 passes, 180,009 tasks/);
});

void test('a pass a noise rule names keeps its tasks in full, with why', () => {
  const durations = equal(20_001, 0.00001);
  // The slowest of 10 passes takes twice as long: 50% or more above the mean.
  const configs = [
    configMeasurements({
      backend: 'serial',
      workers: 1,
      durations,
      samples: 10,
      stretch: (sample) => (sample === 6 ? 3 : 1),
    }),
  ];
  const report = buildReport([targetMeasurements(configs)], { errors: [], environment: null });
  const p = report.runs[0]!.points[0]!;
  const noted = p.passes.filter((x) => x.kept === 'warning');
  assert.deepEqual(
    noted.map((x) => [x.sample, x.note]),
    [[6, 'the slowest sample, 50% or more above the mean']],
  );
  assert.equal(taskCount(noted[0]!.tasks!), 20_001);
  assert.equal(report.taskRetention!.fullPasses, 2);
});

void test('two targets with the same function name keep apart by file in labels', () => {
  const durations = equal(4, 0.05);
  const a = targetMeasurements([configMeasurements({ backend: 'serial', workers: 1, durations })]);
  const b = targetMeasurements([configMeasurements({ backend: 'serial', workers: 1, durations })], {
    target: { file: 'other/sleep.py', function: 'nap', language: 'python' },
    hello: hello({ runtime: 'CPython 3.11.7' }),
    loaded: loaded(4),
  });
  const labels = buildReport([a, b], { errors: [], environment: null }).runs.map((r) => r.label);
  assert.deepEqual(labels, [
    'nap · serial · CPython 3.11.7 · samples/sleep.py',
    'nap · serial · CPython 3.11.7 · other/sleep.py',
  ]);
});

void test('the same measurements always give the same report', () => {
  assert.deepEqual(sleepReport(), sleepReport());
});

void test('passes that took no measurable time give a valid report and a warning, never Infinity', () => {
  const configs = [
    configMeasurements({ backend: 'serial', workers: 1, durations: [] }),
    configMeasurements({ backend: 'process', workers: 2, durations: [] }),
  ];
  const report = buildReport([targetMeasurements(configs, { loaded: loaded(0) })], {
    errors: [],
    environment: null,
  });
  assertValid(report);
  assert.deepEqual(report.runs, []);
  assert.ok(report.warnings.some((w) => w.code === 'no-measurable-time'));
});
