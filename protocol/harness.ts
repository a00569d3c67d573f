// The protocol between the runner and a backend harness process (the Python harness, the piscina harness).
//
// The runner starts one harness process per (target, runtime). Commands go to the harness's stdin as JSON
// lines; answers come back as JSON lines on file descriptor 3, a channel user code does not write to (its
// stdout and stderr are captured separately). Each command gets exactly one answer: its success message, or
// an `error` message carrying the command's `op`. Timestamps are seconds, as floats, on the harness's own
// monotonic clock (Python time.monotonic(); Node performance.timeOrigin + performance.now(), divided by 1000).
import { z } from 'zod';
import { HarnessErrorCode } from './codes';
import { BackendName, Calibration, RecordedInputs } from './report';
import type { TaskColumns } from './taskTable';

const num = z.number();
const int = z.number().int();

// ---------------------------------------------------------------- runner -> harness (stdin)

export const PoolConfig = z.object({
  /** The runner's name for this configuration, echoed in every answer about it. */
  id: z.string(),
  backend: BackendName,
  workers: int,
  startMethod: z.string().optional(),
  /** Engine options, e.g. { "daskScheduler": "tcp://127.0.0.1:8786" }. */
  options: z.record(z.string(), z.unknown()).optional(),
  /**
   * Threads each worker's BLAS/OpenMP libraries may run: the *_NUM_THREADS variables and each loaded library's
   * own setting (threadpoolctl where importable). Absent: as the user's environment has it.
   */
  libraryThreads: int.optional(),
  /**
   * Inputs sent to a worker at a time (Pool.map's and ProcessPoolExecutor.map's chunksize, joblib's batch_size).
   * Absent: the backend's own default. Only for the backends protocol/chunksize.ts lists.
   */
  chunksize: int.positive().optional(),
  /**
   * The input indices in the order the pool is given them (a permutation of 0..n-1, longest first by the serial
   * loop's task times: --order longest-first). Absent: as given. Results still hash in input order.
   */
  order: z.array(int).optional(),
  /** The name of `order`, for labels and the run's identity. */
  taskOrder: z.literal('longest-first').optional(),
});
export type PoolConfig = z.infer<typeof PoolConfig>;

/** "tasks": every task timed (W3, W4, CPU); "none": only the whole map (P2, P4). */
export const PassTiming = z.enum(['tasks', 'none']);
export type PassTiming = z.infer<typeof PassTiming>;

export const HarnessCommand = z.discriminatedUnion('op', [
  /** Load the target: import the file as a module (never as __main__), resolve the function, evaluate inputs. */
  z.object({
    op: z.literal('load'),
    file: z.string(),
    function: z.string(),
    /** An expression evaluated in the module's namespace; null means the language's default (range(10)). */
    inputs: z.string().nullable(),
    starmap: z.boolean(),
    /** Python: a recording (`amdahl record`) whose calls are the inputs, instead of `inputs`; the user named it. */
    recording: z.string().optional(),
  }),
  /** Serialize and deserialize a sample of the arguments and of the results kept from the serial warm-up. */
  z.object({ op: z.literal('calibrate') }),
  /** Create the pool (timed: P0, P1, W0, W1), run k warm-up tasks so every worker is up, then one warm-up pass. */
  z.object({ op: z.literal('open'), config: PoolConfig }),
  /**
   * One counted pass over every input on an open pool (serial: a plain loop). `timing: "none"` runs it
   * uninstrumented (the wall time of the whole map only), for tasks so short that timing each would distort it.
   */
  z.object({ op: z.literal('pass'), id: z.string(), sample: int, timing: PassTiming.optional() }),
  /** Close the pool (timed: P5, P6) and wait for its workers to exit. */
  z.object({ op: z.literal('close'), id: z.string() }),
  /** Close everything and exit 0. */
  z.object({ op: z.literal('exit') }),
]);
export type HarnessCommand = z.infer<typeof HarnessCommand>;

// ---------------------------------------------------------------- harness -> runner (fd 3)

export const ThreadpoolInfo = z.record(z.string(), z.unknown());

export const HelloMessage = z.object({
  type: z.literal('hello'),
  /** e.g. "CPython 3.11.7", "PyPy 7.3.11 (Python 3.9.16)", "Node.js 20.20.2". */
  runtime: z.string(),
  implementation: z.string(),
  version: z.string(),
  executable: z.string(),
  pid: int,
  logicalCores: int,
  usableCores: int,
  physicalCores: int.nullable(),
  cpuModel: z.string().nullable(),
  platform: z.string(),
  hostname: z.string().optional(),
  /** true/false from sys._is_gil_enabled() where it exists; true for CPython builds without it; null for Node. */
  gil: z.boolean().nullable(),
  /** Start methods this runtime supports, and its default. */
  startMethods: z.array(z.string()).optional(),
  defaultStartMethod: z.string().nullable().optional(),
  /** Backends this harness can run here (an engine whose package is missing is left out). */
  backends: z.array(z.string()),
  /** Why each missing backend is missing, e.g. { "dask": "No module named 'distributed'; install ..." }. */
  missingBackends: z.record(z.string(), z.string()).optional(),
});
export type HelloMessage = z.infer<typeof HelloMessage>;

