// Turns what the runner measured into the report (protocol/report.ts, schemaVersion 2): one run per target,
// runtime, backend and start method, with statistics, speedups, the overhead split, fits, a recommendation
// and warnings. Pure: no I/O, the same measurements always give the same report.
import { StopReason } from '../../protocol/codes';
import type { PassMessage } from '../../protocol/harness';
import {
  SCHEMA_VERSION,
  type Environment,
  type Fit,
  type Message,
  type Point,
  type Report,
  type Run,
  type Target,
  type WorkerInfo,
} from '../../protocol/report';
import { BOOTSTRAP_RESAMPLES, meanInterval, resampledMeans, speedupInterval } from './bootstrap';
import { karpFlatt } from './karpFlatt';
import { runLabel } from './label';
import type { ConfigMeasurements, TargetMeasurements } from './measurements';
import { noiseReasons, notedSamples } from './noise';
import { overheadBreakdown, serialComputeSeconds } from './overhead';
import { popMetrics } from './pop';
import { sizeSweeps } from './sizes';
import { passSeconds, wallSamples } from './passTime';
import { BOOTSTRAP_SEED } from './prng';
import { recommendWorkers } from './recommend';
import { mean, standardError, summarize } from './stats';
import { taskCeiling } from './taskCeiling';
import { mostAtOnce } from './rayWarnings';
import { blasThreadsPerProcess } from './threadpools';
import { fitScaling } from './usl';
import { instrumentationOf } from './instrumentation';
import { BUSY_SHARE, busyMachineWarning, pointLoad, type PointLoad } from './machineLoad';
import { configSpeedup, timelineView } from './pairing';
import { cappedRecommendation, memoryBoundWarning, memoryModel, pointMemory } from './memory';
import {
  clampedChunksizesWarning,
  clampedWorkersWarning,
  clockReplacedWarning,
  recordingWarnings,
  runWarnings,
  type PointFacts,
} from './warnings';
import { hiddenParallelism, hiddenParallelismWarning, type HiddenParallelism } from './hiddenParallelism';
import { passTable, passTaskCount } from './passTasks';
import { MAX_TASKS_WITH_PASSES, medianTaskOf, passRecords, taskRetention } from './taskRetention';
import { backendDetail, limitedThreadsLabel, runIdentity } from '../../protocol/runName';
import { chunksizeSweeps } from './chunksizeTuning';
import { rankTargets } from './ranking';
import { addPredictions } from './whatIf';

export interface BuildOptions {
  /** Errors found outside the measurements (interpreters, targets that never loaded); configs' own are added. */
  errors: Message[];
  /** Warnings found outside the measurements (processes the target left behind); the analysis adds its own. */
  warnings?: Message[];
  /** The environment; null to take it from the first harness's hello. */
  environment: Environment | null;
  /** The report stamps no clock time of its own (it is pure); without this, the epoch. */
  createdAt?: string;
  tool?: { name: string; version: string };
  command?: string[];
  partial?: boolean;
  /** --weak: the sized runs are a weak-scaling series (k workers at n = k x n0). */
  weak?: boolean;
  /** Bytes of memory available when the profile started; null or absent where unknown. */
  availableMemoryBytes?: number | null;
}

export { MAX_TASKS_WITH_PASSES };

