// Which passes the next round runs, and when to stop (docs/method.md, "Stopping and estimators"): two passes
// each of the serial baseline and the first run's largest count (a provisional answer), every configuration up to
// its minimum, then the serial baseline paired with the configuration whose uncertainty
// most delays the decision, in a shuffled order, until the recommended count is settled and its speedup known
// within the asked precision, or the budget is spent. Also whether counted passes may time each task.
import type { PassMessage, PassTiming } from '../../protocol/harness';
import type { StopReason } from '../../protocol/codes';
import { decide, mostDelaying, type Candidate, type RunDecision } from '../analysis/decision';
import { medianTaskSeconds, timeEachTask } from '../analysis/instrumentation';
import type { ConfigMeasurements } from '../analysis/measurements';
import { configSpeedup } from '../analysis/pairing';
import { runIdentity } from '../../protocol/runName';
import { minimumSamples } from './repetition';

/** The passes of the serial baseline and of the first run's largest count that the provisional answer needs. */
const PROVISIONAL_SAMPLES = 2;

export interface SamplingOptions {
  repeat: number | null;
  /** The asked precision, a fraction (0.05 for 5%). */
  precision: number;
}

export interface NextRound {
  /** The passes of the round, in the order to run them; empty when the run stops. */
  configs: ConfigMeasurements[];
  stop: StopReason | null;
}

export class SamplingPlan {
  private round = 0;
  /** "none" once the serial warm-up shows that timing each task would cost over 1% of it. */
  counted: PassTiming = 'tasks';

  constructor(private readonly options: SamplingOptions) {}

  /** Decides the counted passes' timing from the harness's timing cost and the serial warm-up's tasks. */
  chooseTiming(taskTimingSeconds: number | null | undefined, serial: ConfigMeasurements): void {
    this.counted = timeEachTask(taskTimingSeconds, medianTaskSeconds(serial)) ? 'tasks' : 'none';
  }

  /** The timing of c's next pass: a labelled per-task pass first where counted passes are uninstrumented. */
  timingFor(c: ConfigMeasurements): PassTiming {
    return this.counted === 'none' && (c.timelinePasses ?? []).length === 0 ? 'tasks' : this.counted;
  }

  /** Files a pass: a timeline pass aside, a counted one with the round it ran in. */
  record(c: ConfigMeasurements, pass: PassMessage, timing: PassTiming): void {
    if (timing !== this.counted) {
      (c.timelinePasses ??= []).push(pass);
      return;
    }
    c.passes.push(pass);
    (c.rounds ??= []).push(this.round);
  }

  next(live: ConfigMeasurements[], serial: ConfigMeasurements, budgetSpent: boolean): NextRound {
    this.round += 1;
    const others = live.filter((c) => c !== serial);
    if (this.options.repeat !== null) {
      const repeat = this.options.repeat;
      const configs = live.filter((c) => c.passes.length < repeat);
      return configs.length === 0 ? { configs, stop: 'repeat' } : { configs: shuffled(configs), stop: null };
    }
    // A provisional answer first: two passes each of the serial baseline and the first run's largest count
    // (the first backend asked for); the other runs' pools open after it, when their minimum comes.
    const early = headline(others)
      .slice(0, 1)
      .filter((c) => c.passes.length < PROVISIONAL_SAMPLES);
    if (early.length > 0 || serial.passes.length < PROVISIONAL_SAMPLES) {
      return { configs: shuffled([serial, ...early]), stop: null };
    }
    // A spent budget cuts the minimum short too: two passes each still give every point an interval.
    const least = (c: ConfigMeasurements): number => (budgetSpent ? PROVISIONAL_SAMPLES : minimumSamples(c));
    const below = others.filter((c) => c.passes.length < least(c));
    if (below.length > 0 || serial.passes.length < least(serial)) {
      return { configs: shuffled([serial, ...below]), stop: null };
    }
    if (budgetSpent) return { configs: [], stop: 'budget' };
    const { candidates, decisions } = this.standing(serial, others);
    if (decisions.every((d) => d.settled && d.precise)) {
      // With one worker count per run there was nothing to decide between: only its precision was asked.
      const single = decisions.length === candidates.length && decisions.every((d) => d.workers !== null);
      return { configs: [], stop: single ? 'precision' : 'decided' };
    }
    const pick = mostDelaying(candidates);
    return { configs: shuffled(pick ? [serial, pick] : [serial]), stop: null };
  }

  /** Every configuration's interval and its run's decision (a run: as runKey says). */
  standing(
    serial: ConfigMeasurements,
    others: ConfigMeasurements[],
  ): { candidates: Candidate<ConfigMeasurements>[]; decisions: RunDecision[] } {
    const groups = new Map<string, ConfigMeasurements[]>();
    for (const c of others) {
      const key = runKey(c);
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const candidates: Candidate<ConfigMeasurements>[] = [];
    const decisions: RunDecision[] = [];
    for (const group of groups.values()) {
      const points = group.map((c) => {
        const s = configSpeedup(serial, c);
        const k = c.config.workers;
        return { workers: k, speedup: s.speedup, ci95: s.ci95, efficiency: s.speedup / k };
      });
      const decision = decide(points, this.options.precision);
      decisions.push(decision);
      group.forEach((c, i) => candidates.push({ item: c, decision, point: points[i]! }));
    }
    return { candidates, decisions };
  }

  /** A short provisional answer for progress lines: the recommended count's S(k) and interval so far. */
  provisional(serial: ConfigMeasurements, live: ConfigMeasurements[]): string | null {
    const others = live.filter((c) => c !== serial && c.passes.length >= PROVISIONAL_SAMPLES);
    if (serial.passes.length < PROVISIONAL_SAMPLES || others.length === 0) return null;
    const { candidates, decisions } = this.standing(serial, others);
    const parts: string[] = [];
    for (const d of decisions) {
      const chosen = candidates.find((c) => c.decision === d && c.point.workers === d.workers);
      if (!chosen || !Number.isFinite(chosen.point.ci95[0])) continue;
      const p = chosen.point;
      parts.push(
        `${chosen.item.config.backend} S(${p.workers}) ≈ ${p.speedup.toFixed(2)} [${p.ci95[0].toFixed(2)}, ${p.ci95[1].toFixed(2)}]`,
      );
    }
    return parts.length > 0 ? parts.join(', ') : null;
  }
}

/** Each run's (backend and start method's) configuration with the most workers. */
function headline(others: ConfigMeasurements[]): ConfigMeasurements[] {
  const largest = new Map<string, ConfigMeasurements>();
  for (const c of others) {
    const key = runKey(c);
    const held = largest.get(key);
    if (!held || c.config.workers > held.config.workers) largest.set(key, c);
  }
  return [...largest.values()];
}

/** A run: one backend, start method and library thread limit (docs/method.md section 11). */
function runKey(c: ConfigMeasurements): string {
  return runIdentity(c.config);
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
