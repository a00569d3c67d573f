// Every warning of docs/method.md section 4, under the codes of docs/contract.md, each naming its run (scope) and a fix.
import { SERIALIZING } from '../../protocol/backends';
import type { BackendName, Calibration, Message, RecordedInputs, Target } from '../../protocol/report';
import { LARGE_TRANSFER_BYTES, batchingAdvice, isNode, largeTransferAdvice } from './advice';
import type { OverheadBreakdown } from './overhead';
import { ceilingBinds, chunkCeiling, taskCeiling } from './taskCeiling';
import type { HiddenParallelism } from './hiddenParallelism';

/** What the warnings need to know about one measured point of a run. */
export interface PointFacts {
  workers: number;
  /** Mean pass time T(k) and the speedup over the serial mean. */
  seconds: number;
  speedup: number;
  medianTaskSeconds: number | null;
  taskCount: number;
  /** The chunksize the backend used, where it reports one. */
  chunksize: number | null;
  overhead: OverheadBreakdown;
  resultHashes: string[];
  noise: string[];
  /** Process-wide CPU seconds (harness and workers, every thread) per wall second; null where unknown. */
  busyCores: number | null;
}

export interface RunFacts {
  scope: string;
  backend: BackendName;
  /** sys._is_gil_enabled() or the build's default; null for runtimes without a GIL notion. */
  gil: boolean | null;
  runtime: string;
  /** hello.implementation ("node" for the Node.js harness): picks the wording of the advice. */
  implementation: string | null;
  /** The calibration pass's sizes and times of a sample of arguments and results, where one was taken. */
  calibration: Calibration | null;
  usableCores: number;
  logicalCores: number;
  physicalCores: number | null;
  /** The most threads any BLAS/OpenMP pool of the loaded module will use per process; null if none seen. */
  blasThreads: number | null;
  /** The library's or the task's own threads the serial loop runs. */
  hidden: HiddenParallelism | null;
  /** Threads each worker's libraries were limited to in this run; null as the user runs them. */
  libraryThreads: number | null;
  /** The serial baseline's result hash and summed task time C(1). */
  serialHash: string | null;
  serialCompute: number;
  /** CPU seconds per wall second of the serial passes; null when the runtime reports no task CPU times. */
  serialCpuShare: number | null;
  points: PointFacts[];
}

export const TINY_TASK_SECONDS = 0.01;
export const TARGET_CHUNK_SECONDS = 0.2;
export const GIL_CPU_RATIO = 1.2;
/** The serial loop's CPU seconds per wall second above which its work counts as CPU-bound. */
export const CPU_BOUND_SHARE = 0.5;
export const INFLATION_LIMIT = 1.1;
export const IMBALANCE_LIMIT = 1.2;

export function runWarnings(run: RunFacts): Message[] {
  const parallel = run.backend !== 'serial';
  const gilBound = parallel ? gilBoundWarning(run) : null;
  return [
    run.backend === 'serial' ? null : tinyTasksWarning(run),
    gilBound,
    parallel ? oversubscriptionWarning(run) : null,
    ...(parallel ? coreCountWarnings(run) : []),
    parallel ? computeInflationWarning(run, gilBound !== null) : null,
    parallel ? baselineMismatchWarning(run) : null,
    resultsDifferWarning(run),
    parallel ? taskCeilingWarning(run) : null,
    parallel ? loadImbalanceWarning(run) : null,
    parallel ? largeTransferWarning(run) : null,
    noisyWarning(run),
  ].filter((m): m is Message => m !== null);
}

/** clamp(ceil(0.2 s / median task), 1, ceil(n / (4k))): chunks of about 0.2 s, at least 4 chunks per worker. */
export function suggestedChunksize(medianTaskSeconds: number, taskCount: number, workers: number): number {
  const wanted = Math.ceil(TARGET_CHUNK_SECONDS / Math.max(medianTaskSeconds, 1e-9));
  const most = Math.max(1, Math.ceil(taskCount / (4 * workers)));
  return Math.min(Math.max(wanted, 1), most);
}