export function buildReport(measured: readonly TargetMeasurements[], options: BuildOptions): Report {
  const totalTasks = measured.reduce(
    (sum, m) => sum + m.configs.reduce((s, c) => s + c.passes.reduce((t, p) => t + passTaskCount(p), 0), 0),
    0,
  );
  const keepPasses = totalTasks <= MAX_TASKS_WITH_PASSES;
  const runs: Run[] = [];
  const warnings: Message[] = [...(options.warnings ?? [])];
  const errors: Message[] = [...options.errors];
  const files = new Map<string, Set<string>>();
  for (const m of measured)
    files.set(m.target.function, (files.get(m.target.function) ?? new Set()).add(m.target.file));
  for (const m of measured) {
    // Two targets with the same function name in different files keep apart by file in labels.
    const withFile = files.get(m.target.function)!.size > 1;
    const built = buildRuns(m, {
      keepPasses,
      withFile,
      availableMemoryBytes: options.availableMemoryBytes ?? null,
    });
    runs.push(...built.runs);
    warnings.push(...built.warnings);
    const clocks = clockReplacedWarning(m.target, m.loaded?.clocksReplaced ?? []);
    if (clocks) warnings.push(clocks);
    const clamped = clampedWorkersWarning(m.target, m.clampedWorkers ?? [], m.loaded?.inputCount ?? 0);
    if (clamped) warnings.push(clamped);
    const clampedChunks = clampedChunksizesWarning(
      m.target,
      m.clampedChunksizes ?? [],
      m.loaded?.inputCount ?? 0,
    );
    if (clampedChunks) warnings.push(clampedChunks);
    if (m.loaded?.recording) warnings.push(...recordingWarnings(m.target, m.loaded.recording));
    for (const c of m.configs) if (c.failed) errors.push(c.failed);
  }
  const partial = options.partial === true || measured.some((m) => m.partial);
  const sweeps = sizeSweeps(runs, options.weak === true);
  const chunked = chunksizeSweeps(runs);
  const ranked = rankTargets(runs);
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: options.createdAt ?? new Date(0).toISOString(),
    ...(options.tool ? { tool: options.tool } : {}),
    ...(options.command ? { command: options.command } : {}),
    environment: {
      ...environmentOf(measured, options.environment),
      ...(options.availableMemoryBytes != null ? { availableMemoryBytes: options.availableMemoryBytes } : {}),
    },
    runs,
    warnings: unique(warnings),
    errors: unique(errors),
    ...(partial ? { partial: true } : {}),
    ...(sweeps.length > 0 ? { sizeSweeps: sweeps } : {}),
    taskRetention: taskRetention(runs, keepPasses),
    ...(chunked.length > 0 ? { chunksizeSweeps: chunked } : {}),
    ...(ranked.ranking.length > 0 ? { ranking: ranked.ranking, rankingHeadlines: ranked.headlines } : {}),
  };
}

interface RunGroup {
  backend: ConfigMeasurements['config']['backend'];
  startMethod: string | undefined;
  /** Threads each worker's BLAS/OpenMP libraries were limited to; undefined as the user runs them. */
  libraryThreads: number | undefined;
  /** The chunksize every pass used (--chunksize); undefined for the backend's own chunking. */
  chunksize: number | undefined;
  /** "longest-first" where the inputs were submitted longest first (--order). */
  taskOrder: 'longest-first' | undefined;
  configs: ConfigMeasurements[];
}

/** What to do about a run without a serial baseline: the serial loop failed, or the profile was cancelled first. */
function noBaselineSuggestion(serial: ConfigMeasurements | null, m: TargetMeasurements): string {
  if (serial?.failed) return 'Fix the error the serial run reported, then profile again.';
  if (m.stopReason === 'cancelled') {
    return 'The profile was cancelled before the serial loop finished a counted pass: profile again and let it run longer.';
  }
  return 'Profile again: the serial loop is the baseline every speedup is divided by.';
}

/** What every run of a target divides by and compares with: the serial loop's passes, compute, results and load. */
interface SerialBaseline {
  serial: ConfigMeasurements | null;
  samples: number[];
  /** The serial resampled means, shared by every speedup interval of the target (each stays independent of
   * its own parallel resampling). */
  means: Float64Array | null;
  compute: number;
  hash: string | null;
  load: ReturnType<typeof pointLoad> | null;
  cpuShare: number | null;
  /** The library's or the task's own threads the serial loop runs; null where it runs one at a time. */
  hidden: HiddenParallelism | null;
}

