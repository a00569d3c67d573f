// Whether counted passes may time each task (docs/method.md, "Instrumentation"): only when timing a task costs
// at most 1% of the median task, so a speedup never compares passes whose instrumentation differs in weight.
import type { Instrumentation } from '../../protocol/report';
import type { ConfigMeasurements, TargetMeasurements } from './measurements';
import { passSummary } from './passTasks';

/** Timing a task may cost at most this share of the median task. */
export const TIMING_SHARE = 0.01;

/** The median task of the serial warm-up pass (timed per task), in seconds; null without one. */
export function medianTaskSeconds(serial: ConfigMeasurements | undefined): number | null {
  const warmup = serial?.opened?.warmup;
  return warmup ? passSummary(warmup).medianTaskSeconds : null;
}

/** True when counted passes should time each task; unknown costs keep the timed passes of old harnesses. */
export function timeEachTask(
  taskTimingSeconds: number | null | undefined,
  medianTask: number | null,
): boolean {
  if (taskTimingSeconds === null || taskTimingSeconds === undefined || medianTask === null) return true;
  return taskTimingSeconds <= TIMING_SHARE * medianTask;
}

export function instrumentationOf(m: TargetMeasurements): Instrumentation | undefined {
  const timing = m.loaded?.taskTimingSeconds;
  if (timing === undefined) return undefined;
  const serial = m.configs.find((c) => c.config.backend === 'serial');
  const medianTask = medianTaskSeconds(serial);
  const wholeMap = m.configs.some((c) => c.passes.some((p) => p.timing === 'none'));
  const cost = (seconds: number | null): string =>
    seconds === null ? '?' : `${(seconds * 1e6).toPrecision(2)} µs`;
  const note = wholeMap
    ? `Timing a task costs ${cost(timing)}, over 1% of the median task (${cost(medianTask)}): the speedups come from counted passes timed as a whole map only; the timeline, the overhead split and the task figures come from separate per-task timed passes, not counted.`
    : `Timing a task costs ${cost(timing)}, at most 1% of the median task (${cost(medianTask)}): the counted passes timed each task and feed the speedups, the timeline and the overhead split alike.`;
  return {
    countedPasses: wholeMap ? 'whole-map' : 'per-task',
    taskTimingSeconds: timing,
    medianTaskSeconds: medianTask,
    timelinePasses: wholeMap ? 'separate' : 'counted',
    note,
  };
}
