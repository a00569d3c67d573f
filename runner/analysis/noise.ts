// pyperf's rules for an unstable measurement (docs/method.md section 2), each failed rule as a sentence.
import { max, mean, median, medianAbsoluteDeviation, min, stdev } from './stats';

/** MAD times this constant estimates the standard deviation of normally distributed samples. */
const MAD_TO_SIGMA = 1.4826;

/** Why these wall-time samples (seconds) look noisy; empty when none of the rules fires. */
export function noiseReasons(samples: readonly number[]): string[] {
  const reasons: string[] = [];
  if (samples.length === 0) return reasons;
  const m = mean(samples);
  if (samples.length >= 2 && m > 0) {
    const spread = stdev(samples) / m;
    if (spread >= 0.1) {
      reasons.push(`the standard deviation is ${percent(spread)} of the mean (10% or more)`);
    }
    const low = (m - min(samples)) / m;
    const high = (max(samples) - m) / m;
    if (low >= 0.5) reasons.push(`the fastest sample is ${percent(low)} below the mean (50% or more)`);
    if (high >= 0.5) reasons.push(`the slowest sample is ${percent(high)} above the mean (50% or more)`);
  }
  const tiny = samples.filter((s) => s < 0.001).length;
  if (tiny > 0) {
    reasons.push(
      `${tiny} sample${tiny === 1 ? ' is' : 's are'} under 1 ms, too short to time reliably (give each pass more work)`,
    );
  }
  const z = firstSampleRobustZ(samples);
  if (z !== null && z > 10) {
    reasons.push(
      `the first sample is far slower than the rest (robust z = ${z.toFixed(1)} by MAD): a warm-up effect or a disturbance`,
    );
  }
  return reasons;
}

/**
 * The samples the rules above point at, by index, each with why: the fastest and the slowest when they lie 50% or
 * more from the mean, and the first when it is a far outlier. The report keeps these passes' tasks in full.
 */
export function notedSamples(samples: readonly number[]): Map<number, string> {
  const noted = new Map<number, string>();
  const m = mean(samples);
  if (samples.length >= 2 && m > 0) {
    const fastest = samples.indexOf(min(samples));
    const slowest = samples.indexOf(max(samples));
    if ((m - samples[fastest]!) / m >= 0.5)
      noted.set(fastest, 'the fastest sample, 50% or more below the mean');
    if ((samples[slowest]! - m) / m >= 0.5)
      noted.set(slowest, 'the slowest sample, 50% or more above the mean');
  }
  const z = firstSampleRobustZ(samples);
  if (z !== null && z > 10) noted.set(0, 'the first sample, far slower than the rest');
  return noted;
}

/**
 * How far the first sample lies above the median of the others, in MAD-estimated standard deviations; null
 * with fewer than 3 other samples. The scale is floored at 0.1% of the median: identical samples (MAD 0)
 * would otherwise make any difference at all an infinite outlier.
 */
export function firstSampleRobustZ(samples: readonly number[]): number | null {
  if (samples.length < 4) return null;
  const rest = samples.slice(1);
  const center = median(rest);
  const scale = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(rest), 0.001 * Math.abs(center), 1e-12);
  return (samples[0]! - center) / scale;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}
