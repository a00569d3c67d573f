// The Universal Scalability Law in the time domain, T(k) = a + b/k + c(k - 1), fitted by non-negative weighted
// least squares (docs/method.md section 2), and the Amdahl fit (c = 0) whose serial fraction the report shows.
import { modelSeconds } from '../../protocol/scalingModel';
import { nnls } from './nnls';

export interface TimePoint {
  workers: number;
  /** Mean wall time of a pass at k workers, and its standard error (the weight is 1 / SE^2). */
  seconds: number;
  standardError: number;
}

export interface UslCoefficients {
  a: number;
  b: number;
  c: number;
}

export interface UslFit extends UslCoefficients {
  sigma: number;
  kappa: number;
  /** k* = sqrt((1 - sigma) / kappa); null when kappa = 0 (Amdahl: no peak, speedup rises forever). */
  peakWorkers: number | null;
  fittedWorkers: number[];
}

export interface ScalingFit {
  /** sigma of the Amdahl fit T(k) = a + b/k; null with fewer than 2 worker counts. */
  serialFraction: number | null;
  amdahl: UslCoefficients | null;
  /** null with fewer than 3 worker counts: c is not identifiable from two. */
  usl: UslFit | null;
}

/**
 * A point measured with no spread would get an infinite weight; the standard error is floored at 0.1% of its
 * mean, about the resolution of repeated wall-clock timings.
 */
const RELATIVE_ERROR_FLOOR = 0.001;

/** Fits the points with k <= usableCores (beyond them the machine, not the code, sets the shape). */
export function fitScaling(points: readonly TimePoint[], usableCores: number): ScalingFit {
  const fitted = points
    .filter((p) => p.workers >= 1 && p.workers <= usableCores && p.seconds > 0 && Number.isFinite(p.seconds))
    .sort((p, q) => p.workers - q.workers);
  const distinct = new Set(fitted.map((p) => p.workers)).size;
  const weights = fitted.map((p) => 1 / Math.max(p.standardError, RELATIVE_ERROR_FLOOR * p.seconds));
  const y = fitted.map((p, i) => p.seconds * weights[i]!);

  let amdahl: UslCoefficients | null = null;
  let serialFraction: number | null = null;
  if (distinct >= 2) {
    const rows = fitted.map((p, i) => [weights[i]!, weights[i]! / p.workers]);
    const [a, b] = nnls(rows, y).x as [number, number];
    amdahl = { a, b, c: 0 };
    serialFraction = a + b > 0 ? a / (a + b) : null;
  }

  let usl: UslFit | null = null;
  if (distinct >= 3) {
    const rows = fitted.map((p, i) => [weights[i]!, weights[i]! / p.workers, weights[i]! * (p.workers - 1)]);
    const [a, b, c] = nnls(rows, y).x as [number, number, number];
    if (a + b > 0) {
      const sigma = a / (a + b);
      const kappa = c / (a + b);
      usl = {
        a,
        b,
        c,
        sigma,
        kappa,
        peakWorkers: kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : null,
        fittedWorkers: [...new Set(fitted.map((p) => p.workers))],
      };
    }
  }
  return { serialFraction, amdahl, usl };
}

/** The fitted pass time at k workers. */
export function predictedSeconds(fit: UslCoefficients, workers: number): number {
  return modelSeconds(fit, workers);
}

/**
 * The predicted speedup S_hat(k) = T(serial) / T_hat(k), for charts and extrapolation past the measured k
 * (which the report labels a prediction). `serialSeconds` is the mean serial pass time.
 */
export function predictedSpeedup(fit: UslCoefficients, serialSeconds: number, workers: number): number {
  return serialSeconds / predictedSeconds(fit, workers);
}
