// What-if predictions from the measured split (docs/method.md section 9), each a prediction with a bootstrap band:
// S(k) with dispatch and serialization free (the zero-cost replay), S(k) with the tail imbalance removed (the
// serial loop's task times scheduled longest first, LPT, plus the measured per-task costs), and S(k) past this
// machine's worker counts from the fitted model, whose band widens. Where a run measured the scenario (the
// longest-first twin of --order), its measurement stands beside the prediction. Pure.
import type { Message, Run, ScalingModel, WhatIf } from '../../protocol/report';
import { runIdentity } from '../../protocol/runName';
import { modelSeconds, modelSpeedup } from '../../protocol/scalingModel';
import { percentileInterval, type Interval } from './bootstrap';
import type { ConfigMeasurements } from './measurements';
import { timelineView } from './pairing';
import { seededRandom } from './prng';
import { mean, standardError } from './stats';
import { fitScaling, type UslCoefficients } from './usl';
import { durationsByInput, passTaskCount } from './passTasks';

/** Resamples of the predictions' bands (each is cheap: the LPT makespans are computed once per serial pass). */
const WHAT_IF_RESAMPLES = 2000;
/** Refits of the scaling model for the extrapolation's band. */
const MODEL_RESAMPLES = 200;
const SEED = 0x77686174;

export interface SerialTasks {
  /** The serial loop's counted pass times, and their resampled means (the speedups' numerator). */
  samples: readonly number[];
  means: Float64Array | null;
  /** Each per-task serial pass's task durations (at most MAX_SERIAL_PASSES of them). */
  durations: readonly ArrayLike<number>[];
}

/** The serial passes whose task times the LPT band draws from: enough for a band, few enough for 200,000 tasks. */
export const MAX_SERIAL_PASSES = 5;

/** The LPT makespans of each serial pass at k, per SerialTasks: every run of a target schedules the same tasks. */
const makespanCache = new WeakMap<SerialTasks, Map<number, number[]>>();

function lptMakespans(serial: SerialTasks, workers: number): number[] {
  let byWorkers = makespanCache.get(serial);
  if (!byWorkers) makespanCache.set(serial, (byWorkers = new Map<number, number[]>()));
  let makespans = byWorkers.get(workers);
  if (!makespans) byWorkers.set(workers, (makespans = serial.durations.map((d) => lptMakespan(d, workers))));
  return makespans;
}

/** The makespan of scheduling `durations` on k workers longest first, each to the worker free soonest (LPT). */
export function lptMakespan(durations: ArrayLike<number>, workers: number): number {
  const loads = new Float64Array(Math.max(1, workers));
  // A typed array sorts numerically, in place and without a comparator: ascending, so it is walked from the end.
  const sorted = Float64Array.from(durations).sort();
  for (let at = sorted.length - 1; at >= 0; at -= 1) {
    const d = sorted[at]!;
    let w = 0;
    for (let i = 1; i < loads.length; i++) if (loads[i]! < loads[w]!) w = i;
    loads[w] = loads[w]! + d;
  }
  return Math.max(...loads);
}

const interval = (values: Float64Array): Interval => percentileInterval(values);

/** S and T at `centre` seconds, with bands over resamples: the serial means over T drawn by `seconds`. */
function band(
  serial: SerialTasks,
  centre: number,
  seconds: (random: () => number) => number,
): Pick<WhatIf, 'speedup' | 'wallSeconds'> {
  const random = seededRandom(SEED);
  const means = serial.means;
  const s = new Float64Array(WHAT_IF_RESAMPLES);
  const t = new Float64Array(WHAT_IF_RESAMPLES);
  for (let r = 0; r < WHAT_IF_RESAMPLES; r++) {
    t[r] = seconds(random);
    const top = means && means.length > 0 ? means[r % means.length]! : mean(serial.samples);
    s[r] = top / t[r]!;
  }
  const serialMean = mean(serial.samples);
  return {
    speedup: { mean: serialMean / centre, ci95: interval(s) },
    wallSeconds: { mean: centre, ci95: interval(t) },
  };
}

/** The longest-first and free-dispatch predictions at each of the run's worker counts (k >= 2). */
export function pointPredictions(run: Run, serial: SerialTasks, twin: Run | null): WhatIf[] {
  if (serial.durations.length === 0 || !(mean(serial.samples) > 0)) return [];
  const out: WhatIf[] = [];
  for (const p of run.points) {
    if (p.workers < 2) continue;
    const o = p.overheadSeconds;
    // What stays when the order changes: the per-task costs and the slowdown of each task at k.
    const costs = o.computeInflation + o.dispatch + o.serialization;
    const makespans = lptMakespans(serial, p.workers).map((m) => m + costs);
    const lpt = band(
      serial,
      mean(makespans),
      (random) => makespans[Math.floor(random() * makespans.length)]!,
    );
    const measured = twin?.points.find((q) => q.workers === p.workers) ?? null;
    out.push({
      scenario: 'longest-first',
      workers: p.workers,
      ...lpt,
      prediction: true,
      measured: measured
        ? {
            speedup: { mean: measured.speedup.mean, ci95: measured.speedup.ci95 },
            wallSeconds: { mean: measured.wallSeconds.mean, ci95: measured.wallSeconds.ci95 },
            run: twin!.label ?? twin!.backend,
          }
        : null,
      note: 'the serial loop’s task times scheduled longest first on k workers (LPT), plus the measured per-task dispatch, serialization and compute inflation',
    });
    const ideal = p.pop?.idealSeconds;
    if (ideal !== undefined && ideal > 0) {
      out.push({
        scenario: 'free-dispatch',
        workers: p.workers,
        ...band(serial, ideal, () => ideal),
        prediction: true,
        measured: null,
        note: 'the measured tasks replayed on their workers in their order with zero dispatch and zero (de)serialization',
      });
    }
  }
  return out;
}

