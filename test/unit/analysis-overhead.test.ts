// The overhead split of docs/method.md section 3 on exact synthetic schedules: the parts add up to T - C(1)/k.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  overheadBreakdown,
  serialComputeSeconds,
  splitPass,
  type OverheadBreakdown,
} from '../../runner/analysis/overhead';
import { calibration, configMeasurements, equal, schedulePass } from './analysisSynthetic';

const serial = configMeasurements({ backend: 'serial', workers: 1, durations: equal(10, 0.05) });
const c1 = serialComputeSeconds(serial);

function near(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);
}

function assertIdentity(o: OverheadBreakdown): void {
  const parts = o.computeInflation + o.dispatch + o.serialization + o.imbalance;
  near(parts, o.seconds - o.idealComputeSeconds, 1e-12);
}

void test('C(1) is the summed task time of the serial passes', () => {
  near(c1, 0.5);
});

void test('10 tasks of 50 ms on 4 workers: only the tail is overhead', () => {
  const pool = configMeasurements({ backend: 'process', workers: 4, durations: equal(10, 0.05) });
  const o = overheadBreakdown(pool, c1, null)!;
  // Workers get 3, 3, 2, 2 tasks: T = 0.15, two workers idle 0.05 at the end.
  near(o.seconds, 0.15);
  near(o.computeSeconds, 0.5);
  near(o.idealComputeSeconds, 0.125);
  near(o.imbalance, 0.1 / 4);
  near(o.dispatch, 0);
  near(o.serialization, 0);
  near(o.computeInflation, 0);
  near(o.utilization, 0.5 / (4 * 0.15));
  near(o.imbalanceRatio!, 0.15 / 0.125);
  assertIdentity(o);
});

void test('dispatch latency, tail and serialization split exactly and add up', () => {
  const pool = configMeasurements({
    backend: 'process',
    workers: 3,
    durations: [0.03, 0.07, 0.02, 0.05, 0.01, 0.04, 0.06],
    dispatch: 0.002,
    tail: 0.004,
  });
  // 4 steps of 0.1 ms per item: 0.4 ms x 7 items = 2.8 ms of serialization, less than the heads and gaps.
  const o = overheadBreakdown(pool, 0.28, calibration(0.0001))!;
  const pass = pool.passes[0]!;
  const split = splitPass(pass, 3, ['w0', 'w1', 'w2'], 0.28, 0.0004);
  // Every task waits 2 ms: 7 x 2 ms of head and gaps in all.
  near(split.headSeconds + split.gapSeconds, 0.014);
  near(o.serialization, 0.0028 / 3);
  near(o.dispatch, (0.014 - 0.0028) / 3);
  assertIdentity(o);
});

void test('serialization is capped at the heads and gaps; the rest is dispatch', () => {
  const pool = configMeasurements({
    backend: 'process',
    workers: 2,
    durations: equal(6, 0.01),
    dispatch: 0.001,
  });
  const o = overheadBreakdown(pool, 0.06, calibration(1))!;
  near(o.serialization, 0.006 / 2);
  near(o.dispatch, 0);
  assertIdentity(o);
});

void test('threads have no serialization, whatever the calibration says', () => {
  const pool = configMeasurements({
    backend: 'thread',
    workers: 2,
    durations: equal(6, 0.01),
    dispatch: 0.001,
  });
  const o = overheadBreakdown(pool, 0.06, calibration(1))!;
  assert.equal(o.serialization, 0);
  near(o.dispatch, 0.006 / 2);
  assertIdentity(o);
});

void test('workers with no task count as head for the whole pass', () => {
  // 3 tasks on 8 workers; only w0..w2 ever announce themselves.
  const pass = schedulePass({ workers: 3, durations: equal(3, 0.1), names: ['w0', 'w1', 'w2'] });
  const split = splitPass(pass, 8, ['w0', 'w1', 'w2'], 0.3, 0);
  near(split.headSeconds, 5 * 0.1);
  near(split.computeInflation + split.dispatch + split.serialization + split.imbalance, 0.1 - 0.3 / 8, 1e-12);
  near(split.imbalanceRatio!, 0.1 / (0.3 / 8));
});

void test('slower tasks in the pool show as compute inflation', () => {
  const pool = configMeasurements({
    backend: 'process',
    workers: 5,
    durations: equal(10, 0.05),
    stretch: () => 1.2,
  });
  const o = overheadBreakdown(pool, c1, null)!;
  near(o.computeInflation, (0.6 - 0.5) / 5);
  near(o.imbalance, 0);
  assertIdentity(o);
});

void test('start-up, spawn and teardown come from the pool timestamps, and averages span every pass', () => {
  const pool = configMeasurements({
    backend: 'process',
    workers: 2,
    durations: equal(4, 0.05),
    spawn: 0.1,
    ready: 0.3,
    teardown: 0.05,
    samples: 4,
    stretch: (s) => 1 + s / 10,
  });
  const o = overheadBreakdown(pool, 0.2, null)!;
  near(o.spawn, 0.1);
  near(o.startup, 0.3);
  near(o.teardown, 0.05);
  // Pass s takes 2 x 0.05 x (1 + s/10): the mean over s = 0..3 is 0.1 x 1.15.
  near(o.seconds, 0.115);
  assertIdentity(o);
});

void test('CPU seconds are summed per pass where tasks report them', () => {
  const pool = configMeasurements({
    backend: 'thread',
    workers: 2,
    durations: equal(4, 0.05),
    cpuPerSecond: 0.5,
  });
  near(overheadBreakdown(pool, 0.2, null)!.cpuSeconds!, 0.1);
  const noCpu = configMeasurements({ backend: 'thread', workers: 2, durations: equal(4, 0.05) });
  assert.equal(overheadBreakdown(noCpu, 0.2, null)!.cpuSeconds, null);
});
