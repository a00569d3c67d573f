// The model lines drawn beside the measurements: ideal S = k, the task-count ceiling, and the fitted curve
// extended to twice the measured range as a prediction. Pure functions, so they are tested without a browser.
import type { Run } from '../protocol/report';

export interface XY {
  x: number;
  y: number;
}

/** The largest worker count measured in a run (1 when nothing is measured yet). */
export function measuredMaxWorkers(run: Run): number {
  return Math.max(1, ...run.points.map((point) => point.workers));
}

/** n / ceil(n / k): the speedup a pool of k cannot beat when n equal tasks are dealt out whole. */
export function taskCeiling(inputCount: number, workers: number): number {
  return inputCount / Math.ceil(inputCount / workers);
}

/**
 * The fitted speedup at k: the time-domain USL T(k) = a + b/k + c(k-1) when the runner fitted it, else the
 * USL in sigma and kappa, else Amdahl's law with the serial fraction; null when nothing was fitted.
 */
export function fittedSpeedup(run: Run, workers: number): number | null {
  const usl = run.fit.usl;
  if (usl && usl.a !== undefined && usl.b !== undefined && usl.c !== undefined) {
    const time = usl.a + usl.b / workers + usl.c * (workers - 1);
    return time > 0 ? (usl.a + usl.b) / time : null;
  }
  if (usl) return workers / (1 + usl.sigma * (workers - 1) + usl.kappa * workers * (workers - 1));
  const fraction = run.fit.serialFraction;
  if (fraction === null) return null;
  return 1 / (fraction + (1 - fraction) / workers);
}

/** The fitted curve sampled on whole k: over the measured range, and beyond it to twice that range. */
export function fittedCurve(run: Run): { measured: XY[]; predicted: XY[] } {
  const maxK = measuredMaxWorkers(run);
  const measured: XY[] = [];
  const predicted: XY[] = [];
  for (let k = 1; k <= 2 * maxK; k += 1) {
    const y = fittedSpeedup(run, k);
    if (y === null || !Number.isFinite(y)) continue;
    if (k <= maxK) measured.push({ x: k, y });
    if (k >= maxK) predicted.push({ x: k, y });
  }
  return { measured, predicted };
}

/** The asymptote of the fit: 1/f for Amdahl, the USL peak's speedup where it has one; null when unbounded. */
export function predictedCeiling(run: Run): { speedup: number; workers: number | null } | null {
  const usl = run.fit.usl;
  if (usl?.peakWorkers !== null && usl?.peakWorkers !== undefined) {
    const speedup = fittedSpeedup(run, usl.peakWorkers);
    if (speedup !== null) return { speedup, workers: usl.peakWorkers };
  }
  const fraction = run.fit.serialFraction;
  if (fraction !== null && fraction > 0) return { speedup: 1 / fraction, workers: null };
  return null;
}

/**
 * Ticks of a log2 worker axis, 1, 2, 4, ... up to `top`, when the measured counts spread over a factor of 16 or
 * more (1 to 64 workers): on a linear axis 1, 2 and 4 would crowd into the first few pixels. null: stay linear.
 */
export function log2WorkerTicks(counts: readonly number[], top: number): number[] | null {
  if (counts.length < 2) return null;
  const low = Math.max(1, Math.min(...counts));
  if (Math.max(...counts) / low < 16) return null;
  const ticks: number[] = [];
  for (let k = 1; k <= top; k *= 2) ticks.push(k);
  return ticks;
}