/** The model T(k) = a + b/k + c(k - 1) fitted to the run's points, and refits of resampled points for the band. */
export function scalingModel(run: Run, serial: SerialTasks, usableCores: number): ScalingModel | null {
  const fit = coefficients(
    run.points.map((p) => ({ workers: p.workers, samples: p.wallSeconds.samples })),
    usableCores,
  );
  if (!fit || !(mean(serial.samples) > 0)) return null;
  const random = seededRandom(SEED ^ 0x1234);
  const draw = (samples: readonly number[]): number[] =>
    samples.map(() => samples[Math.floor(random() * samples.length)]!);
  const resamples: [number, number, number, number][] = [];
  for (let r = 0; r < MODEL_RESAMPLES; r++) {
    const refit = coefficients(
      run.points.map((p) => ({ workers: p.workers, samples: draw(p.wallSeconds.samples) })),
      usableCores,
    );
    if (refit) resamples.push([mean(draw(serial.samples)), refit.a, refit.b, refit.c]);
  }
  return { serialSeconds: mean(serial.samples), a: fit.a, b: fit.b, c: fit.c, resamples };
}

function coefficients(
  points: { workers: number; samples: readonly number[] }[],
  usableCores: number,
): UslCoefficients | null {
  const fit = fitScaling(
    points.map((p) => ({
      workers: p.workers,
      seconds: mean(p.samples),
      standardError: standardError(p.samples),
    })),
    usableCores,
  );
  return fit.usl ?? fit.amdahl;
}

/** Extrapolations at 2x and 4x this machine's usable cores, past every measured count. */
export function extrapolations(run: Run, model: ScalingModel, usableCores: number): WhatIf[] {
  const largest = Math.max(...run.points.map((p) => p.workers));
  const counts = [2 * usableCores, 4 * usableCores].filter((k) => k > largest);
  return counts.map((k) => {
    const s = modelSpeedup(model, k);
    return {
      scenario: 'extrapolated' as const,
      workers: k,
      speedup: s,
      wallSeconds: {
        mean: modelSeconds(model, k),
        ci95: [model.serialSeconds / s.ci95[1], model.serialSeconds / s.ci95[0]] as Interval,
      },
      prediction: true as const,
      measured: null,
      note: `from the model fitted to the measured counts (up to ${largest}); this machine has ${usableCores} usable cores, so the band widens with k`,
    };
  });
}

/**
 * What the load-imbalance warning adds: the measured gain of longest first where its run measured it, else the
 * predicted one, at the largest worker count.
 */
export function longestFirstNote(run: Run, whatIf: readonly WhatIf[]): string | null {
  const lpt = whatIf.filter((w) => w.scenario === 'longest-first').sort((a, b) => b.workers - a.workers)[0];
  const now = lpt && run.points.find((p) => p.workers === lpt.workers);
  if (!lpt || !now) return null;
  const s = (v: number): string => `${v.toFixed(2)}x`;
  const range = ([low, high]: readonly [number, number]): string => `[${low.toFixed(2)}, ${high.toFixed(2)}]`;
  if (lpt.measured) {
    const gain = lpt.measured.speedup.mean / now.speedup.mean;
    return `Measured with the inputs longest first at ${lpt.workers} workers: S ${s(now.speedup.mean)} → ${s(lpt.measured.speedup.mean)} ${range(lpt.measured.speedup.ci95)}, ${s(gain)} as fast (predicted ${s(lpt.speedup.mean)}).`;
  }
  const gain = lpt.speedup.mean / now.speedup.mean;
  return `Predicted with the inputs longest first (--order longest-first) at ${lpt.workers} workers: S ${s(now.speedup.mean)} → ${s(lpt.speedup.mean)} ${range(lpt.speedup.ci95)}, ${s(gain)} as fast (a prediction; --order longest-first measures it).`;
}

/**
 * Each pool run's what-if predictions and scaling model; the load-imbalance warning gains the
 * longest-first gain, measured where the run's longest-first twin ran, else predicted.
 */
export function addPredictions(
  runs: Run[],
  base: { serial: ConfigMeasurements | null; samples: number[]; means: Float64Array | null },
  usableCores: number,
  warnings: Message[],
): void {
  const view = base.serial ? timelineView(base.serial) : null;
  const passes = (view?.passes ?? []).filter((p) => passTaskCount(p) > 0).slice(0, MAX_SERIAL_PASSES);
  const durations = (passes.length > 0 ? passes : base.serial?.opened ? [base.serial.opened.warmup] : []).map(
    durationsByInput,
  );
  const serial = { samples: base.samples, means: base.means, durations };
  for (const run of runs) {
    if (run.backend === 'serial') continue;
    const twin =
      run.taskOrder === undefined
        ? (runs.find(
            (r) =>
              r.taskOrder === 'longest-first' &&
              runIdentity(r) === runIdentity({ ...run, taskOrder: 'longest-first' }),
          ) ?? null)
        : null;
    const predicted = pointPredictions(run, serial, twin).filter(
      (w) => run.taskOrder === undefined || w.scenario !== 'longest-first',
    );
    const model = scalingModel(run, serial, usableCores);
    const whatIf = [...predicted, ...(model ? extrapolations(run, model, usableCores) : [])];
    if (whatIf.length > 0) run.whatIf = whatIf;
    if (model) run.scalingModel = model;
    const note = longestFirstNote(run, whatIf);
    const imbalance = warnings.find((w) => w.code === 'load-imbalance' && w.scope === run.label);
    if (note && imbalance) imbalance.suggestion = `${imbalance.suggestion ?? ''} ${note}`.trim();
  }
}