function serialBaseline(m: TargetMeasurements): SerialBaseline {
  const serial = m.configs.find((c) => c.config.backend === 'serial') ?? null;
  const samples = serial ? wallSamples(serial.passes) : [];
  const means = samples.length > 0 ? resampledMeans(samples, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED) : null;
  const view = serial ? timelineView(serial) : null;
  const compute = view && view.passes.length > 0 ? serialComputeSeconds(view) : 0;
  const overhead = view && view.passes.length > 0 ? overheadBreakdown(view, compute, null) : null;
  const load = serial ? pointLoad(serial.passes, m.hello.logicalCores) : null;
  return {
    serial,
    samples,
    means,
    compute,
    hash: serial?.passes[0]?.resultHash ?? serial?.opened?.warmup.resultHash ?? null,
    load,
    hidden: hiddenParallelism({
      busyCores: load?.busyCores ?? null,
      otherCpuShare: load?.otherCpuShare ?? null,
      threads: serial?.opened?.warmup.threads ?? null,
      loaded: m.loaded,
    }),
    cpuShare:
      overhead && overhead.cpuSeconds !== null && overhead.seconds > 0
        ? overhead.cpuSeconds / overhead.seconds
        : null,
  };
}

function buildRuns(
  m: TargetMeasurements,
  {
    keepPasses,
    withFile,
    availableMemoryBytes,
  }: { keepPasses: boolean; withFile: boolean; availableMemoryBytes: number | null },
): { runs: Run[]; warnings: Message[] } {
  const runs: Run[] = [];
  const warnings: Message[] = [];
  const base = serialBaseline(m);
  for (const group of groupRuns(m.configs)) {
    const startMethod =
      group.startMethod ?? group.configs.find((c) => c.opened?.startMethod)?.opened?.startMethod;
    const detail = backendDetail(startMethod, group.libraryThreads, group.chunksize, group.taskOrder);
    const name = runLabel(m.target, group.backend, detail, m.hello.runtime);
    const sized = m.inputSize === null || m.inputSize === undefined ? '' : ` · n=${m.inputSize}`;
    const label = `${withFile ? `${name} · ${m.target.file}` : name}${sized}`;
    const measuredConfigs = configsWithTime(group, label, warnings);
    if (measuredConfigs.length === 0) continue;
    if (group.backend !== 'serial' && !(mean(base.samples) > 0)) {
      warnings.push({
        code: 'no-baseline',
        message: `${label}: the serial baseline has no counted pass, so no speedup can be computed for this run.`,
        scope: label,
        suggestion: noBaselineSuggestion(base.serial, m),
      });
      continue;
    }
    const context = { base, label, startMethod, keepPasses, availableMemoryBytes };
    const run = buildRun(m, group, measuredConfigs, context, warnings);
    runs.push(run);
    if (group.backend === 'serial' && base.hidden) {
      warnings.push(hiddenParallelismWarning(label, base.hidden, base.load?.otherCpuShare ?? null));
    }
  }
  addPredictions(runs, base, m.hello.usableCores, warnings);
  return { runs, warnings };
}

/** A group's configurations with counted passes that took measurable time, by worker count; the rest is warned. */
function configsWithTime(group: RunGroup, label: string, warnings: Message[]): ConfigMeasurements[] {
  const timed = group.configs.filter((c) => c.passes.length > 0);
  // A pass that took no measurable time (no inputs, or a clock too coarse) has no speedup to divide by.
  const measured = timed
    .filter((c) => mean(wallSamples(c.passes)) > 0)
    .sort((p, q) => p.config.workers - q.config.workers);
  const untimed = timed.filter((c) => !measured.includes(c));
  if (untimed.length > 0) {
    warnings.push({
      code: 'no-measurable-time',
      message: `${label}: the passes at ${untimed.map((c) => c.config.workers).join(', ')} worker(s) took no measurable time, so they are left out.`,
      scope: label,
      suggestion:
        'Give the function inputs (--inputs) and enough work per pass to take at least a millisecond.',
    });
  }
  return measured;
}

interface RunContext {
  base: SerialBaseline;
  label: string;
  startMethod: string | undefined;
  keepPasses: boolean;
  availableMemoryBytes: number | null;
}