export function tinyTasksWarning(run: RunFacts): Message | null {
  // "Overhead" here is what chunking amortizes, dispatch and serialization: compute inflation and the tail
  // have other causes and other warnings, and counting them would advise chunking for a GIL or a bad split.
  const tiny = run.points.filter((p) => {
    const perTaskCost = p.overhead.dispatch + p.overhead.serialization;
    return (
      (p.medianTaskSeconds !== null && p.medianTaskSeconds < TINY_TASK_SECONDS) ||
      perTaskCost > 0.5 * p.seconds
    );
  });
  if (tiny.length === 0) return null;
  // Advise for the largest k: it has the most dispatch per unit of work.
  const point = tiny.reduce((a, b) => (b.workers > a.workers ? b : a));
  const task = point.medianTaskSeconds ?? 0;
  const costShare = (point.overhead.dispatch + point.overhead.serialization) / point.seconds;
  const current = point.chunksize ?? 1;
  const chunk = suggestedChunksize(task, point.taskCount, point.workers);
  // Dispatch is paid per message: chunks of c instead of c0 items send c0/c as many. Serialization is per byte
  // and does not shrink with chunking, so it is not counted as saved.
  const saved = chunk > current ? point.overhead.dispatch * (1 - current / chunk) : 0;
  const message =
    `${run.scope}: tasks are small for the pool (median task ${ms(task)}; dispatch and serialization take ` +
    `${pct(costShare)} of the ${ms(point.seconds)} pass at ${point.workers} workers).`;
  const suggestion =
    chunk > current
      ? `${chunkAdvice(run, chunk)}; that would save about ${ms(saved)} per pass (${pct(saved / point.seconds)}).`
      : `Tasks already travel in chunks of ${current}; give each call more work (e.g. a batch of inputs per call) so a task takes well over ${ms(TINY_TASK_SECONDS)}.`;
  return { code: 'tiny-tasks', message, scope: run.scope, suggestion };
}

function chunkAdvice(run: RunFacts, chunk: number): string {
  switch (run.backend) {
    case 'process':
      return `Pass chunksize=${chunk} to Pool.map`;
    case 'futures-process':
      return `Pass chunksize=${chunk} to ProcessPoolExecutor.map`;
    case 'joblib':
      return `Use Parallel(batch_size=${chunk})`;
    case 'piscina':
      return capitalize(batchingAdvice(run.implementation, chunk));
    default:
      return `Send the inputs in batches of ${chunk} per task (${run.backend} sends one message per task)`;
  }
}

export function gilBoundWarning(run: RunFacts): Message | null {
  if (run.backend !== 'thread') return null;
  // Threads that sleep or wait on I/O also use little CPU, and scale well: only work that keeps a CPU busy
  // in the serial loop is held back by a GIL. Without CPU times for the serial loop, a speedup under the
  // same 1.2 stands in for it.
  const cpuBound = run.serialCpuShare !== null ? run.serialCpuShare >= CPU_BOUND_SHARE : null;
  // Threads that wait for cores, not for the GIL, look the same to the task threads' CPU clocks: when the serial
  // loop already runs library threads, or the process as a whole keeps more cores busy than the task threads
  // account for, the cores are taken by those threads (hidden-parallelism says so).
  if (run.hidden !== null) return null;
  const bound = run.points.filter(
    (p) =>
      p.workers >= 2 &&
      p.overhead.cpuSeconds !== null &&
      p.seconds > 0 &&
      p.overhead.cpuSeconds / p.seconds <= GIL_CPU_RATIO &&
      !waitsForCores(p) &&
      (cpuBound ?? p.speedup <= GIL_CPU_RATIO),
  );
  if (bound.length === 0) return null;
  const ratios = bound.map(
    (p) => `${(p.overhead.cpuSeconds! / p.seconds).toFixed(2)} at ${p.workers} threads`,
  );
  const gil =
    run.gil === true
      ? `${run.runtime} runs with the GIL enabled, so only one thread executes Python bytecode at a time`
      : run.gil === false
        ? `${run.runtime} runs without the GIL, so the threads wait on something else (a lock, I/O or a shared resource)`
        : `whether ${run.runtime} has a GIL is unknown`;
  return {
    code: 'gil-bound',
    message: `${run.scope}: the threads use no more than ${GIL_CPU_RATIO} CPU seconds per wall second (${ratios.join(', ')}); ${gil}.`,
    scope: run.scope,
    suggestion:
      run.gil === false
        ? 'Find the shared lock or resource the threads contend on, or use the process backend.'
        : 'Use the process backend (or a free-threaded Python build, or code that releases the GIL such as NumPy) for CPU-bound work.',
  };
}

