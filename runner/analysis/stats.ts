// Descriptive statistics of a list of samples: mean, median, extremes and the sample standard deviation.

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Loops rather than Math.min(...values): spreading a long array overflows the call stack.
export function min(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let least = Infinity;
  for (const v of values) if (v < least) least = v;
  return least;
}

export function max(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let most = -Infinity;
  for (const v of values) if (v > most) most = v;
  return most;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single sample, which has no spread to show. */
export function stdev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) * (v - m);
  return Math.sqrt(squares / (values.length - 1));
}

/** Standard error of the mean; 0 for fewer than two samples. */
export function standardError(values: readonly number[]): number {
  return values.length < 2 ? 0 : stdev(values) / Math.sqrt(values.length);
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export interface Summary {
  mean: number;
  median: number;
  min: number;
  max: number;
  stdev: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    mean: mean(values),
    median: median(values),
    min: min(values),
    max: max(values),
    stdev: stdev(values),
  };
}
