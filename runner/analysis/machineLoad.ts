// How busy the machine was with other programs while a configuration's counted passes ran (docs/method.md, "A
// busy machine"): the OS's busy CPU time minus the harness's own (threads, pool workers), as a share of the
// usable cores' time, and the cores the profile itself kept busy.
import type { PassMessage } from '../../protocol/harness';
import type { Message } from '../../protocol/report';

/** At this share of the usable cores' time taken by other programs, a point is measured on a busy machine. */
export const BUSY_SHARE = 0.1;

export interface PointLoad {
  /** 0..1: other programs' CPU time / (cores x wall time); null where the OS gives no per-CPU times. */
  otherCpuShare: number | null;
  /** The profile's own CPU seconds (harness, its threads and pool workers) per wall second. */
  busyCores: number | null;
}

/**
 * Sums the readings of every counted pass. Other programs' time is spread over all logical CPUs by the
 * scheduler, so their share of one core is their CPU time / (logical cores x wall): on a machine where the
 * profile may use every core that is the share of the usable cores' time, and where affinity or a quota limits
 * it to fewer, it is the share each usable core can expect to lose.
 */
export function pointLoad(passes: readonly PassMessage[], logicalCores: number): PointLoad {
  let seconds = 0;
  let own = 0;
  let system = 0;
  let complete = passes.length > 0;
  for (const pass of passes) {
    const load = pass.load;
    if (!load || load.ownCpuSeconds === null) return { otherCpuShare: null, busyCores: null };
    seconds += load.seconds;
    own += load.ownCpuSeconds;
    if (load.systemCpuSeconds === null) complete = false;
    else system += load.systemCpuSeconds;
  }
  if (!(seconds > 0)) return { otherCpuShare: null, busyCores: null };
  const busyCores = own / seconds;
  if (!complete) return { otherCpuShare: null, busyCores };
  const share = Math.max(0, system - own) / (Math.max(1, logicalCores) * seconds);
  return { otherCpuShare: Math.min(1, share), busyCores };
}

export interface BusyPoint {
  workers: number;
  otherCpuShare: number | null;
}

/**
 * The busy-machine warning for one run: which points were measured while other programs took 10% or more of
 * the cores, how much, and which way it bends the speedups (a busy serial baseline overstates them all).
 */
export function busyMachineWarning(
  scope: string,
  serialShare: number | null,
  points: readonly BusyPoint[],
  excludedFromFit: readonly number[],
): Message | null {
  const busy = points.filter((p) => p.otherCpuShare !== null && p.otherCpuShare >= BUSY_SHARE);
  const serialBusy = serialShare !== null && serialShare >= BUSY_SHARE;
  if (busy.length === 0 && !serialBusy) return null;
  const percent = (share: number): string => `${Math.round(share * 100)}%`;
  const parts: string[] = [];
  if (busy.length > 0) {
    const list = busy.map(
      (p) => `${percent(p.otherCpuShare!)} at ${p.workers} worker${p.workers === 1 ? '' : 's'}`,
    );
    parts.push(
      `other programs took ${list.join(', ')} of the usable cores' time while the pool ran, so the speedups there are understated`,
    );
  }
  if (serialBusy) {
    parts.push(
      `they took ${percent(serialShare)} during the serial baseline, which makes every speedup look larger than it is`,
    );
  }
  const fit =
    excludedFromFit.length > 0
      ? ` The scaling fit leaves out ${excludedFromFit.join(', ')} worker(s); the recommendation marks them.`
      : busy.length > 0
        ? ' Too few quiet points remain for the scaling fit to leave them out; it and the recommendation include them, marked.'
        : '';
  return {
    code: 'busy-machine',
    message: `${scope}: the machine was busy: ${parts.join('; ')}.${fit}`,
    scope,
    suggestion: 'Profile again with the other programs stopped (another profile counts too).',
  };
}
