// S(k) from a run's fitted model and its bootstrap refits (runs[].scalingModel): the runner's extrapolations and
// the page's "on a machine with N cores" both read it here, so the two agree. A prediction, with its band.
import type { ScalingModel } from './report';

/** T(k) = a + b/k + c(k - 1), seconds. */
export function modelSeconds(model: { a: number; b: number; c: number }, workers: number): number {
  return model.a + model.b / workers + model.c * (workers - 1);
}

/** S at k workers from the model, and the 2.5th and 97.5th percentiles of the refits' S (linear interpolation). */
export function modelSpeedup(model: ScalingModel, workers: number): { mean: number; ci95: [number, number] } {
  const centre = model.serialSeconds / modelSeconds(model, workers);
  const values = model.resamples
    .map(([serial, a, b, c]) => serial / modelSeconds({ a, b, c }, workers))
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  if (values.length === 0) return { mean: centre, ci95: [centre, centre] };
  const at = (q: number): number => {
    const position = q * (values.length - 1);
    const below = Math.floor(position);
    const above = Math.min(below + 1, values.length - 1);
    return values[below]! + (values[above]! - values[below]!) * (position - below);
  };
  return { mean: centre, ci95: [at(0.025), at(0.975)] };
}
