// Memory in the report, from synthetic measurements whose memory is given: the per-point figures, the worker count
// that fits in the available memory with 20% headroom, the cap it puts on the recommendation, and memory-bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseReport, type Report } from '../../protocol/report';
import { buildReport } from '../../runner/analysis/buildReport';
import type { ConfigMeasurements } from '../../runner/analysis/measurements';
import { configMeasurements, equal, targetMeasurements } from './analysisSynthetic';

const GB = 1e9;
const MB = 1e6;

/** Sleep-like tasks that scale perfectly to 4, each worker holding `unique` bytes of its own. */
function processConfigs(unique: number, parent: number): ConfigMeasurements[] {
  const durations = equal(8, 0.1);
  const serial = configMeasurements({ backend: 'serial', workers: 1, durations, samples: 10 });
  serial.closed = {
    type: 'closed',
    id: 'serial',
    closeStart: 1000,
    closeEnd: 1000,
    parentPeakRssBytes: parent,
    processGrowthBytes: unique - 20 * MB,
  };
  const pools = [1, 2, 4].map((k) => {
    const c = configMeasurements({ backend: 'process', workers: k, durations, samples: 10 });
    const names = c.opened!.workers.map((w) => w.worker);
    c.closed = {
      ...c.closed!,
      peakRssBytes: Object.fromEntries(names.map((n, i) => [n, unique + 80 * MB + i * MB])),
      uniqueBytes: Object.fromEntries(names.map((n, i) => [n, unique - i * MB])),
      parentPeakRssBytes: parent,
    };
    return c;
  });
  return [serial, ...pools];
}

function build(configs: ConfigMeasurements[], availableMemoryBytes: number | null): Report {
  const report = buildReport([targetMeasurements(configs)], {
    errors: [],
    environment: null,
    availableMemoryBytes,
  });
  const parsed = parseReport(JSON.parse(JSON.stringify(report)));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return report;
}

void test('each point has its workers peak RSS and unique memory (max, mean) and the parent peak', () => {
  const report = build(processConfigs(1 * GB, 100 * MB), 100 * GB);
  const run = report.runs.find((r) => r.backend === 'process')!;
  const two = run.points.find((p) => p.workers === 2)!;
  assert.deepEqual(two.memory, {
    basis: 'per-worker',
    peakRssBytes: { max: 1 * GB + 81 * MB, mean: 1 * GB + 80.5 * MB },
    uniqueBytes: { max: 1 * GB, mean: 1 * GB - 0.5 * MB },
    parentPeakRssBytes: 100 * MB,
  });
  assert.equal(two.workerInfo![1]!.uniqueBytes, 1 * GB - 1 * MB);
  const serial = report.runs.find((r) => r.backend === 'serial')!.points[0]!;
  assert.equal(serial.memory!.basis, 'process-growth');
  assert.deepEqual(serial.memory!.peakRssBytes, { max: 1 * GB - 20 * MB, mean: 1 * GB - 20 * MB });
  assert.equal(serial.memory!.uniqueBytes, null);
  assert.equal(report.environment.availableMemoryBytes, 100 * GB);
});

void test('plenty of memory: maxWorkersByMemory = floor((0.8 x available - parent) / unique), no cap, no warning', () => {
  const report = build(processConfigs(1 * GB, 100 * MB), 100 * GB);
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run.recommendation!.workers, 4);
  assert.equal(run.recommendation!.maxWorkersByMemory, Math.floor((80 * GB - 100 * MB) / GB));
  assert.doesNotMatch(run.recommendation!.reason, /memory/);
  assert.equal(report.warnings.filter((w) => w.code === 'memory-bound').length, 0);
});

void test('memory for fewer workers than the speed calls for: the recommendation is capped, and memory-bound says why', () => {
  // 80% of 3 GB less the parent's 100 MB holds two workers of 1 GB, not four.
  const report = build(processConfigs(1 * GB, 100 * MB), 3 * GB);
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run.recommendation!.maxWorkersByMemory, 2);
  assert.equal(run.recommendation!.workers, 2);
  assert.match(
    run.recommendation!.reason,
    /^2 workers, capped by memory: each worker holds 1000 MB of its own, so 2 workers and the parent's 100 MB fit in 80% of the 3000 MB available/,
  );
  assert.match(run.recommendation!.reason, /By speed alone: 4 workers give the best measured speedup/);
  const warning = report.warnings.find((w) => w.code === 'memory-bound' && w.scope === run.label);
  assert.ok(warning, JSON.stringify(report.warnings));
  assert.match(
    warning.message,
    /memory allows 2 workers, but 4 workers were measured, and the speed-based recommendation is 4/,
  );
});

void test('not even one worker fits: the recommendation is capped at 1 and maxWorkersByMemory is 0', () => {
  const report = build(processConfigs(1 * GB, 100 * MB), 1 * GB);
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run.recommendation!.maxWorkersByMemory, 0);
  assert.equal(run.recommendation!.workers, 1);
});

void test('available memory unknown: maxWorkersByMemory is null and the recommendation stands', () => {
  const report = build(processConfigs(1 * GB, 100 * MB), null);
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run.recommendation!.maxWorkersByMemory, null);
  assert.equal(run.recommendation!.workers, 4);
  assert.equal(report.environment.availableMemoryBytes, undefined);
});

void test('threads: the process growth per thread is what each costs, over the process at rest', () => {
  const durations = equal(8, 0.1);
  const configs = [
    configMeasurements({ backend: 'serial', workers: 1, durations, samples: 10 }),
    ...[1, 2, 4].map((k) => {
      const c = configMeasurements({ backend: 'thread', workers: k, durations, samples: 10 });
      c.closed = {
        ...c.closed!,
        peakRssBytes: {},
        parentPeakRssBytes: 50 * MB + k * 500 * MB,
        processGrowthBytes: k * 500 * MB,
      };
      return c;
    }),
  ];
  const report = build(configs, 2 * GB);
  const run = report.runs.find((r) => r.backend === 'thread')!;
  const four = run.points.find((p) => p.workers === 4)!;
  assert.deepEqual(four.memory, {
    basis: 'process-growth',
    peakRssBytes: { max: 2 * GB, mean: 2 * GB },
    uniqueBytes: null,
    parentPeakRssBytes: 50 * MB + 2 * GB,
  });
  // (0.8 x 2 GB - 50 MB) / 500 MB = 3.1
  assert.equal(run.recommendation!.maxWorkersByMemory, 3);
  assert.equal(run.recommendation!.workers, 3);
  assert.match(
    run.recommendation!.reason,
    /the process grows 500 MB per worker \(the workers share one process\)/,
  );
});
