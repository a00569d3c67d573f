// Hidden parallelism through the report: a serial loop whose library runs its own threads, the verdicts it changes
// (gil-bound, oversubscription, compute-inflation), and the run with one library thread per worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PoolConfig } from '../../protocol/harness';
import type { Message, Report } from '../../protocol/report';
import { buildReport } from '../../runner/analysis/buildReport';
import { HIDDEN_BUSY_CORES, hiddenParallelism } from '../../runner/analysis/hiddenParallelism';
import type { ConfigMeasurements } from '../../runner/analysis/measurements';
import { renderSummary } from '../../runner/cli/table';
import { describeConfig, limitedThreadConfigs } from '../../runner/profile/configPlan';
import { tableRows, TABLE_COLUMNS } from '../../webview/numbersTable';
import {
  configMeasurements,
  equal,
  hello,
  targetMeasurements,
  type ConfigOptions,
} from './analysisSynthetic';

const durations = equal(8, 0.05);
const blas = { working: 2, started: 0, libraries: ['OpenBLAS'] };
const alone = { working: 1, started: 0, libraries: [] };

function report(serial: Partial<ConfigOptions>, pools: Omit<ConfigOptions, 'durations'>[]): Report {
  const configs: ConfigMeasurements[] = [
    configMeasurements({ backend: 'serial', workers: 1, durations, cpuPerSecond: 1, ...serial }),
    ...pools.map((p) => configMeasurements({ durations, ...p })),
  ];
  // Two cores, as on the machine of the issue.
  const twoCores = hello({ logicalCores: 2, usableCores: 2, physicalCores: 2 });
  return buildReport([targetMeasurements(configs, { hello: twoCores })], { errors: [], environment: null });
}

function find(warnings: Message[], code: string): Message | undefined {
  return warnings.find((w) => w.code === code);
}

// Threads that each get half a CPU second per wall second (stretched twice), as under the GIL or on taken cores.
const halfThreads = { backend: 'thread', workers: 2, cpuPerSecond: 0.5, stretch: () => 2 } as const;

void test('a serial loop keeping 1.98 cores busy through OpenBLAS: hidden-parallelism, and no gil-bound on its threads', () => {
  const r = report({ busyCores: 1.98, threads: blas }, [
    { ...halfThreads, busyCores: 1.9 },
    { backend: 'process', workers: 2, busyCores: 1.95, stretch: () => 1.9 },
  ]);
  const hidden = find(r.warnings, 'hidden-parallelism');
  assert.ok(hidden);
  assert.match(
    hidden.message,
    /the serial loop already keeps 1\.98 cores busy: the library runs its own threads \(OpenBLAS\), so a pool of k workers competes with them/,
  );
  assert.equal(hidden.scope, 'nap · serial · CPython 3.11.7');
  assert.equal(find(r.warnings, 'gil-bound'), undefined);
  // No static thread count here: 2 measured threads per worker x 2 workers on 2 usable cores.
  const over = r.warnings.filter((w) => w.code === 'oversubscription');
  assert.ok(
    over.some((w) => /process/.test(w.scope ?? '') && /each worker runs 2 threads at once/.test(w.message)),
  );
  const inflation = r.warnings.find((w) => w.code === 'compute-inflation' && /process/.test(w.scope ?? ''));
  assert.ok(inflation);
  assert.match(inflation.message, /see hidden-parallelism/);
  assert.doesNotMatch(inflation.message, /SMT/);
  // busyCores per point, in the CLI table and the page's numbers.
  assert.equal(r.runs[0]!.points[0]!.busyCores, 1.98);
  assert.match(renderSummary(r), /serial +1 .* 1\.98 /);
  const column = TABLE_COLUMNS.indexOf('busy cores');
  assert.deepEqual(
    tableRows(r.runs).map((row) => row[column]),
    ['1.98', '1.90', '1.95'],
  );
});

void test('the same threads without hidden parallelism stay gil-bound; a process busier than its task threads does not', () => {
  const gil = report({ busyCores: 1.0, threads: alone }, [{ ...halfThreads, busyCores: 1.0 }]);
  assert.ok(find(gil.warnings, 'gil-bound'));
  assert.equal(find(gil.warnings, 'hidden-parallelism'), undefined);
  // The task threads use 0.5 CPU per wall second each, the process 1.9: other threads of it do the work.
  const cores = report({ busyCores: 1.0, threads: alone }, [{ ...halfThreads, busyCores: 1.9 }]);
  assert.equal(find(cores.warnings, 'gil-bound'), undefined);
  // Unknown process CPU keeps the verdict as before.
  const unknown = report({}, [halfThreads]);
  assert.ok(find(unknown.warnings, 'gil-bound'));
});

