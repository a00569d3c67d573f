// The sampling plan between rounds: minimum samples first, then the serial baseline paired with the most
// delaying configuration, a stop reason from the decision, and timeline passes kept apart from counted ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SamplingPlan } from '../../runner/profile/samplingPlan';
import { configMeasurements, equal } from './analysisSynthetic';

/** A serial baseline and thread pools of 1, 2 and 4 over 8 equal tasks of `task` seconds (0.08 s passes). */
function configs(samples: number, noise: (s: number, c: number) => number = () => 1, task = 0.01) {
  const serial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(8, task),
    samples,
    stretch: (s) => noise(s, 0),
  });
  const pools = [1, 2, 4].map((k) =>
    configMeasurements({
      backend: 'thread',
      workers: k,
      durations: equal(8, task),
      samples,
      stretch: (s) => noise(s, k),
    }),
  );
  for (const c of [serial, ...pools]) c.rounds = c.passes.map((_, i) => i);
  return { serial, pools };
}

void test('below the minimum every configuration and the serial baseline run, in a shuffled round', () => {
  const { serial, pools } = configs(3);
  const next = new SamplingPlan({ repeat: null, precision: 0.05 }).next([serial, ...pools], serial, false);
  assert.equal(next.stop, null);
  assert.equal(next.configs.length, 4);
});

void test("the first two rounds are the serial baseline and each run's largest count: a provisional answer", () => {
  for (const samples of [0, 1]) {
    const { serial, pools } = configs(samples);
    const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
    const next = plan.next([serial, ...pools], serial, false);
    assert.equal(next.stop, null);
    assert.deepEqual(new Set(next.configs), new Set([serial, pools[2]]), `after ${samples} samples`);
  }
  const { serial, pools } = configs(2);
  const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
  assert.equal(plan.next([serial, ...pools], serial, false).configs.length, 4);
  assert.match(plan.provisional(serial, [serial, ...pools]) ?? '', /^thread S\(\d\) ≈ \d\.\d\d \[/);
});

void test("with several runs only the first run's largest count joins the provisional rounds", () => {
  const { serial, pools } = configs(0);
  const processes = [1, 2, 4].map((k) =>
    configMeasurements({ backend: 'process', workers: k, durations: equal(8, 0.01), samples: 0 }),
  );
  const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
  const next = plan.next([serial, ...processes, ...pools], serial, false);
  assert.deepEqual(new Set(next.configs), new Set([serial, processes[2]]));
});

void test('clearly separated, precise speedups stop as decided; a spent budget stops as budget', () => {
  // Sleep-like exact passes with a little noise: S(k) = k known within far less than 5%. Passes of 0.2 s and
  // more, so that 10 samples are past every minimum.
  const { serial, pools } = configs(10, (s) => 1 + 0.001 * (s % 3), 0.1);
  const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
  assert.deepEqual(plan.next([serial, ...pools], serial, false), { configs: [], stop: 'decided' });
  const wide = configs(10, (s) => 1 + 0.4 * (s % 2));
  assert.equal(plan.next([wide.serial, ...wide.pools], wide.serial, true).stop, 'budget');
});

void test('a spent budget stops below the minimum once every configuration has two passes, not before', () => {
  const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
  const three = configs(3);
  assert.equal(plan.next([three.serial, ...three.pools], three.serial, true).stop, 'budget');
  assert.equal(plan.next([three.serial, ...three.pools], three.serial, false).stop, null);
  const one = configs(2);
  one.pools[0]!.passes.pop();
  const next = plan.next([one.serial, ...one.pools], one.serial, true);
  assert.equal(next.stop, null);
  assert.deepEqual(new Set(next.configs), new Set([one.serial, one.pools[0]]));
});

void test('an unsettled decision gets a round of the serial baseline and one configuration', () => {
  // Each configuration's passes vary on their own by up to 24%: the headline is not yet within 1%.
  const { serial, pools } = configs(10, (s, c) => 1 + (0.3 * ((s * (7 + c)) % 5)) / 5, 0.1);
  const next = new SamplingPlan({ repeat: null, precision: 0.01 }).next([serial, ...pools], serial, false);
  assert.equal(next.stop, null);
  assert.equal(next.configs.length, 2);
  assert.ok(next.configs.includes(serial));
});

void test('--repeat n: every configuration to n, then stop as repeat', () => {
  const { serial, pools } = configs(4);
  const plan = new SamplingPlan({ repeat: 4, precision: 0.05 });
  assert.deepEqual(plan.next([serial, ...pools], serial, false), { configs: [], stop: 'repeat' });
});

void test('with uninstrumented counted passes the first pass of each configuration is a timeline pass, kept apart', () => {
  const { serial } = configs(0);
  const plan = new SamplingPlan({ repeat: null, precision: 0.05 });
  // Timing a task (1 µs) costs over 1% of the 10 ms tasks? No: per-task timing stays.
  plan.chooseTiming(1e-6, serial);
  assert.equal(plan.timingFor(serial), 'tasks');
  // 10 ms tasks and a 1 ms timing cost: counted passes go uninstrumented, after one timeline pass.
  plan.chooseTiming(1e-3, serial);
  assert.equal(plan.counted, 'none');
  assert.equal(plan.timingFor(serial), 'tasks');
  const pass = serial.opened!.warmup;
  plan.record(serial, pass, 'tasks');
  assert.deepEqual([serial.passes.length, serial.timelinePasses?.length], [0, 1]);
  assert.equal(plan.timingFor(serial), 'none');
  plan.record(serial, { ...pass, tasks: [], timing: 'none' }, 'none');
  assert.equal(serial.passes.length, 1);
  assert.equal(serial.rounds?.length, 1);
});
