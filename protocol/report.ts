// The report schema (schemaVersion 2): the one definition that the runner writes and every reader validates;
// reports of schemaVersion 1 are read through the migration in reportMigration.ts.
import { z } from 'zod';
import { BackendName } from './backends';
import { MessageCode, StopReason } from './codes';
import { Language } from './languages';
import { Pop } from './pop';
import { migrateReport, READABLE_VERSIONS } from './reportMigration';
import { TaskTable } from './taskTable';

export const SCHEMA_VERSION = 2;

const num = z.number();
const int = z.number().int();

export { BackendName } from './backends';
export { Language } from './languages';
export { Pop } from './pop';
export { TaskTable, type TaskRecord } from './taskTable';

export const Target = z.object({
  file: z.string(),
  function: z.string(),
  language: Language,
  /** Python: the dotted module name the file was imported under ("__amdahl_target__" for a loose script). */
  module: z.string().optional(),
  /** Python: the sys.path entries Amdahl added for the import (package root, .env, pyproject, settings). */
  pathEntries: z.array(z.string()).optional(),
  /** A notebook's target: the index of the function's cell in the notebook's "cells" array (0-based, markdown counted). */
  cell: int.optional(),
  /** A notebook's IPython-only lines (%magics, %%cell magics, !shell) left out of the module it was profiled as. */
  droppedLines: z.array(z.object({ cell: int, line: int, text: z.string() })).optional(),
});
export type Target = z.infer<typeof Target>;

export const Message = z.object({
  code: MessageCode,
  message: z.string(),
  /** Which run the message concerns, as "file:function" plus backend details, where it concerns one. */
  scope: z.string().optional(),
  /** Extra text: a traceback, a stack, captured stderr. */
  detail: z.string().optional(),
  /** The input index that raised, could not be pickled, or was running when a worker died. */
  input: int.optional(),
  /** A concrete fix, e.g. the chunksize to pass. */
  suggestion: z.string().optional(),
  /** Where in a notebook the failure is: the cell's index (as target.cell) and the 1-based line in that cell. */
  cell: z.object({ index: int, line: int }).optional(),
});
export type Message = z.infer<typeof Message>;

export const OverheadSeconds = z.object({
  computeInflation: num,
  dispatch: num,
  serialization: num,
  imbalance: num,
  startup: num,
  teardown: num,
});
export type OverheadSeconds = z.infer<typeof OverheadSeconds>;

