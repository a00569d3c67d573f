// The speedup of one configuration against the serial baseline, by the estimator the rule picks: the counted
// passes of both, and which of them ran back to back in one round.
import type { SpeedupEstimate } from './estimators';
import { estimateSpeedup } from './estimators';
import type { ConfigMeasurements } from './measurements';
import { wallSamples } from './passTime';

/** [serial index, config index] of the counted passes that share a round; none without round numbers. */
export function roundPairs(serial: ConfigMeasurements, config: ConfigMeasurements): [number, number][] {
  if (!serial.rounds || !config.rounds) return [];
  const serialByRound = new Map<number, number>();
  serial.rounds.forEach((round, i) => serialByRound.set(round, i));
  const pairs: [number, number][] = [];
  config.rounds.forEach((round, j) => {
    const i = serialByRound.get(round);
    if (i !== undefined && i < serial.passes.length && j < config.passes.length) pairs.push([i, j]);
  });
  return pairs;
}

export function configSpeedup(serial: ConfigMeasurements, config: ConfigMeasurements): SpeedupEstimate {
  return estimateSpeedup({
    serial: wallSamples(serial.passes),
    parallel: wallSamples(config.passes),
    pairs: roundPairs(serial, config),
  });
}

/** The configuration as the timeline and overhead split see it: its per-task passes, counted or separate. */
export function timelineView(config: ConfigMeasurements): ConfigMeasurements {
  const untimed = config.passes.some((p) => p.timing === 'none');
  const timeline = config.timelinePasses ?? [];
  return untimed && timeline.length > 0 ? { ...config, passes: timeline } : config;
}