/** The process keeps more cores busy than its task threads' CPU accounts for: other threads of it do the work. */
export const LIBRARY_CORES = 0.3;

function waitsForCores(p: PointFacts): boolean {
  if (p.busyCores === null || p.overhead.cpuSeconds === null || !(p.seconds > 0)) return false;
  return p.busyCores > GIL_CPU_RATIO || p.busyCores - p.overhead.cpuSeconds / p.seconds >= LIBRARY_CORES;
}

export function oversubscriptionWarning(run: RunFacts): Message | null {
  // The static count (threadpoolctl, *_NUM_THREADS) where known, else the threads measured in the serial loop.
  const threads = run.blasThreads ?? run.hidden?.threadsPerProcess ?? null;
  if (threads === null || threads <= 1) return null;
  const over = run.points.filter((p) => threads * p.workers > run.usableCores);
  if (over.length === 0) return null;
  const worst = over.reduce((a, b) => (b.workers > a.workers ? b : a));
  const perWorker = Math.max(1, Math.floor(run.usableCores / worst.workers));
  const each =
    run.blasThreads === null
      ? `each worker runs ${threads} threads at once (as many as worked together in the serial loop)`
      : `each worker may run ${threads} BLAS/OpenMP threads`;
  return {
    code: 'oversubscription',
    message: `${run.scope}: ${each}, so ${over.map((p) => `${p.workers} workers start ${p.workers * threads}`).join(', ')} threads on ${run.usableCores} usable cores.`,
    scope: run.scope,
    suggestion: `Limit the threads in the worker initializer, e.g. threadpoolctl.threadpool_limits(${perWorker}), or set OMP_NUM_THREADS=${perWorker} OPENBLAS_NUM_THREADS=${perWorker} MKL_NUM_THREADS=${perWorker} before the pool starts.`,
  };
}

export function coreCountWarnings(run: RunFacts): Message[] {
  const messages: Message[] = [];
  const beyondUsable = run.points.filter((p) => p.workers > run.usableCores).map((p) => p.workers);
  if (beyondUsable.length > 0) {
    const logical = run.points.filter((p) => p.workers > run.logicalCores).map((p) => p.workers);
    messages.push({
      code: 'beyond-usable-cores',
      message: `${run.scope}: ${list(beyondUsable)} workers exceed the ${run.usableCores} usable cores (affinity and cgroup quota)${logical.length > 0 ? `, and ${list(logical)} exceed the ${run.logicalCores} logical cores` : ''}; those workers share cores, and the fit leaves them out.`,
      scope: run.scope,
      suggestion: `Use at most ${run.usableCores} workers.`,
    });
  }
  if (run.physicalCores !== null) {
    // Past the usable cores the message above says it all; between physical and usable cores, SMT siblings
    // share one core's execution units.
    const beyondPhysical = run.points
      .filter((p) => p.workers > run.physicalCores! && p.workers <= run.usableCores)
      .map((p) => p.workers);
    if (beyondPhysical.length > 0) {
      messages.push({
        code: 'beyond-physical-cores',
        message: `${run.scope}: ${list(beyondPhysical)} workers exceed the ${run.physicalCores} physical cores; beyond them workers share a core's execution units (SMT), so CPU-bound speedup flattens.`,
        scope: run.scope,
        suggestion: `For CPU-bound work, expect little from more than ${run.physicalCores} workers.`,
      });
    }
  }
  return messages;
}

