// Every warning of docs/method.md section 4, triggered by a synthetic measurement that should raise it and left
// quiet by one that should not. Checked through the report, the surface readers see.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../protocol/report';
import { buildReport } from '../../runner/analysis/buildReport';
import type { ConfigMeasurements, TargetMeasurements } from '../../runner/analysis/measurements';
import { suggestedChunksize } from '../../runner/analysis/warnings';
import { LARGE_TRANSFER_BYTES } from '../../runner/analysis/advice';
import {
  calibration,
  configMeasurements,
  equal,
  hello,
  loaded,
  targetMeasurements,
  type ConfigOptions,
} from './analysisSynthetic';

function warningsOf(
  durations: number[],
  pools: Omit<ConfigOptions, 'durations'>[],
  extra: Partial<Omit<TargetMeasurements, 'configs'>> = {},
  serialOptions: Partial<ConfigOptions> = {},
): Message[] {
  const configs: ConfigMeasurements[] = [
    configMeasurements({ backend: 'serial', workers: 1, durations, ...serialOptions }),
    ...pools.map((p) => configMeasurements({ durations, ...p })),
  ];
  return buildReport([targetMeasurements(configs, extra)], { errors: [], environment: null }).warnings;
}

function find(warnings: Message[], code: string): Message | undefined {
  return warnings.find((w) => w.code === code);
}

const quiet = equal(8, 0.05);

void test('a steady, evenly divided, well-sized workload raises no warning', () => {
  const warnings = warningsOf(quiet, [
    { backend: 'process', workers: 2 },
    { backend: 'process', workers: 4 },
  ]);
  assert.deepEqual(warnings, []);
});

void test('tiny-tasks: 2 ms tasks with 1 ms dispatch each, and the chunksize that fixes it', () => {
  const durations = equal(100, 0.002);
  const warnings = warningsOf(durations, [{ backend: 'process', workers: 4, dispatch: 0.001, chunksize: 1 }]);
  const tiny = find(warnings, 'tiny-tasks');
  assert.ok(tiny);
  // clamp(ceil(0.2 / 0.002) = 100, 1, ceil(100 / 16) = 7) = 7.
  assert.equal(suggestedChunksize(0.002, 100, 4), 7);
  assert.match(tiny.suggestion!, /chunksize=7 to Pool\.map/);
  // Dispatch is 100 x 1 ms over 4 workers = 25 ms per pass; chunks of 7 save 6/7 of it.
  assert.match(tiny.suggestion!, /save about 21\.4 ms per pass/);
  assert.equal(tiny.scope, 'nap · process · CPython 3.11.7');
});

void test('tiny-tasks also fires when dispatch exceeds half the pass, and not for 50 ms tasks', () => {
  const slowDispatch = warningsOf(equal(40, 0.02), [{ backend: 'thread', workers: 2, dispatch: 0.03 }]);
  assert.ok(find(slowDispatch, 'tiny-tasks'));
  assert.match(find(slowDispatch, 'tiny-tasks')!.suggestion!, /batches of/);
  assert.equal(
    find(warningsOf(quiet, [{ backend: 'process', workers: 4, dispatch: 0.001 }]), 'tiny-tasks'),
    undefined,
  );
});

void test('tiny-tasks on piscina: batch the inputs per pool.run(), piscina has no chunksize', () => {
  const durations = equal(100, 0.002);
  const warnings = warningsOf(durations, [{ backend: 'piscina', workers: 4, dispatch: 0.001 }], {
    hello: hello({ implementation: 'node', runtime: 'Node.js 20.20.2' }),
  });
  const tiny = find(warnings, 'tiny-tasks');
  assert.ok(tiny);
  assert.match(
    tiny.suggestion!,
    /^Piscina sends one message per task and has no chunksize: pass an array of about 7 inputs to each pool\.run\(\)/,
  );
  assert.match(tiny.suggestion!, /save about 21\.4 ms per pass/);
});

