// Decides, between rounds, which configurations get another counted pass (docs/method.md section 1): everyone up to
// the minimum, then those whose speedup CI is still wider than 3%, until the budget is spent.
import type { RepetitionStep } from '../../protocol/codes';
import type { ConfigMeasurements } from '../analysis/measurements';
import { minimumSamples, stillWide } from '../analysis/convergence';

export { minimumSamples };

export function pendingConfigs(
  live: ConfigMeasurements[],
  serial: ConfigMeasurements,
  repeat: number | null,
  budgetSpent: boolean,
): { configs: ConfigMeasurements[]; reason: RepetitionStep } {
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
  return wide.length === 0 ? { configs: [], reason: 'converged' } : { configs: wide, reason: 'adaptive' };
}