export function computeInflationWarning(run: RunFacts, gilBound: boolean): Message | null {
  if (!(run.serialCompute > 0)) return null;
  // Under the GIL, task times stretch because threads wait for the lock: gil-bound already says so.
  const inflated = run.points.filter(
    (p) =>
      !(gilBound && run.backend === 'thread' && p.workers >= 2) &&
      p.overhead.computeSeconds / run.serialCompute > INFLATION_LIMIT,
  );
  if (inflated.length === 0) return null;
  const ratios = inflated.map(
    (p) => `${(p.overhead.computeSeconds / run.serialCompute).toFixed(2)}x at ${p.workers} workers`,
  );
  const message = `${run.scope}: the same tasks take longer in the pool than in the serial loop (summed task time ${ratios.join(', ')}): `;
  if (run.hidden !== null && run.libraryThreads !== null) {
    const threads = `${run.libraryThreads} library thread${run.libraryThreads === 1 ? '' : 's'}`;
    return {
      code: 'compute-inflation',
      message: `${message}each worker's tasks run on ${threads}, where the serial loop's ran on ${run.hidden.threadsPerProcess} threads at once (see hidden-parallelism).`,
      scope: run.scope,
      suggestion:
        'Read the speedups, not the task times: they say whether more workers with fewer threads each beat the library alone.',
    };
  }
  if (run.hidden !== null) {
    // The serial loop had every core to its library's threads; in the pool, k workers' threads share them.
    return {
      code: 'compute-inflation',
      message: `${message}the serial loop's tasks ran on ${run.hidden.threadsPerProcess} threads each (see hidden-parallelism), and in the pool every worker's threads compete for the same cores.`,
      scope: run.scope,
      suggestion: 'Compare with the run that limits the libraries to one thread per worker.',
    };
  }
  // A thread's task time also holds the time it waited for the GIL, which is not the cores' doing.
  const cause =
    run.backend === 'thread' && run.gil !== false
      ? `with the GIL${run.gil === null ? ' (if the runtime has one)' : ''}, a thread's task time includes its wait for the lock; beyond that, cores slow each other down`
      : 'cores slow each other down';
  return {
    code: 'compute-inflation',
    message: `${message}${cause} (shared SMT cores, lower turbo frequency, memory bandwidth, or too many threads).`,
    scope: run.scope,
    suggestion:
      run.blasThreads !== null && run.blasThreads > 1
        ? 'Limit BLAS/OpenMP threads per worker (see oversubscription), and compare with fewer workers than physical cores.'
        : 'Compare with fewer workers than physical cores; for memory-bound work, reduce the data each task touches.',
  };
}

/** The same tasks running faster in the pool than in the serial loop: then the speedups overstate parallelism. */
export function baselineMismatchWarning(run: RunFacts): Message | null {
  if (!(run.serialCompute > 0)) return null;
  const faster = run.points.filter((p) => p.overhead.computeSeconds * INFLATION_LIMIT < run.serialCompute);
  if (faster.length === 0) return null;
  const ratios = faster.map(
    (p) =>
      `${(run.serialCompute / p.overhead.computeSeconds).toFixed(2)}x at ${p.workers} worker${p.workers === 1 ? '' : 's'}`,
  );
  return {
    code: 'baseline-mismatch',
    message:
      `${run.scope}: the same tasks take less time in the pool than in the serial loop (summed task time ` +
      `${ratios.join(', ')} shorter), so the speedups are larger than the workers alone explain.`,
    scope: run.scope,
    suggestion: isNode(run.implementation)
      ? 'V8 compiles the function separately in every worker thread and does not always produce the same machine ' +
        'code (recursive functions vary most, by up to 50%): profile again to see the spread, and read speedups ' +
        'against the pool of 1 as well as the serial loop.'
      : 'The serial loop runs in the harness process and the pool in other threads or processes: look for work that ' +
        'depends on where it runs (caches or lazy set-up paid in the serial loop, memory layout, BLAS threads), and ' +
        'read speedups against the pool of 1 as well as the serial loop.',
  };
}

export function resultsDifferWarning(run: RunFacts): Message | null {
  if (run.serialHash === null) return null;
  const differing = run.points.filter((p) => p.resultHashes.some((h) => h !== run.serialHash));
  if (differing.length === 0) return null;
  const what =
    run.backend === 'serial'
      ? 'the serial passes returned different results from one pass to the next: the function is not deterministic'
      : `the results differ from the serial run's at ${list(differing.map((p) => p.workers))} workers`;
  return {
    code: 'results-differ',
    message: `RESULTS DIFFER: ${run.scope}: ${what}. The timings may be comparing different work.`,
    scope: run.scope,
    suggestion:
      'Check the function for randomness without a fixed seed, shared mutable state, or dependence on the worker (process id, thread-local state, time).',
  };
}

