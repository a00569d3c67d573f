// Whether the answer a profile exists for ("how many workers, and how much faster") is settled, and which
// configuration's uncertainty most delays it (docs/method.md, "Stopping and estimators"). Pure and fast: it
// runs between rounds on the intervals measured so far.
import { recommendWorkers, type SpeedupPoint } from './recommend';

/** The recommendation rule's tolerance: a count within 10% of the best ties it. */
const TIE = 0.9;
const MIN_EFFICIENCY = 0.5;

export interface RunDecision {
  /** The recommended worker count under the rule, or null when nothing qualifies (also a decision). */
  workers: number | null;
  /** (a): at 95%, the recommended count beats or ties every other and every smaller one clearly does not. */
  settled: boolean;
  /** (b): the recommended count's speedup interval is within the asked precision (half-width / estimate). */
  precise: boolean;
  /** Worker counts whose intervals still overlap a comparison the decision rests on. */
  blocking: number[];
  /** The relative half-width of the recommended count's speedup. */
  relativeHalfWidth: number | null;
}

/** The decision for one run (one backend's worker counts); `precision` is a fraction, e.g. 0.05. */
export function decide(points: readonly SpeedupPoint[], precision: number): RunDecision {
  const measured = points.filter((p) => Number.isFinite(p.ci95[0]) && Number.isFinite(p.ci95[1]));
  if (measured.length < points.length || measured.length === 0) {
    return {
      workers: null,
      settled: false,
      precise: false,
      blocking: points.map((p) => p.workers),
      relativeHalfWidth: null,
    };
  }
  const advice = recommendWorkers(measured);
  const best = measured.reduce((b, p) => (p.speedup > b.speedup ? p : b));
  if (!advice.ok) {
    // Nothing qualifies: settled once no count could still reach efficiency 0.5 or come within 10% of the best.
    const blocking = measured
      .filter((p) => p.ci95[1] / p.workers >= MIN_EFFICIENCY && p.ci95[1] >= TIE * best.ci95[0])
      .map((p) => p.workers);
    return {
      workers: null,
      settled: blocking.length === 0,
      precise: true,
      blocking,
      relativeHalfWidth: null,
    };
  }
  const chosen = measured.find((p) => p.workers === advice.workers)!;
  const blocking = new Set<number>();
  for (const p of measured) {
    if (p === chosen) continue;
    // A smaller count must be clearly out: below 90% of the best's lower end, or clearly inefficient.
    if (
      p.workers < chosen.workers &&
      p.ci95[1] >= TIE * best.ci95[0] &&
      p.ci95[1] / p.workers >= MIN_EFFICIENCY
    ) {
      blocking.add(p.workers);
      blocking.add(chosen.workers);
    }
    // The chosen count must clearly beat or tie every other: no other can be more than 1/0.9 times faster.
    if (chosen.ci95[0] < TIE * p.ci95[1]) {
      blocking.add(p.workers);
      blocking.add(chosen.workers);
    }
  }
  if (chosen.ci95[0] / chosen.workers < MIN_EFFICIENCY) blocking.add(chosen.workers);
  const relativeHalfWidth = (chosen.ci95[1] - chosen.ci95[0]) / 2 / chosen.speedup;
  // One worker beating every larger count answers "do not parallelise this way": no speedup to pin down.
  const noGain = chosen.workers === 1 && measured.length > 1;
  return {
    workers: chosen.workers,
    settled: blocking.size === 0,
    precise: noGain || relativeHalfWidth <= precision,
    blocking: [...blocking].sort((x, y) => x - y),
    relativeHalfWidth,
  };
}

/** One configuration's standing for allocation: its run's decision and its own interval. */
export interface Candidate<T> {
  item: T;
  decision: RunDecision;
  point: SpeedupPoint;
}

/**
 * The configuration whose uncertainty most delays the decision: among those blocking an unsettled decision,
 * the one with the widest relative interval; else the recommended count of a run that is not yet precise
 * enough, the widest first; null when every decision is settled and precise.
 */
export function mostDelaying<T>(candidates: readonly Candidate<T>[]): T | null {
  const width = (c: Candidate<T>): number => (c.point.ci95[1] - c.point.ci95[0]) / c.point.speedup;
  const widest = (list: Candidate<T>[]): T | null =>
    list.length === 0 ? null : list.reduce((w, c) => (width(c) > width(w) ? c : w)).item;
  const blocking = candidates.filter(
    (c) => !c.decision.settled && c.decision.blocking.includes(c.point.workers),
  );
  if (blocking.length > 0) return widest(blocking);
  const imprecise = candidates.filter(
    (c) => c.decision.settled && !c.decision.precise && c.decision.workers === c.point.workers,
  );
  return widest(imprecise);
}
