// The POP metrics (docs/method.md section 8) on exact synthetic schedules, and their reconciliation with the split.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PassMessage } from '../../protocol/harness';
import type { Pop } from '../../protocol/pop';
import { buildReport } from '../../runner/analysis/buildReport';
import {
  overheadBreakdown,
  serialComputeSeconds,
  type OverheadBreakdown,
} from '../../runner/analysis/overhead';
import { idealReplaySeconds, popMetrics } from '../../runner/analysis/pop';
import { calibration, configMeasurements, equal, targetMeasurements } from './analysisSynthetic';

function near(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);
}

const serial = configMeasurements({ backend: 'serial', workers: 1, durations: equal(10, 0.05) });
const c1 = serialComputeSeconds(serial);

function popOf(o: OverheadBreakdown, k: number, reference = c1): Pop {
  return popMetrics({ ...o, workers: k }, { computeSeconds: reference, workers: 1, weak: false });
}

/** The products of the model and the reconciliation: 1 - PE = (dispatch + serialization + imbalance) / T. */
function assertConsistent(pop: Pop, o: OverheadBreakdown): void {
  near(pop.loadBalance * pop.communicationEfficiency, pop.parallelEfficiency, 1e-12);
  near(pop.serializationEfficiency * pop.transferEfficiency, pop.communicationEfficiency, 1e-12);
  near(pop.parallelEfficiency * pop.computationScalability, pop.globalEfficiency, 1e-12);
  near(1 - pop.parallelEfficiency, (o.dispatch + o.serialization + o.imbalance) / o.seconds, 1e-12);
}

void test('10 equal tasks on 4 workers: the imbalance is the only loss', () => {
  const pool = configMeasurements({ backend: 'process', workers: 4, durations: equal(10, 0.05) });
  const o = overheadBreakdown(pool, c1, null)!;
  const pop = popOf(o, 4);
  // Workers get 3, 3, 2, 2 tasks: U = 0.15, 0.15, 0.1, 0.1; T = 0.15.
  near(pop.loadBalance, 0.125 / 0.15);
  near(pop.communicationEfficiency, 1);
  near(pop.transferEfficiency, 1);
  near(pop.serializationEfficiency, 1);
  near(pop.computationScalability, 1);
  near(pop.globalEfficiency, 0.125 / 0.15);
  assertConsistent(pop, o);
});

void test('task i sleeps i x d: LB from the per-worker sums', () => {
  // d, 2d, 3d, 4d on two workers pulling: w0 takes 1 and 3 (4d), w1 takes 2 and 4 (6d).
  const durations = [1, 2, 3, 4].map((i) => i * 0.1);
  const pool = configMeasurements({ backend: 'thread', workers: 2, durations });
  const o = overheadBreakdown(pool, 1, null)!;
  const pop = popOf(o, 2, 1);
  near(pop.loadBalance, 0.5 / 0.6);
  near(pop.parallelEfficiency, 1 / (2 * 0.6));
  assertConsistent(pop, o);
});

void test('dispatch and serialization lower Transfer, not Serialisation; the identity still holds', () => {
  const pool = configMeasurements({
    backend: 'process',
    workers: 3,
    durations: [0.03, 0.07, 0.02, 0.05, 0.01, 0.04, 0.06],
    dispatch: 0.002,
    tail: 0.004,
  });
  const o = overheadBreakdown(pool, 0.28, calibration(0.0001))!;
  const pop = popOf(o, 3, 0.28);
  assert.ok(pop.transferEfficiency < 0.97, `TE ${pop.transferEfficiency}`);
  near(pop.transferEfficiency, pop.idealSeconds! / o.seconds, 1e-12);
  assert.ok(pop.idealSeconds! >= o.busiestSeconds - 1e-12);
  assertConsistent(pop, o);
});

/** A pass from explicit (worker, start, end) triples, P2 = 0. */
function pass(tasks: [string, number, number][], resultsIn: number): PassMessage {
  return {
    type: 'pass',
    id: 'c',
    sample: 0,
    mapStart: 0,
    resultsIn,
    tasks: tasks.map(([worker, start, end], input) => ({ worker, input, start, end })),
    resultHash: 'h',
  };
}

void test('the replay removes dispatch gaps but keeps the order the feeder handed tasks out', () => {
  // B's second task was handed out only after A's second: in the replay B still waits for A's first to end.
  const measured = pass(
    [
      ['A', 0, 1],
      ['B', 0, 0.2],
      ['A', 1, 1.1],
      ['B', 1.1, 2.1],
    ],
    2.1,
  );
  // Replay: a1 0-1, b1 0-0.2, a2 1-1.1, b2 from 1 (when a2 was handed out) to 2; the busiest worker has 1.2.
  near(idealReplaySeconds(measured), 2);
  // Gaps only: the same tasks handed out as soon as a worker is free replay back to back.
  near(
    idealReplaySeconds(
      pass(
        [
          ['A', 0.1, 1.1],
          ['B', 0.2, 0.7],
          ['B', 0.9, 1.4],
          ['A', 1.3, 1.8],
        ],
        2,
      ),
    ),
    1.5,
  );
});

void test('the CPU-time form: CPU per useful second, and CompS falls with inflated tasks', () => {
  const pool = configMeasurements({
    backend: 'thread',
    workers: 2,
    durations: equal(10, 0.05),
    cpuPerSecond: 0.4,
    stretch: () => 1.25,
  });
  const o = overheadBreakdown(pool, c1, null)!;
  const pop = popOf(o, 2);
  near(pop.cpuUsefulRatio!, 0.4);
  near(pop.computationScalability, 1 / 1.25);
  assertConsistent(pop, o);
});

void test('weak scaling: CompS = (k / k_ref) x sum U_ref / sum U_k', () => {
  // The reference did 10 tasks on 1 worker; 4 workers did 40 of the same tasks: perfect weak scaling is 1.
  const pool = configMeasurements({ backend: 'process', workers: 4, durations: equal(40, 0.05) });
  const o = overheadBreakdown(pool, c1, null)!;
  const pop = popMetrics({ ...o, workers: 4 }, { computeSeconds: c1, workers: 1, weak: true });
  near(pop.computationScalability, 1);
  near(pop.globalEfficiency, 1);
});

void test('every point of a report carries its POP column; the serial point is all ones but its own CommE', () => {
  const report = buildReport(
    [
      targetMeasurements([
        serial,
        configMeasurements({ backend: 'process', workers: 4, durations: equal(10, 0.05), dispatch: 0.001 }),
      ]),
    ],
    { errors: [], environment: null },
  );
  const [serialRun, poolRun] = report.runs;
  const s = serialRun!.points[0]!.pop!;
  near(s.loadBalance, 1);
  near(s.computationScalability, 1);
  near(s.serializationEfficiency, 1);
  const p = poolRun!.points[0]!.pop!;
  const o = poolRun!.points[0]!.overheadSeconds;
  near(1 - p.parallelEfficiency, (o.dispatch + o.serialization + o.imbalance) / p.passSeconds!, 1e-12);
  // GE = C(1) / (k T): S(k) / k up to the serial loop's own time outside tasks (none here).
  near(p.globalEfficiency, poolRun!.points[0]!.efficiency, 1e-9);
});
