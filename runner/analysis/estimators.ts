// The speedup estimators and the rule that picks one (docs/method.md, "Stopping and estimators"): the ratio of
// means from independent samples, the geometric mean of paired ratios, and their median-based versions with
// rank-based intervals for when rare outliers (CPU steal, a page-cache miss) dominate. Every interval is 95%.
import { SpeedupEstimator } from '../../protocol/report';
import { mean, median, stdev } from './stats';

export const ESTIMATORS = SpeedupEstimator.options;
export type EstimatorName = SpeedupEstimator;

export interface SpeedupEstimate {
  estimator: EstimatorName;
  speedup: number;
  ci95: [number, number];
}

/** A counted pass of the parallel configuration and the serial pass it was paired with (the same round). */
export interface PairedSamples {
  serial: readonly number[];
  parallel: readonly number[];
  /** [serial index, parallel index] of passes run back to back in one round. */
  pairs: readonly (readonly [number, number])[];
}

/** Fewest pairs for a paired estimator: below this the independent one is used. */
export const MIN_PAIRS = 5;
/** Fewest samples on a side for the outlier test (and so for a median-based estimator). */
export const MIN_OUTLIER_SAMPLES = 5;
/** A log-time farther than this many robust standard deviations from the median is an outlier. */
const OUTLIER_Z = 5;

const Z975 = 1.959963984540054;
// The 97.5% quantile of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Student's t 97.5% quantile; past 30 degrees of freedom the Cornish-Fisher expansion (error < 0.001). */
export function t975(df: number): number {
  if (!(df >= 1)) return Infinity;
  if (df <= 30) {
    const low = Math.floor(df);
    const high = Math.min(30, low + 1);
    return T975[low - 1]! + (T975[high - 1]! - T975[low - 1]!) * (df - low);
  }
  const z = Z975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/**
 * Which estimator the rule picks: paired when there are enough pairs and pairing lowers the variance of the
 * log ratio (drift shared by the two passes of a round cancels), else independent; the median-based variant
 * when any log-time is an outlier (over 5 robust standard deviations, MAD-based, from its side's median).
 */
export function chooseEstimator(samples: PairedSamples): EstimatorName {
  const outliers = hasOutlier(samples.serial) || hasOutlier(samples.parallel);
  const paired = samples.pairs.length >= MIN_PAIRS && pairingHelps(samples);
  if (paired) return outliers ? 'paired-median' : 'paired-ratio';
  return outliers ? 'median-ratio' : 'mean-ratio';
}

/** The chosen (or the given) estimator's speedup and 95% interval. */
export function estimateSpeedup(
  samples: PairedSamples,
  estimator = chooseEstimator(samples),
): SpeedupEstimate {
  switch (estimator) {
    case 'mean-ratio':
      return { estimator, ...meanRatio(samples.serial, samples.parallel) };
    case 'median-ratio':
      return { estimator, ...medianRatio(samples.serial, samples.parallel) };
    case 'paired-ratio':
      return { estimator, ...pairedRatio(logRatios(samples)) };
    case 'paired-median':
      return { estimator, ...pairedMedian(logRatios(samples)) };
  }
}

/** S = mean(serial) / mean(parallel); interval from the delta method on log S with Welch's degrees of freedom. */
export function meanRatio(
  serial: readonly number[],
  parallel: readonly number[],
): Omit<SpeedupEstimate, 'estimator'> {
  const ms = mean(serial);
  const mp = mean(parallel);
  const speedup = ms / mp;
  if (serial.length < 2 || parallel.length < 2) return { speedup, ci95: [NaN, NaN] };
  const a = (stdev(serial) / ms) ** 2 / serial.length;
  const b = (stdev(parallel) / mp) ** 2 / parallel.length;
  const se = Math.sqrt(a + b);
  const df =
    se === 0 ? Infinity : (a + b) ** 2 / ((a * a) / (serial.length - 1) + (b * b) / (parallel.length - 1));
  const half = t975(Math.max(1, df)) * se;
  return { speedup, ci95: [speedup * Math.exp(-half), speedup * Math.exp(half)] };
}

/** exp(mean of the paired log ratios), with Student's t interval on the log ratios. */
export function pairedRatio(logs: readonly number[]): Omit<SpeedupEstimate, 'estimator'> {
  const m = mean(logs);
  if (logs.length < 2) return { speedup: Math.exp(m), ci95: [NaN, NaN] };
  const half = (t975(logs.length - 1) * stdev(logs)) / Math.sqrt(logs.length);
  return { speedup: Math.exp(m), ci95: [Math.exp(m - half), Math.exp(m + half)] };
}

/** exp(median of the paired log ratios), with the sign-test (binomial order-statistic) interval. */
export function pairedMedian(logs: readonly number[]): Omit<SpeedupEstimate, 'estimator'> {
  const sorted = [...logs].sort((x, y) => x - y);
  const n = sorted.length;
  if (n < 2) return { speedup: Math.exp(median(sorted)), ci95: [NaN, NaN] };
  const j = Math.max(1, signTestRank(n));
  return {
    speedup: Math.exp(median(sorted)),
    ci95: [Math.exp(sorted[j - 1]!), Math.exp(sorted[n - j]!)],
  };
}

/**
 * Hodges-Lehmann ratio from independent samples: exp(median of all log(serial_i) - log(parallel_j)), with the
 * distribution-free Mann-Whitney interval (normal approximation of its rank).
 */
export function medianRatio(
  serial: readonly number[],
  parallel: readonly number[],
): Omit<SpeedupEstimate, 'estimator'> {
  const m = serial.length;
  const n = parallel.length;
  const differences: number[] = [];
  for (const s of serial) for (const p of parallel) differences.push(Math.log(s) - Math.log(p));
  differences.sort((x, y) => x - y);
  const speedup = Math.exp(median(differences));
  if (m < 2 || n < 2) return { speedup, ci95: [NaN, NaN] };
  const rank = Math.floor((m * n) / 2 - Z975 * Math.sqrt((m * n * (m + n + 1)) / 12));
  const c = Math.max(1, rank);
  return { speedup, ci95: [Math.exp(differences[c - 1]!), Math.exp(differences[m * n - c]!)] };
}

/** The largest j with P(Binomial(n, 1/2) <= j - 1) <= 2.5%; 0 when even the extremes cover less (n < 6). */
function signTestRank(n: number): number {
  let cumulative = 0;
  let term = Math.pow(0.5, n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    cumulative += term;
    if (cumulative > 0.025) break;
    j = i + 1;
    term = (term * (n - i)) / (i + 1);
  }
  return j;
}

function logRatios(samples: PairedSamples): number[] {
  return samples.pairs.map(([i, j]) => Math.log(samples.serial[i]! / samples.parallel[j]!));
}

/** Pairing helps when the paired log ratios vary less than the two sides would independently. */
function pairingHelps(samples: PairedSamples): boolean {
  const logs = logRatios(samples);
  const serialLogs = samples.pairs.map(([i]) => Math.log(samples.serial[i]!));
  const parallelLogs = samples.pairs.map(([, j]) => Math.log(samples.parallel[j]!));
  return stdev(logs) ** 2 < stdev(serialLogs) ** 2 + stdev(parallelLogs) ** 2;
}

export function hasOutlier(values: readonly number[]): boolean {
  if (values.length < MIN_OUTLIER_SAMPLES) return false;
  const logs = values.map(Math.log);
  const center = median(logs);
  const spread = 1.4826 * median(logs.map((v) => Math.abs(v - center)));
  if (!(spread > 0)) return false;
  return logs.some((v) => Math.abs(v - center) / spread > OUTLIER_Z);
}