/** One run: its points, the fit beside any contention, the recommendation and the run's warnings. */
function buildRun(
  m: TargetMeasurements,
  group: RunGroup,
  measuredConfigs: ConfigMeasurements[],
  { base, label, startMethod, keepPasses, availableMemoryBytes }: RunContext,
  warnings: Message[],
): Run {
  const isSerial = group.backend === 'serial';
  const hello = m.hello;
  const facts: PointFacts[] = [];
  const points: Point[] = measuredConfigs.map((c) => {
    const built = buildPoint(c, {
      isSerial,
      serial: base.serial,
      serialSamples: base.samples,
      serialMeans: base.means,
      serialCompute: base.compute,
      m,
      keepPasses,
    });
    facts.push(built.facts);
    return built.point;
  });
  const { fit, busy } = fitBesideContention(points, isSerial, hello.usableCores, label, base.load);
  // The serial baseline's share is told in every pool run's warning, where it bends the speedups.
  if (busy && !isSerial) warnings.push(busy);
  const memory = isSerial ? null : memoryModel(points, availableMemoryBytes);
  const bySpeed = isSerial ? null : recommendationFor(points, label, warnings, group.libraryThreads);
  const recommendation = cappedRecommendation(bySpeed, memory);
  const memoryBound = memoryBoundWarning(
    label,
    points,
    memory,
    bySpeed?.workers ?? null,
    fit.usl?.peakWorkers ?? null,
  );
  if (memoryBound) warnings.push(memoryBound);
  warnings.push(
    ...runWarnings({
      scope: label,
      backend: group.backend,
      gil: hello.gil,
      runtime: hello.runtime,
      implementation: hello.implementation,
      calibration: m.calibration ?? null,
      usableCores: hello.usableCores,
      logicalCores: hello.logicalCores,
      physicalCores: hello.physicalCores,
      blasThreads: group.libraryThreads ?? blasThreadsPerProcess(m.loaded),
      hidden: base.hidden,
      libraryThreads: group.libraryThreads ?? null,
      serialHash: base.hash,
      serialCompute: base.compute,
      serialCpuShare: base.cpuShare,
      points: facts,
    }),
  );
  return runRecord(m, group, measuredConfigs, { label, startMethod, points, fit, recommendation });
}

/** The report's record of a run, from what buildRun worked out. */
function runRecord(
  m: TargetMeasurements,
  group: RunGroup,
  measuredConfigs: ConfigMeasurements[],
  built: Pick<Run, 'label' | 'points' | 'fit' | 'recommendation'> & { startMethod: string | undefined },
): Run {
  const instrumentation = instrumentationOf(m);
  const anyFailed = group.configs.some((c) => c.failed);
  const first = measuredConfigs[0]!.passes[0]!;
  const engineStats = Object.fromEntries(
    measuredConfigs.flatMap((c) => {
      const stats = medianPass(c.passes).engineStats;
      return stats ? [[`workers=${c.config.workers}`, stats]] : [];
    }),
  );
  return {
    target: importedTarget(m),
    backend: group.backend,
    runtime: m.hello.runtime,
    ...(built.startMethod ? { startMethod: built.startMethod } : {}),
    ...(group.libraryThreads !== undefined ? { libraryThreads: group.libraryThreads } : {}),
    ...(group.chunksize !== undefined ? { chunksize: group.chunksize } : {}),
    ...(group.taskOrder !== undefined ? { taskOrder: group.taskOrder } : {}),
    label: built.label,
    ...(m.loaded ? { inputCount: m.loaded.inputCount } : {}),
    inputSize: m.inputSize ?? null,
    ...(m.loaded?.recording ? { recording: m.loaded.recording } : {}),
    points: built.points,
    fit: built.fit,
    recommendation: built.recommendation,
    stopReason: group.configs.every((c) => c.failed) ? 'failed' : StopReason.parse(m.stopReason),
    ...(m.precision !== undefined ? { precision: m.precision } : {}),
    ...(instrumentation ? { instrumentation } : {}),
    ...(m.calibration ? { calibration: m.calibration } : {}),
    resultHash: first.resultHash,
    capturedOutput: m.capturedOutput,
    ...(Object.keys(engineStats).length > 0 ? { engineStats } : {}),
    ...(m.partial || anyFailed ? { partial: true } : {}),
  };
}

interface PointContext {
  isSerial: boolean;
  serial: ConfigMeasurements | null;
  serialSamples: number[];
  serialMeans: Float64Array | null;
  serialCompute: number;
  m: TargetMeasurements;
  keepPasses: boolean;
}