export function taskCeilingWarning(run: RunFacts): Message | null {
  const chunked = (p: PointFacts): boolean =>
    p.chunksize !== null && p.chunksize > 1 && chunkCeiling(p.taskCount, p.workers, p.chunksize) < p.workers;
  const capped = run.points.filter((p) => ceilingBinds(p.taskCount, p.workers) || chunked(p));
  if (capped.length === 0) return null;
  const n = capped[0]!.taskCount;
  const caps = capped.map((p) =>
    chunked(p)
      ? `at most ${chunkCeiling(p.taskCount, p.workers, p.chunksize!).toFixed(2)}x at ${p.workers} (in chunks of ${p.chunksize})`
      : `at most ${taskCeiling(p.taskCount, p.workers).toFixed(2)}x at ${p.workers}`,
  );
  const byChunks = capped.some(chunked);
  const most = Math.max(...capped.map((p) => p.workers));
  const fewer =
    n < most
      ? `; at ${most} workers there are fewer tasks than workers, so ${most - n} of them get none`
      : '';
  return {
    code: 'task-ceiling',
    message: `${run.scope}: ${n} tasks do not divide evenly among the workers${byChunks ? ' (or their chunks)' : ''}, so the speedup is capped at n / ceil(n / k)${byChunks ? ", or by the busiest worker's chunks" : ''}: ${caps.join(', ')}${fewer}.`,
    scope: run.scope,
    suggestion: byChunks
      ? `Pass a chunksize that gives every worker the same number of chunks (e.g. chunksize=1 for few inputs), or more inputs than workers.`
      : `Use a worker count that divides ${n}, or more inputs than workers (many more, for uneven tasks).`,
  };
}

/** The busiest worker's share that equal tasks would give anyway: k / (the task or chunk ceiling). */
function expectedImbalance(p: PointFacts): number {
  const ceiling = chunkCeiling(p.taskCount, p.workers, p.chunksize ?? 1);
  return ceiling > 0 ? p.workers / ceiling : 1;
}

export function loadImbalanceWarning(run: RunFacts): Message | null {
  // Imbalance that the task count alone explains is task-ceiling's to report; this one is about uneven tasks
  // (a margin of 10% over the equal-task figure keeps timing jitter from flapping it on and off). With fewer
  // tasks than workers, workers that got none (or a worker that took two before another started) are the
  // task ceiling too.
  const uneven = run.points.filter(
    (p) =>
      p.workers >= 2 &&
      p.taskCount >= p.workers &&
      p.overhead.imbalanceRatio !== null &&
      p.overhead.imbalanceRatio > IMBALANCE_LIMIT &&
      p.overhead.imbalanceRatio > 1.1 * expectedImbalance(p),
  );
  if (uneven.length === 0) return null;
  const ratios = uneven.map((p) => `${p.overhead.imbalanceRatio!.toFixed(2)}x at ${p.workers} workers`);
  const chunked = uneven.some((p) => (p.chunksize ?? 1) > 1);
  return {
    code: 'load-imbalance',
    message: `${run.scope}: the busiest worker is busy longer than the average one (${ratios.join(', ')}), more than the task count explains, so the others sit idle at the end of the pass: the tasks differ in length.`,
    scope: run.scope,
    suggestion: chunked
      ? 'Use a smaller chunksize so idle workers can take over the remaining tasks, or sort the inputs longest first.'
      : 'Split long tasks into smaller ones, or order the inputs longest first so the tail is short.',
  };
}

/** The share of a pass that copying must reach before large arguments or results are worth a warning. */
export const TRANSFER_SHARE_LIMIT = 0.02;

/** Arguments or results of a MiB or more each, whose copying takes a visible share of the pass. */
export function largeTransferWarning(run: RunFacts): Message | null {
  const calibration = run.calibration;
  if (!calibration || !SERIALIZING.has(run.backend)) return null;
  const large = Math.max(calibration.argumentBytes, calibration.resultBytes) >= LARGE_TRANSFER_BYTES;
  if (!large || run.points.length === 0) return null;
  const point = run.points.reduce((a, b) => (b.workers > a.workers ? b : a));
  const share = point.seconds > 0 ? point.overhead.serialization / point.seconds : 0;
  if (share < TRANSFER_SHARE_LIMIT) return null;
  return {
    code: 'large-transfer',
    message:
      `${run.scope}: every task copies large data to or from its worker (arguments ${bytes(calibration.argumentBytes)}, ` +
      `results ${bytes(calibration.resultBytes)} on average); copying takes about ${pct(share)} of the ` +
      `${ms(point.seconds)} pass at ${point.workers} workers.`,
    scope: run.scope,
    suggestion: largeTransferAdvice(run.implementation),
  };
}