void test('hidden parallelism from the busy cores alone, or from threads working at once on a busy machine', () => {
  const base = { otherCpuShare: null, loaded: null };
  assert.equal(hiddenParallelism({ ...base, busyCores: HIDDEN_BUSY_CORES - 0.01, threads: null }), null);
  assert.equal(
    hiddenParallelism({ ...base, busyCores: HIDDEN_BUSY_CORES, threads: null })?.threadsPerProcess,
    1,
  );
  assert.equal(hiddenParallelism({ ...base, busyCores: 1.98, threads: null })?.threadsPerProcess, 2);
  // Other programs took the cores: the loop kept 0.4 busy, but two threads worked at once.
  const busy = report({ busyCores: 0.4, threads: { working: 2, started: 2, libraries: [] } }, []);
  const hidden = find(busy.warnings, 'hidden-parallelism');
  assert.ok(hidden);
  assert.match(
    hidden.message,
    /already runs 2 threads at once \(they kept 0\.40 cores busy here\): the tasks start threads of their own \(2 during the loop\)/,
  );
});

void test('the run with 1 BLAS thread per worker: its own label and row, its recommendation says so', () => {
  const r = report({ busyCores: 1.98, threads: blas }, [
    { backend: 'process', startMethod: 'fork', workers: 1, busyCores: 1.9 },
    { backend: 'process', startMethod: 'fork', workers: 2, busyCores: 1.95, stretch: () => 1.9 },
    {
      backend: 'process',
      startMethod: 'fork',
      workers: 1,
      busyCores: 1,
      libraryThreads: 1,
      workerBusyCores: 1,
    },
    {
      backend: 'process',
      startMethod: 'fork',
      workers: 2,
      busyCores: 2,
      libraryThreads: 1,
      workerBusyCores: 1,
      stretch: () => 1.3,
    },
  ]);
  assert.deepEqual(
    r.runs.map((run) => run.label),
    [
      'nap · serial · CPython 3.11.7',
      'nap · process (fork) · CPython 3.11.7',
      'nap · process (fork, 1 BLAS thread) · CPython 3.11.7',
    ],
  );
  const limited = r.runs[2]!;
  assert.equal(limited.libraryThreads, 1);
  assert.match(limited.recommendation!.reason, /^2 workers with 1 BLAS thread each\. /);
  // Each worker process's CPU beside the whole profile's: one core per worker.
  const two = limited.points.find((p) => p.workers === 2)!;
  assert.deepEqual(
    Object.values(two.workerCpuSeconds!).map((cpu) => Number((cpu / two.wallSeconds.mean).toFixed(6))),
    [1, 1],
  );
  assert.ok(Math.abs(two.processCpuSeconds! / two.wallSeconds.mean - 2) < 1e-9);
  // The limited run is not oversubscribed: its workers run one library thread each.
  assert.equal(
    r.warnings.find((w) => w.code === 'oversubscription' && w.scope === limited.label),
    undefined,
  );
  // Its tasks take longer than the serial loop's, which ran on two threads each: said so, not blamed on the cores.
  const inflation = r.warnings.find((w) => w.code === 'compute-inflation' && w.scope === limited.label);
  assert.ok(inflation);
  assert.match(
    inflation.message,
    /each worker's tasks run on 1 library thread, where the serial loop's ran on 2 threads at once/,
  );
  assert.match(renderSummary(r), /process \(fork, 1 BLAS thread\)\s+2 /);
});

void test('the limited configurations: every process pool again with 1 library thread, under ids of their own', () => {
  const planned: PoolConfig[] = [
    { id: 'serial', backend: 'serial', workers: 1 },
    { id: 'thread-k2', backend: 'thread', workers: 2 },
    { id: 'process-fork-k2', backend: 'process', workers: 2, startMethod: 'fork' },
    { id: 'futures-process-spawn-k2', backend: 'futures-process', workers: 2, startMethod: 'spawn' },
  ];
  const limited = limitedThreadConfigs(planned, 1);
  assert.deepEqual(
    limited.map((c) => [c.id, c.libraryThreads]),
    [
      ['process-fork-k2-t1', 1],
      ['futures-process-spawn-k2-t1', 1],
    ],
  );
  assert.deepEqual(limitedThreadConfigs(limited, 1), []);
  const target = { file: 'm.py', function: 'svd', language: 'python' } as const;
  assert.equal(describeConfig(target, limited[0]!), 'svd on process (fork, 1 BLAS thread), 2 workers');
});
