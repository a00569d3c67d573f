// The ray backend's warnings, raised by synthetic measurements that should raise them and left quiet by those that
// should not; checked through the report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PassMessage } from '../../protocol/harness';
import type { Message } from '../../protocol/report';
import { buildReport } from '../../runner/analysis/buildReport';
import type { ConfigMeasurements } from '../../runner/analysis/measurements';
import { mostAtOnce } from '../../runner/analysis/rayWarnings';
import {
  calibration,
  configMeasurements,
  equal,
  targetMeasurements,
  type ConfigOptions,
} from './analysisSynthetic';

/** Ray's figures as the harness reports them in every pass of a ray pool. */
function withStats(c: ConfigMeasurements, stats: Record<string, unknown>): ConfigMeasurements {
  const add = (pass: PassMessage): PassMessage => ({ ...pass, engineStats: { mode: 'tasks', ...stats } });
  return {
    ...c,
    passes: c.passes.map(add),
    opened: c.opened && { ...c.opened, warmup: add(c.opened.warmup) },
  };
}

function rayWarningsOf(
  durations: number[],
  pool: Omit<ConfigOptions, 'durations' | 'backend'>,
  stats: Record<string, unknown>,
  options: {
    calibration?: ReturnType<typeof calibration>;
    reshape?: (pass: PassMessage) => PassMessage;
  } = {},
): Message[] {
  let ray = withStats(configMeasurements({ backend: 'ray', durations, ...pool }), stats);
  if (options.reshape) ray = { ...ray, passes: ray.passes.map(options.reshape) };
  const configs = [configMeasurements({ backend: 'serial', workers: 1, durations }), ray];
  const extra = options.calibration ? { calibration: options.calibration } : {};
  const report = buildReport([targetMeasurements(configs, extra)], { errors: [], environment: null });
  return report.warnings.filter((w) => w.code.startsWith('ray-'));
}

void test('mostAtOnce counts tasks that overlap, not tasks that touch', () => {
  assert.equal(mostAtOnce([]), 0);
  assert.equal(
    mostAtOnce([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]),
    1,
  );
  assert.equal(
    mostAtOnce([
      { start: 0, end: 2 },
      { start: 1, end: 3 },
      { start: 1.5, end: 1.6 },
    ]),
    3,
  );
});

void test("ray-task-overhead: 1 ms tasks one per Ray task against Ray's 0.8 ms, quoted, with the batch that fixes it", () => {
  const warnings = rayWarningsOf(
    equal(40, 0.001),
    { workers: 2, chunksize: 1 },
    { perTaskOverheadSeconds: 0.0008 },
  );
  const warning = warnings.find((w) => w.code === 'ray-task-overhead');
  assert.ok(warning, JSON.stringify(warnings));
  assert.match(warning.message, /Ray's own cost per task here is 800 µs \(no-op tasks on 2 slots\)/);
  assert.match(warning.message, /up to 44% of its time on Ray/);
  // ceil(9 x 0.8 ms / 1 ms) = 8 inputs per call.
  assert.match(warning.suggestion!, /at least 8 inputs/);
  const micro = rayWarningsOf(
    equal(40, 2e-6),
    { workers: 2, chunksize: 5 },
    { perTaskOverheadSeconds: 0.002 },
  );
  const tooSmall = micro.find((w) => w.code === 'ray-task-overhead')!;
  assert.match(tooSmall.message, /2\.00 ms .*runs 10\.0 µs of work \(5 inputs of 2\.0 µs\)/);
  assert.match(tooSmall.suggestion!, /Even one call per worker \(20 inputs each\) would run 40 µs of work/);
  const big = rayWarningsOf(equal(8, 0.05), { workers: 2, chunksize: 1 }, { perTaskOverheadSeconds: 0.0008 });
  assert.deepEqual(big, [], '50 ms tasks pay for Ray');
});

void test('ray-large-arguments: 1 MiB arguments put on every call, and not for small ones or a cheap put', () => {
  const large = { ...calibration(0.001), argumentBytes: 1024 * 1024 };
  const warnings = rayWarningsOf(
    equal(8, 0.05),
    { workers: 2 },
    { argumentPutSeconds: 0.004 },
    { calibration: large },
  );
  const warning = warnings.find((w) => w.code === 'ray-large-arguments');
  assert.ok(warning, JSON.stringify(warnings));
  assert.match(
    warning.message,
    /passes its argument by value \(1\.0 MiB on average\).*ray\.put of one took 4\.00 ms/,
  );
  assert.match(warning.suggestion!, /ray\.put\(data\)/);
  const small = rayWarningsOf(
    equal(8, 0.05),
    { workers: 2 },
    { argumentPutSeconds: 0.004 },
    {
      calibration: calibration(0.001),
    },
  );
  assert.deepEqual(small, []);
  const cheap = rayWarningsOf(
    equal(8, 0.05),
    { workers: 2 },
    { argumentPutSeconds: 1e-5 },
    { calibration: large },
  );
  assert.deepEqual(cheap, []);
});

void test('ray-serialized: on 2 workers no two tasks ran at once, as with ray.get inside the loop', () => {
  const oneAtATime = (pass: PassMessage): PassMessage => {
    let at = pass.mapStart;
    const tasks = pass.tasks.map((t) => {
      const start = at + 0.001;
      at = start + (t.end - t.start);
      return { ...t, start, end: at };
    });
    return { ...pass, tasks, resultsIn: at };
  };
  const warnings = rayWarningsOf(equal(8, 0.05), { workers: 2 }, {}, { reshape: oneAtATime });
  const warning = warnings.find((w) => w.code === 'ray-serialized');
  assert.ok(warning, JSON.stringify(warnings));
  assert.match(warning.message, /no two tasks ever ran at once \(at 2 workers\)/);
  assert.match(warning.suggestion!, /ray\.get\(refs\)/);
  assert.deepEqual(rayWarningsOf(equal(8, 0.05), { workers: 2 }, {}), [], 'overlapping tasks are fine');
  const spread = (pass: PassMessage): PassMessage => {
    const stretched = oneAtATime(pass);
    return { ...stretched, resultsIn: stretched.resultsIn + 1 };
  };
  const tiny = rayWarningsOf(equal(8, 0.001), { workers: 2 }, {}, { reshape: spread });
  assert.deepEqual(tiny, [], 'tasks far shorter than the pass never overlap either: not a serialized map');
});