export function noisyWarning(run: RunFacts): Message | null {
  const noisy = run.points.filter((p) => p.noise.length > 0);
  if (noisy.length === 0) return null;
  const where = noisy.map((p) =>
    run.backend === 'serial' ? p.noise.join('; ') : `at ${p.workers} workers ${p.noise.join('; ')}`,
  );
  return {
    code: 'noisy',
    message: `${run.scope}: the timings are unstable: ${where.join('. ')}.`,
    scope: run.scope,
    suggestion:
      'Close other busy programs, keep the machine on mains power, and raise --budget (or --repeat) so more samples are taken.',
  };
}

/** The module replaced clocks of Python's time module: the harness kept its own, so say so rather than fail. */
export function clockReplacedWarning(target: Target, replaced: readonly string[]): Message | null {
  if (replaced.length === 0) return null;
  const scope = `${target.function} (${target.file})`;
  const names = replaced.map((name) => `time.${name}`).join(', ');
  return {
    code: 'clock-replaced',
    message: `${scope}: importing the module replaced ${names}. Amdahl times with the clocks it took before the import, so the measurements and --timeout hold, but code that reads the replaced clocks sees what the module put there.`,
    scope,
    suggestion:
      'Patch the clock only where it is needed (for example with unittest.mock.patch in a test), not when the module is imported.',
  };
}

/** Recorded inputs: a function changed since its recording (profiled anyway), and calls that could not be used. */
export function recordingWarnings(target: Target, recording: RecordedInputs): Message[] {
  const scope = `${target.function} (${target.file})`;
  const warnings: Message[] = [];
  if (recording.stale) {
    warnings.push({
      code: 'recording-stale',
      message: `${scope}: the function's source changed since its inputs were recorded (${recording.recordedAt}); it was profiled over the recorded calls anyway.`,
      scope,
      suggestion:
        'Record again (amdahl record, or "Amdahl: Record Inputs...") if the arguments the function takes have changed.',
    });
  }
  if (recording.skipped.length > 0) {
    const named = recording.skipped
      .slice(0, 5)
      .map((s) => `call ${s.call} at ${s.site}: ${s.reason}`)
      .join('; ');
    const more = recording.skipped.length > 5 ? `; and ${recording.skipped.length - 5} more` : '';
    warnings.push({
      code: 'recording-skipped',
      message: `${scope}: ${recording.skipped.length} recorded call(s) were skipped, and the profile ran over the other ${recording.calls}: ${named}${more}.`,
      scope,
      suggestion:
        'Pass data that can be pickled (plain values, arrays, dataclasses) rather than locks, files, sockets or generators.',
    });
  }
  return warnings;
}

/** Worker counts above the input count were measured at the input count: more workers would only sit idle. */
export function clampedWorkersWarning(
  target: Target,
  clamped: readonly number[],
  inputCount: number,
): Message | null {
  return clampedWarning(target, clamped, {
    code: 'workers-clamped',
    asked: (values) => `${values} worker(s) were asked for`,
    used: `${inputCount} workers: more would get no task`,
    inputCount,
    suggestion: `Give more inputs than workers, or ask for at most ${inputCount} workers.`,
  });
}

/** Chunksizes above the input count (--chunksize) were measured at the input count: one chunk holds every input. */
export function clampedChunksizesWarning(
  target: Target,
  clamped: readonly number[],
  inputCount: number,
): Message | null {
  return clampedWarning(target, clamped, {
    code: 'chunksize-clamped',
    asked: (values) => `chunksize ${values} was asked for`,
    used: `chunksize ${inputCount}: one chunk holds every input`,
    inputCount,
    suggestion: `Ask for a chunksize of at most ${inputCount}, or --chunksize auto.`,
  });
}

function clampedWarning(
  target: Target,
  clamped: readonly number[],
  text: {
    code: 'workers-clamped' | 'chunksize-clamped';
    asked: (values: string) => string;
    used: string;
    inputCount: number;
    suggestion: string;
  },
): Message | null {
  if (clamped.length === 0) return null;
  const scope = `${target.function} (${target.file})`;
  return {
    code: text.code,
    message: `${scope}: ${text.asked(list([...clamped]))}, but there are only ${text.inputCount} inputs, so those runs used ${text.used}.`,
    scope,
    suggestion: text.suggestion,
  };
}

function ms(seconds: number): string {
  return seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
}

function bytes(count: number): string {
  if (count >= 1024 * 1024) return `${(count / 1024 / 1024).toFixed(1)} MiB`;
  if (count >= 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${Math.round(count)} B`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(0)}%`;
}

function list(values: number[]): string {
  return values.join(', ');
}
