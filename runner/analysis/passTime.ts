// The wall time of a pass, T = P4 - P2, and the samples of a configuration built from it.
import type { PassMessage } from '../../protocol/harness';

export function passSeconds(pass: Pick<PassMessage, 'mapStart' | 'resultsIn'>): number {
  return pass.resultsIn - pass.mapStart;
}

export function wallSamples(passes: readonly PassMessage[]): number[] {
  return passes.map(passSeconds);
}
