// The POP Centre of Excellence's efficiency model (docs/method.md section 8), computed from the same passes and
// sums as the overhead split, so that 1 - PE is exactly the dispatch, serialization and imbalance shares of T.
import type { PassMessage } from '../../protocol/harness';
import type { Pop } from '../../protocol/pop';
import { byStart, type TaskColumns } from '../../protocol/taskTable';
import { passColumns } from './passTasks';

/**
 * T_ideal of one pass: the measured task durations replayed on the measured workers with zero dispatch and zero
 * (de)serialization. Each worker keeps its own sequence of tasks, and the feeder keeps the order in which it
 * handed them out (the measured start order): a task starts once its worker is free and not before the task
 * handed out before it. Time runs from P2 = 0. The busiest worker's useful time is a lower bound, T an upper one
 * (every replayed start is no later than the measured one).
 */
export function idealReplaySeconds(pass: PassMessage): number {
  const columns = passColumns(pass);
  const order = inStartOrder(columns) ? null : byStart(columns);
  const n = columns.worker.length;
  const free = new Float64Array(columns.workers.length);
  let handedOut = 0;
  let end = 0;
  for (let at = 0; at < n; at += 1) {
    const i = order ? order[at]! : at;
    const w = columns.worker[i]!;
    const start = Math.max(free[w]!, handedOut);
    const finish = start + (columns.end[i]! - columns.start[i]!);
    free[w] = finish;
    handedOut = start;
    end = Math.max(end, finish);
  }
  return end;
}

/** True when the tasks are in the replay's order already (a serial loop's are): the sort is skipped. */
function inStartOrder(columns: TaskColumns): boolean {
  for (let i = 1; i < columns.worker.length; i += 1) {
    const d = columns.start[i]! - columns.start[i - 1]!;
    if (d < 0 || (d === 0 && columns.end[i]! < columns.end[i - 1]!)) return false;
  }
  return true;
}

/** The per-point means the metrics are ratios of, each over the same passes as the overhead split. */
export interface PopSums {
  workers: number;
  /** Mean pass time T. */
  seconds: number;
  /** Mean summed useful (in-task) time over the workers, sum_w U_w. */
  computeSeconds: number;
  /** Mean of the busiest worker's useful time, max_w U_w. */
  busiestSeconds: number;
  /** Mean T_ideal of the replay. */
  idealSeconds: number;
  /** Mean CPU seconds of the tasks; null where the runtime does not report it. */
  cpuSeconds: number | null;
}

/**
 * The POP table's column for one point. Ratios of means, not means of per-pass ratios, so the products hold
 * exactly: LB x CommE = PE, SerE x TE = CommE, PE x CompS = GE. `reference` is the useful time the scalability is
 * measured against (the serial baseline's, strong scaling), and `referenceWorkers` its worker count (weak
 * scaling: the reference did 1/k of the work, CompS = (k / k_ref) x sum U_ref / sum U_k).
 */
export function popMetrics(
  sums: PopSums,
  reference: { computeSeconds: number; workers: number; weak: boolean },
): Pop {
  const k = sums.workers;
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const loadBalance = ratio(sums.computeSeconds / k, sums.busiestSeconds);
  const communicationEfficiency = ratio(sums.busiestSeconds, sums.seconds);
  const transferEfficiency = ratio(sums.idealSeconds, sums.seconds);
  const serializationEfficiency = ratio(sums.busiestSeconds, sums.idealSeconds);
  const parallelEfficiency = ratio(sums.computeSeconds, k * sums.seconds);
  const scale = reference.weak ? k / reference.workers : 1;
  const computationScalability = scale * ratio(reference.computeSeconds, sums.computeSeconds);
  return {
    loadBalance,
    communicationEfficiency,
    serializationEfficiency,
    transferEfficiency,
    parallelEfficiency,
    computationScalability,
    globalEfficiency: parallelEfficiency * computationScalability,
    cpuUsefulRatio: sums.cpuSeconds === null ? null : ratio(sums.cpuSeconds, sums.computeSeconds),
    passSeconds: sums.seconds,
    idealSeconds: sums.idealSeconds,
  };
}
