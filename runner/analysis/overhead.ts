// Where the time of a parallel pass goes (docs/method.md section 3): the exact split of T(k) - C(1)/k into compute
// inflation, dispatch, serialization and tail imbalance, plus pool start-up and teardown measured apart.
import type { PassMessage } from '../../protocol/harness';
import { SERIALIZING } from '../../protocol/backends';
import type { BackendName, Calibration } from '../../protocol/report';
import type { ConfigMeasurements } from './measurements';
import { passColumns, passSummary, passTaskCount } from './passTasks';
import { passSeconds } from './passTime';
import { idealReplaySeconds } from './pop';
import { max, mean } from './stats';

/** Seconds per item to serialize and deserialize one argument and one result, from the calibration pass. */
export function serializationSecondsPerItem(calibration: Calibration | null, backend: BackendName): number {
  // Serial and thread tasks share the caller's objects: nothing is serialized.
  if (!calibration || !SERIALIZING.has(backend)) return 0;
  return (
    calibration.argumentSerializeSeconds +
    calibration.argumentDeserializeSeconds +
    calibration.resultSerializeSeconds +
    calibration.resultDeserializeSeconds
  );
}

/** C(1): the mean summed task time of the serial passes. */
export function serialComputeSeconds(serial: ConfigMeasurements): number {
  return mean(serial.passes.map(busySeconds));
}

export function busySeconds(pass: PassMessage): number {
  return passSummary(pass).busySeconds;
}

/** One pass, split. The four parts (each already divided by k) add up to seconds - C(1)/k exactly. */
export interface PassSplit {
  seconds: number;
  workers: number;
  computeSeconds: number;
  /** Sums over the pool's workers. */
  headSeconds: number;
  gapSeconds: number;
  tailSeconds: number;
  computeInflation: number;
  dispatch: number;
  serialization: number;
  imbalance: number;
  /** max busy / mean busy over the k workers; null when nothing ran. */
  imbalanceRatio: number | null;
  cpuSeconds: number | null;
  /** The busiest worker's task time, and T_ideal of the zero-cost replay (the POP metrics). */
  busiestSeconds: number;
  idealSeconds: number;
}

/**
 * Splits one pass on a pool of `workers`: every worker of the pool spends the whole [P2, P4] as head (before
 * its first task), busy, gaps (between its tasks) and tail (after its last), so the sums over k workers are
 * k * T, and k * T - C(1) = (C(k) - C(1)) + heads + gaps + tails. A pool worker that got no task is all head.
 * `poolWorkers` names the pool's workers as the harness reported them at start-up; tasks name them too.
 */
export function splitPass(
  pass: PassMessage,
  workers: number,
  poolWorkers: readonly string[],
  serialCompute: number,
  serializationPerItem: number,
): PassSplit {
  const seconds = passSeconds(pass);
  const byWorker = new Map<string, { first: number; last: number; busy: number }>();
  for (const name of poolWorkers) byWorker.set(name, { first: NaN, last: NaN, busy: 0 });
  const columns = passColumns(pass);
  // Every name in the columns ran at least one task of the pass.
  const entries = columns.workers.map((name) => {
    const entry = byWorker.get(name) ?? { first: NaN, last: NaN, busy: 0 };
    byWorker.set(name, entry);
    return entry;
  });
  for (let i = 0; i < columns.worker.length; i += 1) {
    const entry = entries[columns.worker[i]!]!;
    const start = columns.start[i]!;
    const end = columns.end[i]!;
    entry.first = Number.isNaN(entry.first) ? start : Math.min(entry.first, start);
    entry.last = Number.isNaN(entry.last) ? end : Math.max(entry.last, end);
    entry.busy += end - start;
  }
  const cpuSeconds = passSummary(pass).cpuSeconds;
  // The pool has k workers even when some never announced themselves and got no task: those idle all pass.
  const idleUnnamed = Math.max(0, workers - byWorker.size);

  let head = idleUnnamed * seconds;
  let gaps = 0;
  let tail = 0;
  let compute = 0;
  let busiest = 0;
  for (const entry of byWorker.values()) {
    compute += entry.busy;
    busiest = Math.max(busiest, entry.busy);
    if (Number.isNaN(entry.first)) {
      head += seconds;
      continue;
    }
    head += entry.first - pass.mapStart;
    tail += pass.resultsIn - entry.last;
    // Everything between the first start and the last end that was not task time: exact even if tasks of one
    // worker overlapped (they should not), because the three parts and busy add up to T by construction.
    gaps += entry.last - entry.first - entry.busy;
  }
  const headAndGaps = head + gaps;
  const serializationTotal = Math.min(Math.max(0, headAndGaps), passTaskCount(pass) * serializationPerItem);
  return {
    seconds,
    workers,
    computeSeconds: compute,
    headSeconds: head,
    gapSeconds: gaps,
    tailSeconds: tail,
    computeInflation: (compute - serialCompute) / workers,
    serialization: serializationTotal / workers,
    dispatch: (headAndGaps - serializationTotal) / workers,
    imbalance: tail / workers,
    imbalanceRatio: compute > 0 ? busiest / (compute / workers) : null,
    cpuSeconds,
    busiestSeconds: busiest,
    idealSeconds: idealReplaySeconds(pass),
  };
}

