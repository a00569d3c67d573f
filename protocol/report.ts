// The report schema (schemaVersion 1): the one definition that the runner writes and every reader validates.
import { z } from 'zod';
import { BackendName } from './backends';
import { MessageCode, StopReason } from './codes';
import { Language } from './languages';

export const SCHEMA_VERSION = 1;

const num = z.number();
const int = z.number().int();

export { BackendName } from './backends';
export { Language } from './languages';

export const Target = z.object({
  file: z.string(),
  function: z.string(),
  language: Language,
  /** Python: the dotted module name the file was imported under ("__amdahl_target__" for a loose script). */
  module: z.string().optional(),
  /** Python: the sys.path entries Amdahl added for the import (package root, .env, pyproject, settings). */
  pathEntries: z.array(z.string()).optional(),
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
});
export type Message = z.infer<typeof Message>;

export const TaskRecord = z.object({
  worker: z.string(),
  input: int,
  /** Seconds from the start of the pass (P2). */
  start: num,
  end: num,
  /** CPU seconds the task used on its thread, where the runtime reports it. */
  cpu: num.optional(),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

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
  /** Estimated offset of the worker's clock from the parent's, in seconds (remote workers only). */
  clockOffsetSeconds: num.optional(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

export const PassDetail = z.object({
  sample: int,
  wallSeconds: num,
  tasks: z.array(TaskRecord),
});

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
  /** The tasks of the median sample. */
  tasks: z.array(TaskRecord),
  /** Every counted sample with its tasks, when the report is small enough to keep them. */
  passes: z.array(PassDetail).optional(),
  noise: z.array(z.string()).optional(),
  /** 0..1: the share of the usable cores' time other programs took during the counted passes; null: unknown. */
  otherCpuShare: num.nullable().optional(),
  /** The profile's own CPU seconds (harness, threads, pool workers) per wall second of the counted passes. */
  busyCores: num.nullable().optional(),
  /** The per-task passes the timeline and overhead split come from, when they are not the counted ones. */
  timelinePasses: z.array(PassDetail).optional(),
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

export const Run = z.object({
  target: Target,
  backend: BackendName,
  /** The interpreter or runtime that ran it, e.g. "CPython 3.11.7". */
  runtime: z.string().optional(),
  startMethod: z.string().optional(),
  /** A short unique label for legends: function, backend, start method, runtime. */
  label: z.string().optional(),
  inputCount: int.optional(),
  recording: RecordedInputs.optional(),
  points: z.array(Point),
  fit: Fit,
  recommendation: z.object({ workers: int, reason: z.string() }).nullable(),
  stopReason: StopReason.optional(),
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
});
export type Environment = z.infer<typeof Environment>;

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
});
export type Report = z.infer<typeof Report>;

export type ReportParse = { ok: true; value: Report } | { ok: false; error: string };

/** Validates anything claiming to be a report; the error names the first offending fields. */
export function parseReport(data: unknown): ReportParse {
  const result = Report.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, error: `not a valid Amdahl report (schemaVersion ${SCHEMA_VERSION}): ${first}` };
}