function buildPoint(c: ConfigMeasurements, ctx: PointContext): { point: Point; facts: PointFacts } {
  const k = c.config.workers;
  const samples = wallSamples(c.passes);
  const stats = summarize(samples);
  const hello = ctx.m.hello;
  const speedup = pointSpeedup(c, samples, ctx);
  const view = timelineView(c);
  const separate = view !== c;
  const overhead = overheadBreakdown(view, ctx.serialCompute, ctx.m.calibration)!;
  const taskCount = ctx.m.loaded?.inputCount ?? passTaskCount(c.passes[0]!);
  const typical = medianPass(view.passes);
  const chunksize = [...c.passes].reverse().find((p) => p.chunksize !== undefined)?.chunksize;
  const noise = noiseReasons(samples);
  const efficiency = speedup.mean / k;
  const retention = { median: typical, keepAll: ctx.keepPasses };

  const point: Point = {
    workers: k,
    wallSeconds: { ...stats, ci95: meanInterval(samples), samples },
    speedup,
    efficiency,
    karpFlatt: karpFlatt(speedup.mean, k),
    overheadSeconds: {
      computeInflation: overhead.computeInflation,
      dispatch: overhead.dispatch,
      serialization: overhead.serialization,
      imbalance: overhead.imbalance,
      startup: overhead.startup,
      teardown: overhead.teardown,
    },
    computeSeconds: overhead.computeSeconds,
    idealComputeSeconds: overhead.idealComputeSeconds,
    utilization: overhead.utilization,
    ...(overhead.imbalanceRatio !== null ? { imbalanceRatio: overhead.imbalanceRatio } : {}),
    ...(overhead.cpuSeconds !== null ? { cpuSeconds: overhead.cpuSeconds } : {}),
    taskCeiling: taskCeiling(taskCount, k),
    ...(chunksize !== undefined ? { chunksize } : {}),
    beyondUsableCores: k > hello.usableCores,
    ...(hello.physicalCores !== null ? { beyondPhysicalCores: k > hello.physicalCores } : {}),
    ...(c.opened ? { workerInfo: workerInfo(c) } : {}),
    tasks: passTable(typical),
    passes: passRecords(c.passes, { ...retention, noted: notedSamples(samples) }),
    ...(noise.length > 0 ? { noise } : {}),
    ...pointLoad(c.passes, hello.logicalCores),
    ...processCpu(c.passes),
    ...(separate ? { timelinePasses: passRecords(view.passes, { ...retention, noted: new Map() }) } : {}),
    pop: popMetrics(
      { ...overhead, workers: k },
      { computeSeconds: ctx.serialCompute, workers: 1, weak: false },
    ),
    ...optional('memory', pointMemory(c)),
  };
  const facts: PointFacts = {
    workers: k,
    seconds: stats.mean,
    speedup: speedup.mean,
    medianTaskSeconds: medianTaskOf(view.passes),
    taskCount,
    chunksize: chunksize ?? null,
    overhead,
    resultHashes: c.passes.map((p) => p.resultHash),
    noise,
    busyCores: point.busyCores ?? null,
    engineStats: typical.engineStats ?? null,
    ...(typical.tasks.length > 0 ? { mostAtOnce: mostAtOnce(typical.tasks) } : {}),
  };
  return { point, facts };
}

/** S(k) by the estimator the rule picks; with fewer than two samples a side, the ratio of means alone. */
function pointSpeedup(c: ConfigMeasurements, samples: number[], ctx: PointContext): Point['speedup'] {
  if (ctx.isSerial || !ctx.serial) return { mean: 1, ci95: [1, 1] };
  const estimate = configSpeedup(ctx.serial, c);
  if (Number.isFinite(estimate.ci95[0]) && Number.isFinite(estimate.ci95[1])) {
    return { mean: estimate.speedup, ci95: estimate.ci95, estimator: estimate.estimator };
  }
  return {
    mean: mean(ctx.serialSamples) / mean(samples),
    ci95: speedupInterval(ctx.serialSamples, samples, BOOTSTRAP_RESAMPLES, ctx.serialMeans ?? undefined),
    estimator: 'mean-ratio',
  };
}