void test('large-transfer: MiB-sized results whose copying shows, with advice for the runtime', () => {
  // 2 MiB results, 0.5 ms per (de)serialization step: 2 ms of copying per task against 10 ms tasks.
  const big = { ...calibration(0.0005), resultBytes: 2 * LARGE_TRANSFER_BYTES };
  const durations = equal(20, 0.01);
  const node = warningsOf(durations, [{ backend: 'piscina', workers: 2, dispatch: 0.003 }], {
    hello: hello({ implementation: 'node', runtime: 'Node.js 20.20.2' }),
    calibration: big,
  });
  const transfer = find(node, 'large-transfer');
  assert.ok(transfer);
  assert.match(transfer.message, /results 2\.0 MiB on average/);
  assert.match(transfer.suggestion!, /Piscina\.move/);
  const python = warningsOf(durations, [{ backend: 'process', workers: 2, dispatch: 0.003 }], {
    calibration: big,
  });
  assert.match(find(python, 'large-transfer')!.suggestion!, /shared_memory/);
  // Threads share memory: nothing is copied, whatever the calibration says.
  const threads = warningsOf(durations, [{ backend: 'thread', workers: 2, dispatch: 0.003 }], {
    calibration: big,
  });
  assert.equal(find(threads, 'large-transfer'), undefined);
  // Small values, or copying that is a negligible share of long tasks, raise nothing.
  const small = warningsOf(durations, [{ backend: 'process', workers: 2, dispatch: 0.003 }], {
    calibration: calibration(0.0005),
  });
  assert.equal(find(small, 'large-transfer'), undefined);
  const longTasks = warningsOf(equal(20, 5), [{ backend: 'process', workers: 2, dispatch: 0.003 }], {
    calibration: big,
  });
  assert.equal(find(longTasks, 'large-transfer'), undefined);
});

void test('gil-bound: threads using one CPU second per wall second, and the GIL named', () => {
  // Two threads sharing the GIL: each task takes twice as long in wall time but half of it on the CPU.
  const durations = equal(10, 0.05);
  const bound = warningsOf(
    durations,
    [{ backend: 'thread', workers: 2, cpuPerSecond: 0.5, stretch: () => 2 }],
    {},
    { cpuPerSecond: 1 },
  );
  const gil = find(bound, 'gil-bound');
  assert.ok(gil);
  assert.match(gil.message, /GIL enabled/);
  // The stretched task times are the GIL's doing: no separate compute-inflation warning.
  assert.equal(find(bound, 'compute-inflation'), undefined);

  const freeThreaded = warningsOf(
    durations,
    [{ backend: 'thread', workers: 2, cpuPerSecond: 0.5, stretch: () => 2 }],
    {
      hello: hello({ gil: false }),
    },
  );
  assert.match(find(freeThreaded, 'gil-bound')!.message, /without the GIL/);

  const scaling = warningsOf(durations, [{ backend: 'thread', workers: 2, cpuPerSecond: 1 }]);
  assert.equal(find(scaling, 'gil-bound'), undefined);
  const processes = warningsOf(durations, [
    { backend: 'process', workers: 2, cpuPerSecond: 0.5, stretch: () => 2 },
  ]);
  assert.equal(find(processes, 'gil-bound'), undefined);
});

void test('oversubscription: 4 BLAS threads per worker x 4 workers on 8 usable cores', () => {
  const openblas = [{ user_api: 'blas', internal_api: 'openblas', num_threads: 4 }];
  const over = warningsOf(quiet, [{ backend: 'process', workers: 4 }], { loaded: loaded(8, openblas) });
  const o = find(over, 'oversubscription');
  assert.ok(o);
  assert.match(o.suggestion!, /threadpool_limits\(2\)/);
  const fits = warningsOf(quiet, [{ backend: 'process', workers: 2 }], { loaded: loaded(8, openblas) });
  assert.equal(find(fits, 'oversubscription'), undefined);
  const single = warningsOf(quiet, [{ backend: 'process', workers: 4 }], {
    loaded: loaded(8, [{ num_threads: 1 }]),
  });
  assert.equal(find(single, 'oversubscription'), undefined);
});