export interface OverheadBreakdown {
  /** Mean over the counted passes; these four add up to seconds - idealComputeSeconds. */
  computeInflation: number;
  dispatch: number;
  serialization: number;
  imbalance: number;
  /** Pool start-up max W1 - P0, process spawn max W0 - P0, teardown P6 - P5; 0 where not measured. */
  startup: number;
  spawn: number;
  teardown: number;
  seconds: number;
  computeSeconds: number;
  idealComputeSeconds: number;
  /** C(k) / (k T). */
  utilization: number;
  imbalanceRatio: number | null;
  cpuSeconds: number | null;
  /** Summed tail over the workers and summed dispatch + serialization (worker-seconds), for the warnings. */
  tailSeconds: number;
  perTaskDispatchSeconds: number;
  /** Means of the busiest worker's task time and of the replay's T_ideal, for the POP metrics. */
  busiestSeconds: number;
  idealSeconds: number;
}

/** The split averaged over the configuration's counted passes; null without any. */
export function overheadBreakdown(
  config: ConfigMeasurements,
  serialCompute: number,
  calibration: Calibration | null,
): OverheadBreakdown | null {
  if (config.passes.length === 0) return null;
  const k = config.config.workers;
  const poolWorkers = config.opened?.workers.map((w) => w.worker) ?? [];
  const perItem = serializationSecondsPerItem(calibration, config.config.backend);
  const splits = config.passes.map((pass) => splitPass(pass, k, poolWorkers, serialCompute, perItem));
  const average = (pick: (s: PassSplit) => number): number => mean(splits.map(pick));
  const seconds = average((s) => s.seconds);
  const computeSeconds = average((s) => s.computeSeconds);
  const ratios = splits.flatMap((s) => (s.imbalanceRatio === null ? [] : [s.imbalanceRatio]));
  const cpus = splits.flatMap((s) => (s.cpuSeconds === null ? [] : [s.cpuSeconds]));
  const tasks = mean(config.passes.map(passTaskCount));
  const dispatch = average((s) => s.dispatch);
  return {
    computeInflation: average((s) => s.computeInflation),
    dispatch,
    serialization: average((s) => s.serialization),
    imbalance: average((s) => s.imbalance),
    ...poolLifetime(config),
    seconds,
    computeSeconds,
    idealComputeSeconds: serialCompute / k,
    utilization: seconds > 0 ? computeSeconds / (k * seconds) : 0,
    imbalanceRatio: ratios.length > 0 ? mean(ratios) : null,
    cpuSeconds: cpus.length > 0 ? mean(cpus) : null,
    tailSeconds: average((s) => s.tailSeconds),
    perTaskDispatchSeconds: tasks > 0 ? (dispatch * k) / tasks : 0,
    busiestSeconds: average((s) => s.busiestSeconds),
    idealSeconds: average((s) => s.idealSeconds),
  };
}

/** Start-up, spawn and teardown of the pool, measured once per configuration (not per pass). */
export function poolLifetime(config: ConfigMeasurements): {
  startup: number;
  spawn: number;
  teardown: number;
} {
  const opened = config.opened;
  let startup = 0;
  let spawn = 0;
  if (opened) {
    const ends = opened.workers.flatMap((w) => (w.initEnd === undefined ? [] : [w.initEnd]));
    const starts = opened.workers.flatMap((w) => (w.initStart === undefined ? [] : [w.initStart]));
    // Without worker timestamps the constructor's own duration is the best start-up figure there is.
    startup =
      ends.length > 0 ? max(ends) - opened.constructStart : opened.constructEnd - opened.constructStart;
    spawn = starts.length > 0 ? max(starts) - opened.constructStart : 0;
  }
  const teardown = config.closed ? config.closed.closeEnd - config.closed.closeStart : 0;
  return { startup, spawn, teardown };
}
