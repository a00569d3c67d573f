// A busy machine in the report: other programs' share per point, the warning, the fit leaving busy points out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PassMessage } from '../../protocol/harness';
import { buildReport } from '../../runner/analysis/buildReport';
import { busyMachineWarning, pointLoad } from '../../runner/analysis/machineLoad';
import { configMeasurements, equal, hello, targetMeasurements } from './analysisSynthetic';

function withLoad(pass: PassMessage, system: number | null, own: number): PassMessage {
  const seconds = pass.resultsIn - pass.mapStart;
  return {
    ...pass,
    load: {
      seconds,
      systemCpuSeconds: system === null ? null : system * seconds,
      ownCpuSeconds: own * seconds,
    },
  };
}

void test("other programs' share is the machine's busy time less the profile's own, over all cores' time", () => {
  const pass = withLoad(
    { type: 'pass', id: 'x', sample: 0, mapStart: 0, resultsIn: 2, tasks: [], resultHash: 'h' },
    3,
    2,
  );
  // 2 s: the machine was busy 6 CPU-s, the profile used 4; 2 CPU-s of others over 4 cores x 2 s = 25%.
  assert.deepEqual(pointLoad([pass], 4), { otherCpuShare: 0.25, busyCores: 2 });
  assert.deepEqual(pointLoad([withLoad(pass, null, 2)], 4), { otherCpuShare: null, busyCores: 2 });
  assert.deepEqual(pointLoad([{ ...pass, load: undefined }], 4), { otherCpuShare: null, busyCores: null });
  // Tick rounding can make the profile's own time exceed the machine's: never a negative share.
  assert.equal(pointLoad([withLoad(pass, 1.9, 2)], 4).otherCpuShare, 0);
});

void test('busy-machine names the points, the share and the direction, and says what the fit did', () => {
  const warning = busyMachineWarning(
    'nap on process',
    0.02,
    [
      { workers: 2, otherCpuShare: 0.05 },
      { workers: 4, otherCpuShare: 0.31 },
    ],
    [4],
  );
  assert.equal(warning?.code, 'busy-machine');
  assert.match(warning.message, /took 31% at 4 workers of the usable cores' time .* understated/);
  assert.match(warning.message, /leaves out 4 worker\(s\)/);
  assert.equal(busyMachineWarning('x', 0.09, [{ workers: 2, otherCpuShare: 0.099 }], []), null);
  assert.match(
    busyMachineWarning('x', 0.2, [{ workers: 2, otherCpuShare: 0 }], [])!.message,
    /serial baseline.*larger than it is/,
  );
});

void test('the report carries the shares, warns, and fits without the busy point', () => {
  const loaded = (backend: 'serial' | 'process', workers: number, share: number) => {
    const c = configMeasurements({ backend, workers, durations: equal(8, 0.1), cpuPerSecond: 1 });
    // 8 cores in hello(): others' CPU = share x 8 cores; own = k cores.
    c.passes = c.passes.map((p) => withLoad(p, share * 8 + workers, workers));
    return c;
  };
  const report = buildReport(
    [
      targetMeasurements(
        [
          loaded('serial', 1, 0),
          loaded('process', 1, 0),
          loaded('process', 2, 0),
          loaded('process', 4, 0),
          loaded('process', 8, 0.5),
        ],
        { hello: hello() },
      ),
    ],
    { errors: [], environment: null },
  );
  const run = report.runs.find((r) => r.backend === 'process')!;
  assert.deepEqual(
    run.points.map((p) => p.otherCpuShare),
    [0, 0, 0, 0.5],
  );
  assert.deepEqual(
    run.points.map((p) => p.busyCores),
    [1, 2, 4, 8],
  );
  assert.deepEqual(run.fit.excludedWorkers, [8]);
  assert.deepEqual(run.fit.usl?.fittedWorkers, [1, 2, 4]);
  const busy = report.warnings.filter((w) => w.code === 'busy-machine');
  assert.equal(busy.length, 1);
  assert.match(busy[0]!.message, /50% at 8 workers/);
  assert.match(run.recommendation!.reason, /busy machine at 8 \(50%\)/);
});