export const LoadedMessage = z.object({
  type: z.literal('loaded'),
  inputCount: int,
  /** BLAS/OpenMP pools seen after importing the module (threadpoolctl's info, or env vars and numpy config). */
  threadpools: z.array(ThreadpoolInfo),
  /** Seconds the module import took in the harness. */
  importSeconds: num,
  /** Python: the dotted name the file was imported under ("__amdahl_target__" for a loose script). */
  module: z.string().optional(),
  /** Python: the sys.path entries the harness added, in sys.path order (the package root first). */
  pathEntries: z.array(z.string()).optional(),
  /** What timing one task costs in this runtime (clock reads and bookkeeping), measured on a no-op function. */
  taskTimingSeconds: num.optional(),
  /** Python: the time module's clocks the module replaced on import (the harness times with its own copies). */
  clocksReplaced: z.array(z.string()).optional(),
  /** Python, with recorded inputs: the calls used, those skipped and why, and whether the function changed since. */
  recording: RecordedInputs.optional(),
});
export type LoadedMessage = z.infer<typeof LoadedMessage>;

export const CalibratedMessage = z.object({ type: z.literal('calibrated'), calibration: Calibration });

export const WorkerStart = z.object({
  /** A stable name for the worker within the pool: "pid 1234", "thread 2", "worker 3". */
  worker: z.string(),
  pid: int.optional(),
  /** W0: initializer entry; W1: initializer end (module imported). */
  initStart: num.optional(),
  initEnd: num.optional(),
  /** Clock offset of the worker from the harness (remote engines), seconds to add to worker times. */
  clockOffset: num.optional(),
});
export type WorkerStart = z.infer<typeof WorkerStart>;

export const TaskTiming = z.object({
  worker: z.string(),
  input: int,
  /** W3, W4 on the harness's clock (offset already applied for remote workers). */
  start: num,
  end: num,
  cpu: num.optional(),
});
export type TaskTiming = z.infer<typeof TaskTiming>;

/**
 * CPU accounting between two readings just outside the pass: the machine's busy CPU seconds over every CPU (null
 * where the OS does not say) and the harness's own, process-wide (threads, pool workers and other descendants).
 */
export const PassLoad = z.object({
  seconds: num,
  systemCpuSeconds: num.nullable(),
  ownCpuSeconds: num.nullable(),
  /** The harness process alone, every thread of it (a library's own pool included). */
  harnessCpuSeconds: num.optional(),
  /** Each local pool worker process, every thread of it, by worker name (the OS's per-process accounting). */
  workerCpuSeconds: z.record(z.string(), num).optional(),
});
export type PassLoad = z.infer<typeof PassLoad>;

/** The serial warm-up's census of the harness's threads (Linux): which ones worked while the tasks ran. */
export const ThreadCensus = z.object({
  /** Threads that ran for 5% of the pass or more, the task's own thread included. */
  working: int,
  /** Threads that appeared during the pass (a task starting its own pool). */
  started: int,
  /** Thread pool libraries the process has loaded, e.g. "OpenBLAS", "OpenMP (GNU)". */
  libraries: z.array(z.string()),
});
export type ThreadCensus = z.infer<typeof ThreadCensus>;

/**
 * Part of a pass's task timings, sent before the pass's answer (a counted pass's `pass` message, or the `opened`
 * message of its warm-up pass) so that neither side holds a pass as one line: a column per field, times as whole
 * nanoseconds from `origin` (seconds on the harness's clock). The runner joins the batches of (id, sample) in order.
 */
export const TaskBatchMessage = z.object({
  type: z.literal('tasks'),
  id: z.string(),
  sample: int,
  origin: num,
  /** Worker names; `worker` holds indexes into this list. */
  workers: z.array(z.string()),
  worker: z.array(int),
  input: z.array(int),
  /** W3 - origin and W4 - W3, in nanoseconds. */
  start: z.array(int),
  duration: z.array(int),
  /** CPU nanoseconds of each task; null where the runtime does not report it. */
  cpu: z.array(int).nullable(),
  /** P3 of each task's input (its result received) - origin, in nanoseconds, where the pass has resultTimes. */
  result: z.array(int).optional(),
  /** The pass's task count over all its batches: the runner sizes its columns once instead of growing them. */
  total: int.optional(),
});
export type TaskBatchMessage = z.infer<typeof TaskBatchMessage>;