/**
 * The scaling fit and the busy-machine warning: contention is not a serial fraction, so points measured while
 * other programs took 10% or more of the cores stay out of the fit while two quiet ones remain.
 */
function fitBesideContention(
  points: Point[],
  isSerial: boolean,
  usableCores: number,
  label: string,
  serialLoad: PointLoad | null,
): { fit: Fit; busy: Message | null } {
  const quiet = points.filter((p) => !isBusy(p));
  const excluded = quiet.length >= 2 && quiet.length < points.length ? points.filter(isBusy) : [];
  const fit: Fit = isSerial
    ? { serialFraction: null, usl: null }
    : {
        ...scalingFit(excluded.length > 0 ? quiet : points, usableCores),
        ...(excluded.length > 0 ? { excludedWorkers: excluded.map((p) => p.workers) } : {}),
      };
  const busy = busyMachineWarning(
    label,
    isSerial ? null : (serialLoad?.otherCpuShare ?? null),
    points.map((p) => ({ workers: p.workers, otherCpuShare: p.otherCpuShare ?? null })),
    excluded.map((p) => p.workers),
  );
  return { fit, busy };
}

function isBusy(p: Point): boolean {
  return (p.otherCpuShare ?? 0) >= BUSY_SHARE;
}

/** The run's recommendation; when nothing qualifies, a no-recommendation warning says why. */
function recommendationFor(
  points: readonly Point[],
  label: string,
  warnings: Message[],
  libraryThreads: number | undefined,
): Run['recommendation'] {
  const advice = recommendWorkers(
    points.map((p) => ({
      workers: p.workers,
      speedup: p.speedup.mean,
      ci95: p.speedup.ci95,
      efficiency: p.efficiency,
    })),
  );
  if (advice.ok) {
    const each =
      libraryThreads !== undefined
        ? `${advice.workers} worker${advice.workers === 1 ? '' : 's'} with ${limitedThreadsLabel(libraryThreads)} each. `
        : '';
    const chunksize = points.find((p) => p.workers === advice.workers)?.chunksize;
    return {
      workers: advice.workers,
      reason: each + advice.reason + busyNote(points),
      ...(chunksize !== undefined ? { chunksize } : {}),
    };
  }
  warnings.push({
    code: 'no-recommendation',
    message: `${label}: no worker count is recommended: ${advice.why}.`,
    scope: label,
    suggestion: advice.suggestion,
  });
  return null;
}

/** The recommendation's mark on points measured on a busy machine. */
function busyNote(points: readonly Point[]): string {
  const busy = points.filter(isBusy);
  if (busy.length === 0) return '';
  const list = busy.map((p) => `${p.workers} (${Math.round(p.otherCpuShare! * 100)}%)`).join(', ');
  return ` Measured on a busy machine at ${list} worker(s): other programs took that share of the cores, so those speedups are understated.`;
}

function scalingFit(points: readonly Point[], usableCores: number): Fit {
  const fit = fitScaling(
    points.map((p) => ({
      workers: p.workers,
      seconds: p.wallSeconds.mean,
      standardError: standardError(p.wallSeconds.samples),
    })),
    usableCores,
  );
  return {
    serialFraction: fit.serialFraction,
    usl: fit.usl
      ? {
          sigma: fit.usl.sigma,
          kappa: fit.usl.kappa,
          peakWorkers: fit.usl.peakWorkers,
          a: fit.usl.a,
          b: fit.usl.b,
          c: fit.usl.c,
          fittedWorkers: fit.usl.fittedWorkers,
        }
      : null,
  };
}

/** Runs in the order their configurations were planned: serial first, then each backend and start method. */
/** The target as the harness imported it: a Python module's dotted name and the sys.path entries it added. */
function importedTarget(m: TargetMeasurements): Target {
  const loaded = m.loaded;
  if (loaded?.module === undefined) return m.target;
  return { ...m.target, module: loaded.module, pathEntries: loaded.pathEntries ?? [] };
}