export const WorkerInfo = z.object({
  worker: z.string(),
  pid: int.optional(),
  /** Seconds from pool construction start (P0) to the worker's initializer entry (W0) and end (W1). */
  spawnSeconds: num.optional(),
  readySeconds: num.optional(),
  peakRssBytes: int.optional(),
  /** Linux: the worker's peak unique memory, peak RSS less the pages it shares (copy-on-write after fork). */
  uniqueBytes: int.optional(),
  /** Estimated offset of the worker's clock from the parent's, in seconds (remote workers only). */
  clockOffsetSeconds: num.optional(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

const MaxMean = z.object({ max: num, mean: num });

/**
 * Memory at one point (docs/method.md, "Memory"). "per-worker": each worker is a process of its own, and the
 * figures are over the workers. "process-growth": the workers are threads of one process (threads, piscina, the
 * serial loop), whose growth over its idle resident memory when the pool opened stands for all of them.
 */
export const PointMemory = z.object({
  basis: z.enum(['per-worker', 'process-growth']),
  /** Per worker: max and mean of the workers' peak RSS. Process growth: the growth (max and mean equal). */
  peakRssBytes: MaxMean,
  /** Per worker, Linux: max and mean of the workers' peak unique memory; null where the platform cannot tell. */
  uniqueBytes: MaxMean.nullable(),
  /** The peak RSS of the parent (the harness process) while the pool was open; null where unknown. */
  parentPeakRssBytes: int.nullable(),
});
export type PointMemory = z.infer<typeof PointMemory>;

/** Per-task figures of one pass, kept for every pass whose tasks were timed, in full or summarised. */
export const PassSummary = z.object({
  tasks: int,
  /** Summed task time (W4 - W3) over the pass, and the busiest worker's. */
  busySeconds: num,
  busiestSeconds: num,
  /** Summed task CPU time; null where the runtime did not report it. */
  cpuSeconds: num.nullable(),
  medianTaskSeconds: num.nullable(),
  /** How many workers ran at least one task. */
  workers: int,
});
export type PassSummary = z.infer<typeof PassSummary>;

/**
 * Why a pass's tasks are kept in full: "median", the pass the point's `tasks` hold (not repeated here);
 * "warning", a noise rule names it (`note` says which); "all", the report is small enough to keep every pass.
 */
export const PassKept = z.enum(['median', 'warning', 'all']);
export type PassKept = z.infer<typeof PassKept>;

export const PassRecord = z.object({
  sample: int,
  wallSeconds: num,
  /** null where the pass timed the whole map only (or a migrated report kept no tasks of it). */
  summary: PassSummary.nullable(),
  /** Absent: the pass is summarised. */
  kept: PassKept.optional(),
  /** Why a warning points at this pass, e.g. "the slowest sample". */
  note: z.string().optional(),
  /** The pass's tasks in full, where kept is "warning" or "all". */
  tasks: TaskTable.optional(),
});
export type PassRecord = z.infer<typeof PassRecord>;

/** What the report kept of the per-task timings, and what it summarised. */
export const TaskRetention = z.object({
  /** Passes whose tasks are in the report, and their tasks. */
  fullPasses: int,
  fullTasks: int,
  /** Per-task timed passes reduced to their summary, and the tasks they had. */
  summarizedPasses: int,
  summarizedTasks: int,
  /** One sentence for people. */
  note: z.string(),
});
export type TaskRetention = z.infer<typeof TaskRetention>;

/**
 * How a speedup's estimate and interval were made (docs/method.md, "Stopping and estimators"): the ratio of
 * means of independent samples, the geometric mean of paired ratios (serial and pool passes of one round), or
 * their median-based versions with rank-based intervals, picked when rare outliers dominate.
 */
export const SpeedupEstimator = z.enum(['mean-ratio', 'paired-ratio', 'paired-median', 'median-ratio']);
export type SpeedupEstimator = z.infer<typeof SpeedupEstimator>;

/** Which passes fed which numbers, when per-task timing would have distorted the counted passes. */
export const Instrumentation = z.object({
  /** "per-task": every counted pass timed each task; "whole-map": counted passes timed the whole map only. */
  countedPasses: z.enum(['per-task', 'whole-map']),
  /** What timing one task costs in this runtime, and the median task it is compared with (1% rule). */
  taskTimingSeconds: num.nullable(),
  medianTaskSeconds: num.nullable(),
  /** Where the timeline, the overhead split and the task figures come from. */
  timelinePasses: z.enum(['counted', 'separate']),
  /** One sentence for people: which passes fed which number. */
  note: z.string(),
});
export type Instrumentation = z.infer<typeof Instrumentation>;

export const Point = z.object({
  workers: int,
  wallSeconds: z.object({
    mean: num,
    median: num,
    min: num,
    max: num,
    stdev: num,
    ci95: z.tuple([num, num]),
    samples: z.array(num),
  }),
  /** `mean` is the chosen estimator's estimate (the ratio of means under "mean-ratio"). */
  speedup: z.object({ mean: num, ci95: z.tuple([num, num]), estimator: SpeedupEstimator.optional() }),
  efficiency: num,
  /** Karp-Flatt experimentally determined serial fraction; null at k = 1. */
  karpFlatt: num.nullable().optional(),
  overheadSeconds: OverheadSeconds,
  /** Mean summed task time C(k) of a pass, and the serial compute C(1)/k it is compared with. */
  computeSeconds: num.optional(),
  idealComputeSeconds: num.optional(),
  utilization: num.optional(),
  imbalanceRatio: num.optional(),
  cpuSeconds: num.optional(),
  /** The task-count ceiling n / ceil(n / k). */
  taskCeiling: num.optional(),
  chunksize: int.optional(),
  beyondUsableCores: z.boolean().optional(),
  beyondPhysicalCores: z.boolean().optional(),
  workerInfo: z.array(WorkerInfo).optional(),
  /** The tasks of the median pass of the timeline passes (counted, or separate where those timed the whole map). */
  tasks: TaskTable,
  /** Every counted pass: its wall time, its per-task summary, and its tasks where they are kept in full. */
  passes: z.array(PassRecord),
  noise: z.array(z.string()).optional(),
  /** 0..1: the share of the usable cores' time other programs took during the counted passes; null: unknown. */
  otherCpuShare: num.nullable().optional(),
  /** The profile's own CPU seconds (harness, threads, pool workers) per wall second of the counted passes. */
  busyCores: num.nullable().optional(),
  /** Mean process-wide CPU seconds of a counted pass: the harness and its pool workers, every thread of them. */
  processCpuSeconds: num.optional(),
  /** Mean CPU seconds of each local pool worker process in a counted pass, every thread of it, by worker name. */
  workerCpuSeconds: z.record(z.string(), num).optional(),
  /** The per-task passes the timeline and overhead split come from, when they are not the counted ones. */
  timelinePasses: z.array(PassRecord).optional(),
  /** The POP efficiency metrics (docs/method.md section 8), from the same passes as the overhead split. */
  pop: Pop.optional(),
  /** Memory of the workers and the parent; absent where the platform said nothing. */
  memory: PointMemory.optional(),
});
export type Point = z.infer<typeof Point>;

export const Fit = z.object({
  serialFraction: num.nullable(),
  usl: z
    .object({
      sigma: num,
      kappa: num,
      peakWorkers: num.nullable(),
      /** Time-domain coefficients of T(k) = a + b/k + c(k-1), in seconds. */
      a: num.optional(),
      b: num.optional(),
      c: num.optional(),
      fittedWorkers: z.array(int).optional(),
    })
    .nullable(),
  /** Worker counts left out of the fit because other programs took 10% or more of the cores (busy-machine). */
  excludedWorkers: z.array(int).optional(),
});
export type Fit = z.infer<typeof Fit>;

export const CapturedOutput = z.object({
  stdout: z.string(),
  stderr: z.string(),
  stdoutBytes: int,
  stderrBytes: int,
});
export type CapturedOutput = z.infer<typeof CapturedOutput>;

export const Calibration = z.object({
  /** Mean seconds per item to serialize and deserialize an argument and a result, and their mean sizes. */
  argumentSerializeSeconds: num,
  argumentDeserializeSeconds: num,
  argumentBytes: num,
  resultSerializeSeconds: num,
  resultDeserializeSeconds: num,
  resultBytes: num,
  sampled: int,
});
export type Calibration = z.infer<typeof Calibration>;

/** Recorded inputs (`--inputs @recorded`): the recording, the calls used, those skipped, and whether it is stale. */
export const RecordedInputs = z.object({
  file: z.string(),
  calls: int,
  skipped: z.array(z.object({ call: int, site: z.string(), reason: z.string() })),
  /** The function's source changed since the recording. */
  stale: z.boolean(),
  recordedAt: z.string(),
});
export type RecordedInputs = z.infer<typeof RecordedInputs>;

const Band = z.object({ mean: num, ci95: z.tuple([num, num]) });

/**
 * A prediction from the measured split (docs/method.md section 9), never a measurement: S(k) and T(k) with
 * bootstrap bands, and the measurement beside it where a run measured the same scenario.
 */
export const WhatIf = z.object({
  scenario: z.enum(['free-dispatch', 'longest-first', 'extrapolated']),
  workers: int,
  speedup: Band,
  wallSeconds: Band,
  prediction: z.literal(true),
  /** The run that measured this scenario (the longest-first twin of --order), at the same k; null: none did. */
  measured: z.object({ speedup: Band, wallSeconds: Band, run: z.string() }).nullable(),
  /** How the prediction was made, in one phrase. */
  note: z.string(),
});
export type WhatIf = z.infer<typeof WhatIf>;

/**
 * The model T(k) = a + b/k + c(k - 1) (seconds) fitted to a run's points, with refits of bootstrap resamples
 * as [serial seconds, a, b, c], so a reader can predict S at any worker count with its band (the page's "on a
 * machine with N cores").
 */
export const ScalingModel = z.object({
  serialSeconds: num,
  a: num,
  b: num,
  c: num,
  resamples: z.array(z.tuple([num, num, num, num])),
});
export type ScalingModel = z.infer<typeof ScalingModel>;

export const Run = z.object({
  target: Target,
  backend: BackendName,
  /** The interpreter or runtime that ran it, e.g. "CPython 3.11.7". */
  runtime: z.string().optional(),
  startMethod: z.string().optional(),
  /** Threads each worker's BLAS/OpenMP libraries were limited to (the hidden-parallelism configuration). */
  libraryThreads: int.optional(),
  /** The chunksize every pass of this run used (--chunksize); absent: the backend's own chunking. */
  chunksize: int.optional(),
  /** "longest-first": every pass submitted the inputs longest first by the serial loop's task times (--order). */
  taskOrder: z.literal('longest-first').optional(),
  /** A short unique label for legends: function, backend, start method, runtime. */
  label: z.string().optional(),
  inputCount: int.optional(),
  /** The n of a --sizes run (bound to `n` in the inputs expression), else null. */
  inputSize: int.nullable().optional(),
  recording: RecordedInputs.optional(),
  points: z.array(Point),
  fit: Fit,
  recommendation: z
    .object({
      workers: int,
      reason: z.string(),
      /** The most workers whose memory fits in 80% of the memory available at the start; null: not known. */
      maxWorkersByMemory: int.nullable().optional(),
      /** The chunksize the recommended point used; null where the backend has none or did not say. */
      chunksize: int.nullable().optional(),
    })
    .nullable(),
  stopReason: StopReason.optional(),
  /** Predictions from the measured split, each with its band (WhatIf). */
  whatIf: z.array(WhatIf).optional(),
  scalingModel: ScalingModel.optional(),
  instrumentation: Instrumentation.optional(),
  /** The precision asked for (--precision), as a fraction: 0.05 for 5%. */
  precision: num.optional(),
  calibration: Calibration.optional(),
  resultHash: z.string().optional(),
  capturedOutput: CapturedOutput.optional(),
  /** Backend-specific figures, e.g. piscina's waitTime and runTime, joblib's batch size. */
  engineStats: z.record(z.string(), z.unknown()).optional(),
  partial: z.boolean().optional(),
});
export type Run = z.infer<typeof Run>;

/** The smallest input size at which E(k) >= 0.8, per worker count (docs/method.md section 10). */
export const Isoefficiency = z.object({
  workers: int,
  /** null when no measured size reaches 0.8. */
  inputSize: num.nullable(),
  /** true when interpolated in log-size between the two measured sizes around 0.8. */
  interpolated: z.boolean(),
  note: z.string(),
});
export type Isoefficiency = z.infer<typeof Isoefficiency>;

/** One weak-scaling point: k workers at n = k x n0 against one worker at n0. */
export const WeakPoint = z.object({
  workers: int,
  inputSize: int,
  /** k x T(1, n0) / T(k, k n0), T(1, n0) the serial loop's. */
  scaledSpeedup: num,
  /** Gustafson's line at this k with the fitted serial fraction: k - s (k - 1). */
  gustafson: num,
  /** (k / 1) x sum U(serial, n0) / sum U(k, k n0). */
  computationScalability: num.nullable(),
});
export type WeakPoint = z.infer<typeof WeakPoint>;

/** Which runs a sweep gathers: one target, backend, start method and runtime, and their label. */
const SweepRun = z.object({
  target: Target,
  backend: BackendName,
  startMethod: z.string().optional(),
  runtime: z.string().optional(),
  label: z.string(),
});

/** The runs of one target, backend, start method and runtime across the --sizes sweep. */
export const SizeSweep = SweepRun.extend({
  weak: z.boolean(),
  sizes: z.array(int),
  /** Strong scaling: E(k) at each measured size, per worker count. */
  efficiency: z.array(
    z.object({ workers: int, points: z.array(z.object({ inputSize: int, efficiency: num })) }),
  ),
  isoefficiency: z.array(Isoefficiency),
  /** Weak scaling (--weak) only. */
  weakPoints: z.array(WeakPoint).optional(),
  /** Gustafson's serial fraction s fitted to the scaled speedups by least squares; null with one point. */
  gustafsonSerialFraction: num.nullable().optional(),
});
export type SizeSweep = z.infer<typeof SizeSweep>;

/** One measured (workers, chunksize) cell of a chunksize sweep. */
export const ChunksizeCell = z.object({
  workers: int,
  chunksize: int,
  speedup: Band,
  wallSeconds: Band,
  /** true where this is the backend's own chunking at that worker count (no --chunksize given). */
  isDefault: z.boolean(),
});
export type ChunksizeCell = z.infer<typeof ChunksizeCell>;

/**
 * The runs of one target, backend, start method and runtime across the chunksizes measured (--chunksize): the
 * workers x chunksize grid of S, and the recommended pair, the smallest chunksize (at the fewest workers) whose
 * speedup is within the interval of the best one.
 */
export const ChunksizeSweep = SweepRun.extend({
  libraryThreads: int.optional(),
  cells: z.array(ChunksizeCell),
  best: ChunksizeCell,
  recommended: ChunksizeCell,
  /**
   * T(default chunking) / T(recommended) at the recommended worker count, with its bootstrap interval; null where
   * the default chunking was not measured at that count.
   */
  gainOverDefault: z
    .object({ mean: num, ci95: z.tuple([num, num]), defaultChunksize: int.nullable() })
    .nullable(),
  /** One sentence: the pair, its speedup and its gain over the default. */
  summary: z.string(),
});
export type ChunksizeSweep = z.infer<typeof ChunksizeSweep>;

/** One (target, backend, k) configuration among the targets that return the same results, ranked by wall time. */
export const RankingEntry = z.object({
  /** "function (file)". */
  target: z.string(),
  backend: BackendName,
  /** The run's label (its backend, start method, chunksize, order and runtime). */
  label: z.string(),
  workers: int,
  wallSeconds: Band,
  /** 1 for the fastest of its group. */
  rank: int,
  /** Runs whose results hash equally share a group; groups are numbered from 0. */
  group: int,
  /** The other targets in the group: the same results. */
  sameResultsAs: z.array(z.string()),
});
export type RankingEntry = z.infer<typeof RankingEntry>;

/** A group's headline: its fastest configuration against the best pool of each other target in the group. */
export const RankingHeadline = z.object({
  group: int,
  /** e.g. "complex_operation_numpy, serial: 15x faster than the best pool of complex_operation". */
  text: z.string(),
  /** T(the other target's best pool) / T(the fastest), with its bootstrap interval; null with one target. */
  ratio: Band.nullable(),
  /** Set where the report holds groups whose results differ: they compute different things. */
  note: z.string().optional(),
});
export type RankingHeadline = z.infer<typeof RankingHeadline>;

export const Environment = z.object({
  logicalCores: int,
  usableCores: int,
  physicalCores: int.nullable(),
  runtime: z.string(),
  platform: z.string(),
  cpuModel: z.string().optional(),
  hostname: z.string().optional(),
  runtimes: z
    .array(
      z.object({
        runtime: z.string(),
        executable: z.string().optional(),
        version: z.string().optional(),
        gil: z.boolean().nullable().optional(),
        threadpools: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    )
    .optional(),
  nodeVersion: z.string().optional(),
  /** Bytes of memory available when the profile started (MemAvailable, or less under a cgroup limit). */
  availableMemoryBytes: int.nullable().optional(),
});
export type Environment = z.infer<typeof Environment>;

/**
 * The outcome of one `--assert` on one run: it passes only when the conservative end of the 95% interval holds
 * (the lower bound for >= and >, the upper bound for <= and <). `value` and `ci95` are null when the run has no
 * such figure (no point at that k, no recommendation); `recommended` has no interval, so its ci95 is null.
 */
export const AssertionResult = z.object({
  expression: z.string(),
  passed: z.boolean(),
  value: num.nullable(),
  ci95: z.tuple([num, num]).nullable(),
  /** The run it was checked on (its label), when the expression's backend matched a run. */
  scope: z.string().optional(),
  /** Why it failed without a value: nothing measured at that k, no recommendation. */
  reason: z.string().optional(),
});
export type AssertionResult = z.infer<typeof AssertionResult>;

export const Report = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  createdAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }).optional(),
  command: z.array(z.string()).optional(),
  environment: Environment,
  runs: z.array(Run),
  warnings: z.array(Message),
  errors: z.array(Message),
  partial: z.boolean().optional(),
  /** One entry per --assert expression and matching run. */
  assertions: z.array(AssertionResult).optional(),
  /** --sizes: strong scaling across sizes and the isoefficiency points, or --weak's scaled speedups. */
  sizeSweeps: z.array(SizeSweep).optional(),
  /** Which passes' tasks the report keeps in full and which it summarises. */
  taskRetention: TaskRetention.optional(),
  /** --chunksize: the workers x chunksize grid of each backend measured at several chunksizes. */
  chunksizeSweeps: z.array(ChunksizeSweep).optional(),
  /** With several targets: every configuration ranked by wall time among the targets with equal results. */
  ranking: z.array(RankingEntry).optional(),
  rankingHeadlines: z.array(RankingHeadline).optional(),
});
export type Report = z.infer<typeof Report>;

export type ReportParse = { ok: true; value: Report } | { ok: false; error: string };

/** Validates anything claiming to be a report, reading older schema versions through their migration; the error
 * names the first offending fields. */
export function parseReport(data: unknown): ReportParse {
  const version =
    typeof data === 'object' && data !== null
      ? (data as { schemaVersion?: unknown }).schemaVersion
      : undefined;
  if (version !== undefined && !READABLE_VERSIONS.includes(version as number)) {
    return {
      ok: false,
      error: `a report of schemaVersion ${JSON.stringify(version)}; this version of Amdahl reads schemaVersion ${READABLE_VERSIONS.join(' and ')}`,
    };
  }
  const result = Report.safeParse(migrateReport(data));
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, error: `not a valid Amdahl report (schemaVersion ${SCHEMA_VERSION}): ${first}` };
}