/** Tasks per batch: a batch line stays well under a megabyte. */
export const TASK_BATCH_SIZE = 16_384;

export const PassMessage = z.object({
  type: z.literal('pass'),
  id: z.string(),
  /** -1 for the warm-up pass. */
  sample: int,
  /** P2 and P4. */
  mapStart: num,
  resultsIn: num,
  /** P3_i where the backend delivers results one by one: [input, time]. In batches: their `result` column. */
  resultTimes: z.array(z.tuple([int, num])).optional(),
  /** The tasks, where they are not sent in batches (then empty). */
  tasks: z.array(TaskTiming),
  /** How many `tasks` batch messages carried this pass's tasks, and how many tasks they held in all. */
  taskBatches: int.optional(),
  taskCount: int.optional(),
  /** Hash of the returned values in input order, canonicalized so equal values hash equally across processes. */
  resultHash: z.string(),
  /** The chunksize the backend used (Pool.map's default is ceil(n / (4k))). */
  chunksize: int.optional(),
  /** Engine figures for this pass (piscina waitTime/runTime, dask transfer times, joblib batch size). */
  engineStats: z.record(z.string(), z.unknown()).optional(),
  /** "none" when the pass ran uninstrumented (tasks is then empty); absent means every task was timed. */
  timing: PassTiming.optional(),
  load: PassLoad.optional(),
  threads: ThreadCensus.optional(),
});
/**
 * A pass as the runner holds it: where the tasks came in batches, `columns` holds them (times in seconds on the
 * harness's clock) and `tasks` is empty.
 */
export type PassMessage = z.infer<typeof PassMessage> & { columns?: TaskColumns };

export const OpenedMessage = z.object({
  type: z.literal('opened'),
  id: z.string(),
  /** P0 and P1. */
  constructStart: num,
  constructEnd: num,
  workers: z.array(WorkerStart),
  warmup: PassMessage,
  startMethod: z.string().optional(),
});
export type OpenedMessage = z.infer<typeof OpenedMessage> & { warmup: PassMessage };

export const ClosedMessage = z.object({
  type: z.literal('closed'),
  id: z.string(),
  /** P5 and P6. */
  closeStart: num,
  closeEnd: num,
  /** Peak RSS of each worker process, read before closing, keyed by worker name. */
  peakRssBytes: z.record(z.string(), int).optional(),
  /** Linux: each worker's peak unique memory (peak RSS less the pages it shares, from smaps_rollup). */
  uniqueBytes: z.record(z.string(), int).optional(),
  /** The harness process's peak RSS while the pool was open (where its peak could be reset at open). */
  parentPeakRssBytes: int.optional(),
  /** Workers that are threads of the harness (threads, piscina, serial): its peak over its idle RSS at open. */
  processGrowthBytes: int.optional(),
});
export type ClosedMessage = z.infer<typeof ClosedMessage>;

/** Sent during warm-up passes run in the harness process itself, so a hard crash can name its input. */
export const TaskStartMessage = z.object({ type: z.literal('task-start'), id: z.string(), input: int });

export const ErrorMessage = z.object({
  type: z.literal('error'),
  /** The command that failed. */
  op: z.string(),
  id: z.string().optional(),
  code: HarnessErrorCode,
  /** One clear sentence naming the cause. */
  message: z.string(),
  detail: z.string().optional(),
  input: int.optional(),
  /** False when the harness cannot go on (the runner then kills it and starts a fresh one if needed). */
  recoverable: z.boolean(),
});
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/** The answer to `exit`, written just before the harness exits 0. */
export const ByeMessage = z.object({ type: z.literal('bye') });
export type ByeMessage = z.infer<typeof ByeMessage>;

export const HarnessMessage = z.discriminatedUnion('type', [
  HelloMessage,
  LoadedMessage,
  CalibratedMessage,
  OpenedMessage,
  PassMessage,
  ClosedMessage,
  TaskStartMessage,
  ErrorMessage,
  ByeMessage,
  TaskBatchMessage,
]);
export type HarnessMessage = z.infer<typeof HarnessMessage>;

// ---------------------------------------------------------------- requests, typed per command

export type HarnessOp = HarnessCommand['op'];

/**
 * The `type` of the message that answers each command when it succeeds; any command may instead be answered by
 * an `error`. As LSP's RequestType<P, R> pairs a request with its result, this pairs a command with its answer.
 */
export const ANSWER_TYPE = {
  load: 'loaded',
  calibrate: 'calibrated',
  open: 'opened',
  pass: 'pass',
  close: 'closed',
  exit: 'bye',
} as const satisfies Record<HarnessOp, HarnessMessage['type']>;

/** The success answer to a command: `HarnessAnswer<'open'>` is an OpenedMessage. */
export type HarnessAnswer<Op extends HarnessOp> = Extract<HarnessMessage, { type: (typeof ANSWER_TYPE)[Op] }>;
