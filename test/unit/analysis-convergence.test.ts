// Which configurations still need samples: the minimum count, then the 3% rule on every S(k) interval.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { speedupInterval } from '../../runner/analysis/bootstrap';
import {
  convergence,
  CONVERGENCE_RESAMPLES,
  minimumSamples,
  stillWide,
} from '../../runner/analysis/convergence';
import { seededRandom } from '../../runner/analysis/prng';
import { configMeasurements, equal } from './analysisSynthetic';

/** A stretch factor per sample: 1 plus a deterministic jitter of the given relative size. */
function jitter(size: number, seed: number): (sample: number) => number {
  return (sample) => 1 + size * Math.sin(seed * 7.1 + sample * 2.3);
}

void test('the minimum is half a second of passes under 0.1 s (10 to 50), 5 up to 1 s, 3 from 1 s', () => {
  // Ten equal tasks per pass: a pass of `seconds`.
  const minimum = (seconds: number, samples?: number): number =>
    minimumSamples(
      configMeasurements({ backend: 'serial', workers: 1, durations: equal(10, seconds / 10), samples }),
    );
  assert.equal(minimum(0.005), 50, 'a 5 ms pass: 100 would be half a second, capped at 50');
  assert.equal(minimum(0.02), 25, 'a 20 ms pass: 25 make half a second');
  assert.equal(minimum(0.05), 10);
  assert.equal(minimum(0.2), 5);
  assert.equal(minimum(1.5), 3);
  assert.equal(minimum(0.2, 0), 5, 'judged by the warm-up pass before any counted sample');
});

void test('steady configurations past the minimum are done', () => {
  // 0.25 s tasks keep every sum exact in binary floating point: 1.25 s passes, comfortably over 1 s.
  const serial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(10, 0.25),
    samples: 6,
  });
  const pool = configMeasurements({ backend: 'process', workers: 2, durations: equal(10, 0.25), samples: 6 });
  const state = convergence(serial, [pool]);
  assert.deepEqual(state.pending, []);
  assert.equal(state.widest!.relativeHalfWidth, 0);
});

void test('configurations below the minimum still need samples', () => {
  const serial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(10, 0.005),
    samples: 10,
  });
  const pool = configMeasurements({
    backend: 'process',
    workers: 2,
    durations: equal(10, 0.005),
    samples: 6,
  });
  assert.deepEqual(stillWide(serial, [pool]), [pool]);
  const shortSerial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(10, 0.005),
    samples: 4,
  });
  assert.ok(stillWide(shortSerial, [pool]).includes(shortSerial));
});

void test('a wide speedup interval keeps its configuration (and the serial baseline when it is the noisier)', () => {
  const serial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(10, 0.25),
    samples: 6,
    stretch: jitter(0.001, 1),
  });
  const steady = configMeasurements({
    backend: 'process',
    workers: 2,
    durations: equal(10, 0.25),
    samples: 6,
  });
  const noisy = configMeasurements({
    backend: 'process',
    workers: 4,
    durations: equal(10, 0.25),
    samples: 6,
    stretch: jitter(0.2, 2),
  });
  const state = convergence(serial, [steady, noisy]);
  assert.deepEqual(state.pending, [noisy]);
  assert.equal(state.widest!.config, noisy);
  assert.ok(state.widest!.relativeHalfWidth! > 0.03);

  const noisySerial = configMeasurements({
    backend: 'serial',
    workers: 1,
    durations: equal(10, 0.25),
    samples: 6,
    stretch: jitter(0.2, 3),
  });
  const again = convergence(noisySerial, [steady]);
  assert.ok(again.pending.includes(noisySerial));
  assert.ok(again.pending.includes(steady));
});

void test('2,000 resamples decide like 10,000: half-widths agree within 5%', () => {
  const random = seededRandom(99);
  for (let trial = 0; trial < 10; trial++) {
    // Normal-ish and skewed (exponential tail) samples, 10 each.
    const skew = trial % 2 === 1;
    const draw = (): number =>
      skew ? 1 - 0.1 * Math.log(1 - random()) : 1 + 0.05 * (random() + random() - 1);
    const serial = Array.from({ length: 10 }, draw);
    const parallel = Array.from({ length: 10 }, () => draw() / 3);
    const [l1, h1] = speedupInterval(serial, parallel, 10_000);
    const [l2, h2] = speedupInterval(serial, parallel, CONVERGENCE_RESAMPLES);
    const half1 = (h1 - l1) / 2;
    const half2 = (h2 - l2) / 2;
    assert.ok(Math.abs(half2 - half1) / half1 < 0.05, `trial ${trial}: ${half2} vs ${half1}`);
  }
});
