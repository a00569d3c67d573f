// Bootstrap 95% percentile intervals (docs/method.md section 2): of a mean, and of the speedup ratio of two means,
// resampling both sample sets independently, from a fixed seed so a report is reproducible.
import { BOOTSTRAP_SEED } from './prng';
import { mean } from './stats';

export const BOOTSTRAP_RESAMPLES = 10_000;

export type Interval = [number, number];

/** The stream for the parallel side of a speedup, so the two resamplings stay independent. */
export const PARALLEL_SEED = BOOTSTRAP_SEED ^ 0x5bd1e995;

/**
 * The means of `resamples` bootstrap resamples of `samples`, in a typed array. `seed` picks the stream; the
 * generator is mulberry32 (prng.ts), inlined here because this loop is the analysis's hot spot.
 */
export function resampledMeans(
  samples: readonly number[],
  resamples: number = BOOTSTRAP_RESAMPLES,
  seed: number = BOOTSTRAP_SEED,
): Float64Array {
  const n = samples.length;
  const means = new Float64Array(resamples);
  if (n === 0) return means.fill(NaN);
  const values = Float64Array.from(samples);
  let state = seed >>> 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // (uniform 32-bit integer) * n / 2^32: an index in [0, n).
      sum += values[Math.floor(((t ^ (t >>> 14)) >>> 0) * n * 2.3283064365386963e-10)]!;
    }
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
  const top = serialMeans ?? resampledMeans(serial, resamples, BOOTSTRAP_SEED);
  // A different stream for the parallel samples keeps the two resamplings independent even when the sample
  // lists have the same length.
  const bottom = resampledMeans(parallel, top.length, PARALLEL_SEED);
  const ratios = new Float64Array(top.length);
  for (let r = 0; r < top.length; r++) ratios[r] = top[r]! / bottom[r]!;
  return percentileInterval(ratios);
}

/**
 * The 2.5th and 97.5th percentiles (linear interpolation between order statistics, as numpy's default).
 * Reorders `values` in place; selects the four order statistics needed instead of sorting all of them.
 */
export function percentileInterval(values: Float64Array): Interval {
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

function quantile(values: Float64Array, q: number): number {
  const position = q * (values.length - 1);
  const below = Math.floor(position);
  const weight = position - below;
  const low = select(values, below);
  if (weight === 0 || below + 1 >= values.length) return low;
  return low * (1 - weight) + select(values, below + 1) * weight;
}

/** The k-th smallest value (Hoare's quickselect with a median-of-three pivot); partially reorders `values`. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >> 1;
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}
