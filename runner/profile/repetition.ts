// Decides, between rounds, which configurations get another counted pass (METHOD.md section 1): everyone up to
// the minimum, then those whose speedup CI is still wider than 3%, until the budget is spent.
import type { ConfigMeasurements } from '../analysis/measurements';
import { stillWide } from '../analysis/convergence';

/** At least 5 counted samples, 10 when a sample is under one second (judged by the warm-up pass). */
export function minimumSamples(c: ConfigMeasurements): number {
  const warmup = c.opened?.warmup;
  const seconds = warmup ? warmup.resultsIn - warmup.mapStart : 0;
  return seconds < 1 ? 10 : 5;
}

export function pendingConfigs(
  live: ConfigMeasurements[],
  serial: ConfigMeasurements,
  repeat: number | null,
  budgetSpent: boolean,
): { configs: ConfigMeasurements[]; reason: string } {
  if (repeat !== null) {
    return { configs: live.filter((c) => c.passes.length < repeat), reason: 'fixed' };
  }
  const belowMinimum = live.filter((c) => c.passes.length < minimumSamples(c));
  if (belowMinimum.length > 0) return { configs: belowMinimum, reason: 'minimum' };
  if (budgetSpent) return { configs: [], reason: 'budget' };
  const wide = stillWide(
    serial,
    live.filter((c) => c !== serial),
  );
  if (wide.length === 0) return { configs: [], reason: 'converged' };
  // The serial samples are in every speedup, so a wide CI anywhere gets a serial sample too.
  return { configs: wide.includes(serial) ? wide : [serial, ...wide], reason: 'adaptive' };
}
