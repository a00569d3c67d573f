// Bootstrap 95% percentile intervals (METHOD.md section 2): of a mean, and of the speedup ratio of two means,
// resampling both sample sets independently, from a fixed seed so a report is reproducible.
import { BOOTSTRAP_SEED, seededRandom } from './prng';
import { mean } from './stats';

export const BOOTSTRAP_RESAMPLES = 10_000;

export type Interval = [number, number];

/** The means of `resamples` bootstrap resamples of `samples`, in a typed array (cheap to sort). */
export function resampledMeans(
  samples: readonly number[],
  resamples: number = BOOTSTRAP_RESAMPLES,
  random: () => number = seededRandom(BOOTSTRAP_SEED),
): Float64Array {
  const n = samples.length;
  const means = new Float64Array(resamples);
  if (n === 0) return means.fill(NaN);
  const values = Float64Array.from(samples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[(random() * n) | 0]!;
    means[r] = sum / n;
  }
  return means;
}

/** 95% percentile interval of the mean; a single sample gives a zero-width interval at its value. */
export function meanInterval(samples: readonly number[], resamples: number = BOOTSTRAP_RESAMPLES): Interval {
  if (samples.length < 2) {
    const m = mean(samples);
    return [m, m];
  }
  return percentileInterval(resampledMeans(samples, resamples));
}

/**
 * 95% percentile interval of S = mean(serial) / mean(parallel), resampling the two independently. Callers that
 * compare many configurations with one serial baseline pass the serial resampled means once (`serialMeans`).
 */
export function speedupInterval(
  serial: readonly number[],
  parallel: readonly number[],
  resamples: number = BOOTSTRAP_RESAMPLES,
  serialMeans?: Float64Array,
): Interval {
  const top = serialMeans ?? resampledMeans(serial, resamples, seededRandom(BOOTSTRAP_SEED));
  // A different stream for the parallel samples keeps the two resamplings independent even when the sample
  // lists have the same length.
  const bottom = resampledMeans(parallel, top.length, seededRandom(BOOTSTRAP_SEED ^ 0x5bd1e995));
  const ratios = new Float64Array(top.length);
  for (let r = 0; r < top.length; r++) ratios[r] = top[r]! / bottom[r]!;
  return percentileInterval(ratios);
}

/** The 2.5th and 97.5th percentiles (linear interpolation between order statistics); sorts in place. */
export function percentileInterval(values: Float64Array): Interval {
  values.sort();
  return [quantileOfSorted(values, 0.025), quantileOfSorted(values, 0.975)];
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const weight = position - below;
  return sorted[below]! * (1 - weight) + sorted[above]! * weight;
}