void test('core counts: beyond the 4 physical and the 8 usable cores', () => {
  const warnings = warningsOf(equal(16, 0.05), [
    { backend: 'process', workers: 4 },
    { backend: 'process', workers: 8 },
    { backend: 'process', workers: 16 },
  ]);
  // 8 is past the 4 physical cores only; 16 is past the 8 usable ones, which says enough.
  assert.match(find(warnings, 'beyond-physical-cores')!.message, /: 8 workers exceed the 4 physical cores/);
  assert.match(find(warnings, 'beyond-usable-cores')!.message, /16 workers exceed the 8 usable cores/);
  const within = warningsOf(equal(16, 0.05), [{ backend: 'process', workers: 4 }]);
  assert.equal(find(within, 'beyond-physical-cores'), undefined);
  assert.equal(find(within, 'beyond-usable-cores'), undefined);
});

void test('compute-inflation: tasks 20% slower in the pool, but not 5%', () => {
  const slow = warningsOf(quiet, [{ backend: 'process', workers: 4, stretch: () => 1.2 }]);
  assert.match(find(slow, 'compute-inflation')!.message, /1\.20x at 4 workers/);
  const fine = warningsOf(quiet, [{ backend: 'process', workers: 4, stretch: () => 1.05 }]);
  assert.equal(find(fine, 'compute-inflation'), undefined);
});

void test('baseline-mismatch: tasks 30% faster in a pool than in the serial loop, with the runtime named', () => {
  const faster = warningsOf(quiet, [{ backend: 'piscina', workers: 1, stretch: () => 0.7 }], {
    hello: hello({ implementation: 'node', runtime: 'Node.js 20.20.2' }),
  });
  const mismatch = find(faster, 'baseline-mismatch');
  assert.ok(mismatch);
  assert.match(mismatch.message, /1\.43x at 1 worker shorter/);
  assert.match(mismatch.suggestion!, /V8 compiles the function separately in every worker thread/);
  const python = warningsOf(quiet, [{ backend: 'thread', workers: 1, stretch: () => 0.7 }]);
  assert.match(find(python, 'baseline-mismatch')!.suggestion!, /serial loop runs in the harness process/);
  // 5% faster is noise; slower is compute-inflation's.
  assert.equal(
    find(warningsOf(quiet, [{ backend: 'process', workers: 1, stretch: () => 0.95 }]), 'baseline-mismatch'),
    undefined,
  );
  assert.equal(
    find(warningsOf(quiet, [{ backend: 'process', workers: 1, stretch: () => 1.3 }]), 'baseline-mismatch'),
    undefined,
  );
});

void test('results-differ: loud when a pool returns other values, and for a nondeterministic serial loop', () => {
  const differ = warningsOf(quiet, [
    { backend: 'process', workers: 2, hashes: (s) => (s === 3 ? 'other' : 'hash-ok') },
  ]);
  const d = find(differ, 'results-differ');
  assert.ok(d);
  assert.match(d.message, /^RESULTS DIFFER: .*at 2 workers/);
  const random = warningsOf(quiet, [], {}, { hashes: (s) => `hash-${s}` });
  assert.match(find(random, 'results-differ')!.message, /not deterministic/);
  assert.equal(find(warningsOf(quiet, [{ backend: 'process', workers: 2 }]), 'results-differ'), undefined);
});

void test('task-ceiling: 10 tasks on 4 workers are capped at 3.33x; on 5 they are not', () => {
  const capped = warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 4 }]);
  assert.match(find(capped, 'task-ceiling')!.message, /at most 3\.33x at 4/);
  const few = warningsOf(equal(3, 0.05), [{ backend: 'process', workers: 4 }]);
  assert.match(find(few, 'task-ceiling')!.message, /at most 3\.00x at 4/);
  assert.equal(
    find(warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 5 }]), 'task-ceiling'),
    undefined,
  );
});

