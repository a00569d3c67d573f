// Coverage of every speedup estimator on simulated experiments with a known true ratio, and the rule that picks one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseEstimator,
  ESTIMATORS,
  estimateSpeedup,
  MIN_OUTLIER_SAMPLES,
  MIN_PAIRS,
  pairedMedian,
  type EstimatorName,
  type PairedSamples,
} from '../../runner/analysis/estimators';
import { seededRandom } from '../../runner/analysis/prng';

interface Experiment {
  truth: number;
  samples: PairedSamples;
}

/**
 * One profile's counted passes as the machine makes them: per-pass lognormal noise, a slow drift shared by
 * passes close in time (a sine plus a trend), and rare 2-5x outliers; the serial and parallel pass of a round
 * run back to back in a shuffled order.
 */
function simulate(random: () => number, rounds: number, outlierRate: number): Experiment {
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const truth = 0.3 + random() * 7.7;
  const sigmaSerial = 0.02 + random() * 0.1;
  const sigmaParallel = 0.02 + random() * 0.1;
  const amplitude = random() * 0.1;
  const trend = (random() - 0.5) * 0.1;
  const phase = random() * 2 * Math.PI;
  const period = 4 + random() * 30;
  const drift = (slot: number): number =>
    Math.exp(amplitude * Math.sin((2 * Math.PI * slot) / period + phase) + (trend * slot) / (2 * rounds));
  const outlier = (): number => (random() < outlierRate ? 2 + 3 * random() : 1);
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const serialFirst = random() < 0.5;
    const s = 2 * r + (serialFirst ? 0 : 1);
    const p = 2 * r + (serialFirst ? 1 : 0);
    serial.push(Math.exp(sigmaSerial * normal()) * drift(s) * outlier());
    parallel.push((Math.exp(sigmaParallel * normal()) * drift(p) * outlier()) / truth);
  }
  return { truth, samples: { serial, parallel, pairs: serial.map((_, i) => [i, i] as const) } };
}

function experiments(count: number, seed: number, outlierRate: number): Experiment[] {
  const random = seededRandom(seed);
  const sizes = [3, 5, 10, 20];
  return Array.from({ length: count }, (_, i) => simulate(random, sizes[i % sizes.length]!, outlierRate));
}

/** Whether the rule can pick `estimator` for this experiment: pairing and the outlier test need enough samples. */
function eligible(e: Experiment, estimator: EstimatorName): boolean {
  const paired = estimator === 'paired-ratio' || estimator === 'paired-median';
  const medianBased = estimator === 'paired-median' || estimator === 'median-ratio';
  if (paired && e.samples.pairs.length < MIN_PAIRS) return false;
  return !medianBased || e.samples.serial.length >= MIN_OUTLIER_SAMPLES;
}

function covers(e: Experiment, estimator: EstimatorName): boolean {
  const [low, high] = estimateSpeedup(e.samples, estimator).ci95;
  return low <= e.truth && e.truth <= high;
}

void test('every estimator the rule can pick covers the true ratio in at least 93% of the 1,000 simulated experiments (3 to 20 rounds) it can be picked for', () => {
  const drawn = experiments(1000, 0x5eed, 0.02);
  const coverage: Record<string, number> = {};
  for (const estimator of ESTIMATORS) {
    const pickable = drawn.filter((e) => eligible(e, estimator));
    coverage[estimator] = pickable.filter((e) => covers(e, estimator)).length / pickable.length;
  }
  const chosen = drawn.filter((e) => covers(e, chooseEstimator(e.samples))).length / drawn.length;
  if (process.env.AMDAHL_PRINT_COVERAGE) console.log(JSON.stringify({ ...coverage, rule: chosen }));
  for (const estimator of ESTIMATORS) {
    assert.ok(
      coverage[estimator]! >= 0.93,
      `${estimator} covers ${coverage[estimator]} (${JSON.stringify(coverage)})`,
    );
  }
  assert.ok(chosen >= 0.93, `the rule's choices cover ${chosen}`);
});

void test('with frequent outliers the rule picks a median-based estimator, and it still covers', () => {
  const drawn = experiments(1000, 0xbad, 0.08);
  const picks = drawn.map((e) => chooseEstimator(e.samples));
  const medianBased = picks.filter((p) => p === 'paired-median' || p === 'median-ratio').length;
  assert.ok(medianBased > drawn.length / 2, `median-based picked ${medianBased} times`);
  const covered = drawn.filter((e, i) => covers(e, picks[i]!)).length / drawn.length;
  assert.ok(covered >= 0.93, `covered ${covered}`);
});

void test('pairing is chosen when drift is shared by the passes of a round, and not when the sides vary independently', () => {
  const drifting = Array.from({ length: 10 }, (_, i) => 1 + 0.3 * Math.sin(i));
  const paired: PairedSamples = {
    serial: drifting.map((d, i) => 2 * d * (1 + 0.01 * (i % 3))),
    parallel: drifting.map((d, i) => d * (1 + 0.01 * ((i + 1) % 3))),
    pairs: drifting.map((_, i) => [i, i] as const),
  };
  assert.equal(chooseEstimator(paired), 'paired-ratio');
  const estimate = estimateSpeedup(paired);
  assert.ok(estimate.ci95[1] / estimate.ci95[0] < 1.03, `paired interval ${estimate.ci95.join('-')}`);
  // Paired against the passes of the opposite end of a trend, the two sides move apart: pairing hurts.
  const trend = Array.from({ length: 10 }, (_, i) => 1 + 0.05 * i);
  const opposed: PairedSamples = {
    serial: trend.map((d) => 2 * d),
    parallel: trend,
    pairs: trend.map((_, i) => [i, 9 - i] as const),
  };
  assert.equal(chooseEstimator(opposed), 'mean-ratio');
  assert.equal(chooseEstimator({ ...paired, pairs: paired.pairs.slice(0, 4) }), 'mean-ratio');
});

void test('one 4x outlier among ten passes turns the rule to the median', () => {
  const serial = [1, 1.02, 0.98, 1.01, 0.99, 1, 1.03, 0.97, 4, 1];
  const parallel = [0.5, 0.51, 0.49, 0.5, 0.52, 0.48, 0.5, 0.51, 0.49, 0.5];
  assert.equal(chooseEstimator({ serial, parallel, pairs: [] }), 'median-ratio');
  const estimate = estimateSpeedup({ serial, parallel, pairs: [] });
  assert.ok(Math.abs(estimate.speedup - 2) < 0.05, `${estimate.speedup}`);
});

void test('the sign-test interval of five pairs is their range; of six, too; of twenty, the 6th and 15th', () => {
  const logs = [0.1, 0.2, 0.3, 0.4, 0.5];
  assert.deepEqual(
    pairedMedian(logs)
      .ci95.map(Math.log)
      .map((v) => +v.toFixed(9)),
    [0.1, 0.5],
  );
  const twenty = Array.from({ length: 20 }, (_, i) => i / 100);
  assert.deepEqual(
    pairedMedian(twenty)
      .ci95.map(Math.log)
      .map((v) => +v.toFixed(9)),
    [0.05, 0.14],
  );
});