function groupRuns(configs: readonly ConfigMeasurements[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const c of configs) {
    const key = runIdentity(c.config);
    let group = groups.get(key);
    if (!group) {
      group = {
        backend: c.config.backend,
        startMethod: c.config.startMethod,
        libraryThreads: c.config.libraryThreads,
        chunksize: c.config.chunksize,
        taskOrder: c.config.taskOrder,
        configs: [],
      };
      groups.set(key, group);
    }
    group.configs.push(c);
  }
  return [...groups.values()];
}

/**
 * Process-wide CPU per counted pass, beside the task threads' cpuSeconds: the harness and its workers together,
 * and each local worker process alone (every thread of it, a library's own pool included).
 */
function processCpu(passes: readonly PassMessage[]): Pick<Point, 'processCpuSeconds' | 'workerCpuSeconds'> {
  const own = passes.map((p) => p.load?.ownCpuSeconds).filter((v): v is number => typeof v === 'number');
  const perWorker = new Map<string, number[]>();
  for (const pass of passes) {
    for (const [worker, cpu] of Object.entries(pass.load?.workerCpuSeconds ?? {})) {
      perWorker.set(worker, [...(perWorker.get(worker) ?? []), cpu]);
    }
  }
  return {
    ...(own.length === passes.length && own.length > 0 ? { processCpuSeconds: mean(own) } : {}),
    ...(perWorker.size > 0
      ? { workerCpuSeconds: Object.fromEntries([...perWorker].map(([w, cpu]) => [w, mean(cpu)])) }
      : {}),
  };
}

/** The pass with the median wall time (the lower one of the middle two for an even count). */
export function medianPass(passes: readonly PassMessage[]): PassMessage {
  const sorted = [...passes].sort((p, q) => passSeconds(p) - passSeconds(q));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function workerInfo(c: ConfigMeasurements): WorkerInfo[] {
  const opened = c.opened!;
  return opened.workers.map((w) => {
    const rss = c.closed?.peakRssBytes?.[w.worker];
    const unique = c.closed?.uniqueBytes?.[w.worker];
    return {
      worker: w.worker,
      ...(w.pid !== undefined ? { pid: w.pid } : {}),
      ...(w.initStart !== undefined ? { spawnSeconds: w.initStart - opened.constructStart } : {}),
      ...(w.initEnd !== undefined ? { readySeconds: w.initEnd - opened.constructStart } : {}),
      ...(rss !== undefined ? { peakRssBytes: rss } : {}),
      ...(unique !== undefined ? { uniqueBytes: unique } : {}),
      ...(w.clockOffset !== undefined ? { clockOffsetSeconds: w.clockOffset } : {}),
    };
  });
}

function environmentOf(measured: readonly TargetMeasurements[], given: Environment | null): Environment {
  const runtimes = new Map<string, NonNullable<Environment['runtimes']>[number]>();
  for (const m of measured) {
    const key = `${m.hello.runtime}\u0000${m.hello.executable}`;
    if (runtimes.has(key)) continue;
    runtimes.set(key, {
      runtime: m.hello.runtime,
      executable: m.hello.executable,
      version: m.hello.version,
      gil: m.hello.gil,
      ...(m.loaded ? { threadpools: m.loaded.threadpools } : {}),
    });
  }
  const listed = runtimes.size > 0 ? { runtimes: [...runtimes.values()] } : {};
  if (given) return { ...listed, ...given };
  const hello = measured[0]?.hello;
  if (!hello) {
    return { logicalCores: 0, usableCores: 0, physicalCores: null, runtime: 'unknown', platform: 'unknown' };
  }
  return {
    logicalCores: hello.logicalCores,
    usableCores: hello.usableCores,
    physicalCores: hello.physicalCores,
    runtime: hello.runtime,
    platform: hello.platform,
    ...(hello.cpuModel !== null ? { cpuModel: hello.cpuModel } : {}),
    ...(hello.hostname !== undefined ? { hostname: hello.hostname } : {}),
    ...listed,
  };
}

/** The same message reported twice (a config's error also passed in by the caller) is kept once. */
function unique(messages: readonly Message[]): Message[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = JSON.stringify([m.code, m.message, m.scope ?? null, m.input ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** { [key]: value } where the value is defined, else nothing, for spreading into a record. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