void test('fewer tasks than workers is the task ceiling, not load imbalance, even when a worker took two', () => {
  // 10 equal tasks on 16 workers, of which only 5 started in time and took 2 tasks each: busiest 0.1 s over a
  // mean of 0.5 / 16, ratio 3.2, above the 1.6 the count alone gives; still no task differs in length.
  const names = ['w0', 'w1', 'w2', 'w3', 'w4'];
  const warnings = warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 16, names }]);
  assert.equal(find(warnings, 'load-imbalance'), undefined, JSON.stringify(warnings));
  const ceiling = find(warnings, 'task-ceiling');
  assert.ok(ceiling);
  assert.match(ceiling.message, /at 16 workers there are fewer tasks than workers, so 6 of them get none/);
});

void test('load-imbalance: uneven tasks, but not the imbalance the task count alone explains', () => {
  // One 0.8 s task and seven of 0.05 s on 2 workers: busy 0.8 and 0.35, max / mean = 0.8 / 0.575 = 1.39.
  const longTask = warningsOf(
    [0.8, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05],
    [{ backend: 'process', workers: 2 }],
  );
  assert.match(find(longTask, 'load-imbalance')!.message, /1\.39x at 2 workers/);
  // 10 equal tasks on 8 workers: ratio 1.6, all of it the task ceiling (reported as task-ceiling).
  const ceilingOnly = warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 8 }]);
  assert.equal(find(ceilingOnly, 'load-imbalance'), undefined);
  assert.ok(find(ceilingOnly, 'task-ceiling'));
  assert.equal(
    find(warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 5 }]), 'load-imbalance'),
    undefined,
  );
});

void test('noisy: a pool whose passes swing by 30%', () => {
  const noisy = warningsOf(quiet, [
    { backend: 'process', workers: 2, stretch: (s) => 1 + 0.3 * Math.sin(s * 2.1), samples: 10 },
  ]);
  const n = find(noisy, 'noisy');
  assert.ok(n);
  assert.match(n.message, /at 2 workers the standard deviation is/);
  assert.equal(find(warningsOf(quiet, [{ backend: 'process', workers: 2 }]), 'noisy'), undefined);
});

void test('every warning names its run and offers a suggestion', () => {
  const warnings = warningsOf(equal(10, 0.002), [
    {
      backend: 'thread',
      workers: 16,
      dispatch: 0.001,
      cpuPerSecond: 0.1,
      stretch: (s) => 1.2 + 0.3 * Math.sin(s),
    },
  ]);
  assert.ok(warnings.length >= 5);
  for (const w of warnings) {
    assert.ok(w.scope && w.scope.length > 0, `${w.code} has a scope`);
    assert.ok(w.suggestion && w.suggestion.length > 0, `${w.code} has a suggestion`);
  }
});

void test('compute inflation on threads of a GIL interpreter names the GIL wait', () => {
  // No CPU times reported, so gil-bound cannot fire; the inflation warning must not blame the cores alone.
  const warnings = warningsOf(quiet, [{ backend: 'thread', workers: 2, stretch: () => 1.5 }]);
  assert.match(find(warnings, 'compute-inflation')!.message, /wait for the lock/);
});

void test('gil-bound stays quiet for sleeping threads, which scale', () => {
  // Sleep uses no CPU in the serial loop either: low CPU per wall second says nothing about a GIL here.
  const warnings = warningsOf(
    equal(10, 0.05),
    [{ backend: 'thread', workers: 2, cpuPerSecond: 0.001 }],
    {},
    {
      cpuPerSecond: 0.001,
    },
  );
  assert.equal(find(warnings, 'gil-bound'), undefined);
});

void test('task-ceiling names the chunks when Pool.map chunking caps the speedup', () => {
  // 10 inputs in chunks of 2 on 2 workers: 5 chunks, 3 on one worker, so at most 10 / 6.
  const chunked = warningsOf(equal(10, 0.05), [{ backend: 'process', workers: 2, chunksize: 2 }]);
  assert.match(find(chunked, 'task-ceiling')!.message, /at most 1\.67x at 2 \(in chunks of 2\)/);
  const even = warningsOf(equal(8, 0.05), [{ backend: 'process', workers: 2, chunksize: 2 }]);
  assert.equal(find(even, 'task-ceiling'), undefined);
});
