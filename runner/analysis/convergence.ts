// Which configurations still need counted samples (docs/method.md section 1): the minimum count, then until the 95%
// CI half-width of every S(k) is within 3% of S(k). Called between rounds, so it must stay fast.
import type { ConfigMeasurements } from './measurements';
import { passSeconds, wallSamples } from './passTime';
import { PARALLEL_SEED, percentileInterval, resampledMeans } from './bootstrap';
import { BOOTSTRAP_SEED } from './prng';
import { mean, median, standardError } from './stats';

/** The relative CI half-width at which a speedup counts as measured. */
export const CONVERGED_HALF_WIDTH = 0.03;

/**
 * Resamples per interval here. The report uses 10,000; between rounds 2,000 decide the same stop: the
 * Monte Carlo error of a 2,000-resample half-width is about 2% of the half-width (0.06 percentage points at
 * the 3% threshold), which test/unit/analysis-convergence.test.ts checks against 10,000 on skewed and normal
 * samples, and it keeps thirty configurations of 10 samples under 20 ms.
 */
export const CONVERGENCE_RESAMPLES = 2_000;

export interface ConfigConvergence {
  config: ConfigMeasurements;
  samples: number;
  minimum: number;
  /** S(k) and its relative 95% half-width; null while either side has fewer than 2 samples. */
  speedup: number | null;
  relativeHalfWidth: number | null;
  converged: boolean;
}

export interface ConvergenceState {
  /** Configurations that need another sample (the serial baseline when its own variance dominates a wide one). */
  pending: ConfigMeasurements[];
  /** The configuration whose speedup interval is widest relative to S(k), for the progress message. */
  widest: ConfigConvergence | null;
  configs: ConfigConvergence[];
}

/** Counted time a configuration of tiny passes gets at least: their noise is large and they cost little. */
const TINY_PASS_SECONDS = 0.5;
/** The most samples the minimum asks of tiny passes. */
const TINY_PASS_SAMPLES = 50;

/**
 * The fewest counted samples (docs/method.md, "Minimum samples"): 5, the usual size of the experiments whose
 * interval coverage the estimators are tested on; 3 when a pass takes a second or more, where the t interval
 * of 3 + 3 samples still covers (the same test) and two more passes would cost seconds; for passes under
 * 0.1 s, enough for half a second of counted time (10 to 50), because such passes vary by a quarter of
 * their length and cost almost nothing. The warm-up gives the typical length before any count. Decision-driven
 * stopping adds samples where the answer needs them.
 */
export function minimumSamples(c: ConfigMeasurements): number {
  const counted = wallSamples(c.passes);
  const warmup = c.opened?.warmup;
  const typical = counted.length > 0 ? median(counted) : warmup ? passSeconds(warmup) : 0;
  if (typical >= 1) return 3;
  if (typical >= 0.1) return 5;
  return Math.min(
    TINY_PASS_SAMPLES,
    Math.max(10, Math.ceil(TINY_PASS_SECONDS / Math.max(typical, 1e-6) - 1e-9)),
  );
}

export function convergence(
  serial: ConfigMeasurements,
  others: readonly ConfigMeasurements[],
  resamples: number = CONVERGENCE_RESAMPLES,
): ConvergenceState {
  const serialSamples = wallSamples(serial.passes);
  const serialMeans =
    serialSamples.length >= 2 ? resampledMeans(serialSamples, resamples, BOOTSTRAP_SEED) : null;
  const serialState: ConfigConvergence = {
    config: serial,
    samples: serialSamples.length,
    minimum: minimumSamples(serial),
    speedup: 1,
    relativeHalfWidth: 0,
    converged: serialSamples.length >= minimumSamples(serial),
  };
  const states: ConfigConvergence[] = [serialState];
  const pending = new Set<ConfigMeasurements>();
  if (!serialState.converged) pending.add(serial);
  let widest: ConfigConvergence | null = null;

  for (const config of others) {
    if (config === serial) continue;
    const samples = wallSamples(config.passes);
    const minimum = minimumSamples(config);
    let speedup: number | null = null;
    let relativeHalfWidth: number | null = null;
    if (serialMeans && samples.length >= 2) {
      speedup = mean(serialSamples) / mean(samples);
      const parallelMeans = resampledMeans(samples, resamples, PARALLEL_SEED);
      const ratios = new Float64Array(resamples);
      for (let r = 0; r < resamples; r++) ratios[r] = serialMeans[r]! / parallelMeans[r]!;
      const [low, high] = percentileInterval(ratios);
      relativeHalfWidth = (high - low) / 2 / speedup;
    }
    const wide = relativeHalfWidth === null || relativeHalfWidth > CONVERGED_HALF_WIDTH;
    const state: ConfigConvergence = {
      config,
      samples: samples.length,
      minimum,
      speedup,
      relativeHalfWidth,
      converged: samples.length >= minimum && !wide,
    };
    states.push(state);
    if (!state.converged) pending.add(config);
    if (
      relativeHalfWidth !== null &&
      (widest === null || relativeHalfWidth > (widest.relativeHalfWidth ?? -Infinity))
    ) {
      widest = state;
    }
    // The serial mean is in every S(k): when its relative error is the larger part of a wide interval,
    // more serial samples narrow it faster than more samples of k.
    if (wide && samples.length >= 2 && relativeError(serialSamples) >= relativeError(samples))
      pending.add(serial);
  }
  return { pending: [...pending], widest, configs: states };
}

/** The configurations that need another sample, for the orchestrator between rounds. */
export function stillWide(
  serial: ConfigMeasurements,
  others: readonly ConfigMeasurements[],
): ConfigMeasurements[] {
  return convergence(serial, others).pending;
}

function relativeError(samples: readonly number[]): number {
  const m = mean(samples);
  return m > 0 ? standardError(samples) / m : Infinity;
}
