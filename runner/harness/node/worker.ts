// The worker thread (dist/js-worker.js): as a piscina worker it runs one task per call; as the serial
// worker (a thread of its own, so the baseline has the pool's isolation) it evaluates the inputs and runs
// whole passes as a plain loop. Every answer is data: a worker always answers.
import type { HarnessErrorCode } from '../../../protocol/codes';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { now } from './channel';
import type { CompiledTarget } from './compileTarget';
import { CLONE_FAILED_EXIT_CODE, errorData, HarnessError, isCloneError, type ErrorData } from './failures';
import { evaluateInputs, importModule, loadModule, resolveFunction } from './moduleLoader';
import { RAISED, TIMING_SLOTS } from './poolTiming';
import { resultHash } from './resultHash';
import { callTask, callUntimed, type TaskOutcome } from './taskCall';

export interface WorkerConfig {
  mode: 'serial' | 'pool';
  compiled: CompiledTarget;
  /** The file as the user named it, for messages. */
  file: string;
  function: string;
  starmap: boolean;
  inputs: string | null;
  /** Serial only: the input the loop is on, read by the harness when the thread dies. */
  currentInput?: SharedArrayBuffer;
  /** Pool only: TIMING_SLOTS doubles per input that each task fills in (poolTiming.ts). */
  timing?: SharedArrayBuffer;
}

export interface InitFailure {
  code: HarnessErrorCode;
  message: string;
  detail?: string;
}

export type PoolTask =
  /** `timed: false`: an uninstrumented pass, no clock read around the call. */
  | { input: number; arg: unknown; timed?: boolean }
  /** A chunk (--chunksize): inputs first, first + 1, ... called one after another, each timed in its slots. */
  | { first: number; args: unknown[]; timed?: boolean }
  | { barrier: SharedArrayBuffer; workers: number; timeoutMs: number };

export interface WorkerInfo {
  worker: string;
  pid: number;
  initStart: number;
  initEnd: number;
}

/** A pool task's answer: the function's value (timing slots filled), or one of these (see TIMING_SLOTS). */
export type PoolControl =
  | ({ kind: 'warm' } & WorkerInfo)
  | ({ kind: 'raised'; worker: string } & Extract<TaskOutcome, { ok: false }>)
  /** A chunk's answer: its values in input order, up to the input that raised (`raised`, its slot RAISED). */
  | { kind: 'chunk'; values: unknown[]; raised: PoolControl | null }
  | { kind: 'init-failed'; failure: InitFailure };

export type SerialMessage =
  | ({ type: 'ready'; inputCount: number; inputs: unknown[] | null; cloneError: string | null } & WorkerInfo)
  | { type: 'failed'; failure: InitFailure }
  | {
      type: 'pass';
      start: number;
      end: number;
      tasks: { input: number; start: number; end: number; cpu?: number }[];
      values: unknown[] | null;
      /** When the values cannot be cloned to the harness, their hash made here. */
      hash: string | null;
      cloneError: string | null;
    }
  | { type: 'raised'; input: number; error: ErrorData };

const config = workerData as WorkerConfig;
const workerName = config.mode === 'serial' ? 'serial' : `thread ${threadId}`;
const initStart = now();
let fn: ((...args: unknown[]) => unknown) | null = null;
let exports: Record<string, unknown> | null = null;
let initFailure: InitFailure | null = null;
let initEnd = 0;

function settleInit(load: () => Record<string, unknown>): void {
  try {
    exports = load();
    fn = resolveFunction(exports, config.function, config.file);
  } catch (error) {
    initFailure =
      error instanceof HarnessError
        ? {
            code: error.code,
            message: error.message,
            ...(error.extra.detail ? { detail: error.extra.detail } : {}),
          }
        : {
            code: 'import-failed',
            message: `Loading ${config.file} failed: ${errorData(error).message}.`,
            detail: errorData(error).stack,
          };
  }
  initEnd = now();
}

/** An ES module bundle loads by import(), so asynchronously: tasks and the serial loop wait for it. */
let loading: Promise<void> | null = null;
if (config.compiled.format === 'esm') {
  loading = importModule(config.compiled)
    .then(
      (loaded) => settleInit(() => loaded),
      (error: unknown) =>
        settleInit(() => {
          throw error;
        }),
    )
    .then(() => {
      loading = null;
    });
} else settleInit(() => loadModule(config.compiled));
const timing = config.timing ? new Float64Array(config.timing) : null;
const info = (): WorkerInfo => ({ worker: workerName, pid: process.pid, initStart, initEnd });

/** piscina's task handler. */
export default function task(job: PoolTask): unknown {
  if (loading) return loading.then(() => task(job));
  if (initFailure) return { kind: 'init-failed', failure: initFailure } satisfies PoolControl;
  if ('barrier' in job) {
    // A warm-up task that waits until k tasks are running at once, so each of the k workers takes one.
    const count = new Int32Array(job.barrier);
    Atomics.add(count, 0, 1);
    Atomics.notify(count, 0);
    const deadline = Date.now() + job.timeoutMs;
    for (
      let seen = Atomics.load(count, 0);
      seen < job.workers && Date.now() < deadline;
      seen = Atomics.load(count, 0)
    ) {
      Atomics.wait(count, 0, seen, Math.max(1, deadline - Date.now()));
    }
    return { kind: 'warm', ...info() } satisfies PoolControl;
  }
  if ('first' in job) return chunkTask(job);
  const { input } = job;
  const outcome = (job.timed === false ? callUntimed : callTask)(fn!, job.arg, config.starmap);
  return outcome instanceof Promise
    ? outcome.then((settled) => poolAnswer(input, settled))
    : poolAnswer(input, outcome);
}

/** A chunk of inputs, one call after another as a user's own slice loop would run them; stops at a raise. */
async function chunkTask(job: { first: number; args: unknown[]; timed?: boolean }): Promise<PoolControl> {
  const values: unknown[] = [];
  const call = job.timed === false ? callUntimed : callTask;
  for (let i = 0; i < job.args.length; i++) {
    const called = call(fn!, job.args[i], config.starmap);
    const outcome = called instanceof Promise ? await called : called;
    const answer = poolAnswer(job.first + i, outcome);
    if (!outcome.ok) return { kind: 'chunk', values, raised: answer as PoolControl };
    values.push(answer);
  }
  return { kind: 'chunk', values, raised: null };
}

function poolAnswer(input: number, outcome: TaskOutcome): unknown {
  const slot = input * TIMING_SLOTS;
  if (!outcome.ok) {
    timing![slot] = RAISED;
    return { kind: 'raised', worker: workerName, ...outcome } satisfies PoolControl;
  }
  timing![slot] = threadId;
  timing![slot + 1] = outcome.start;
  timing![slot + 2] = outcome.end;
  timing![slot + 3] = outcome.cpu ?? NaN;
  return outcome.value;
}

function post(message: SerialMessage): void {
  parentPort!.postMessage(message);
}

/** The loop a user writes, with nothing inside the timed window but the calls (and the input marker). */
async function untimedSerialPass(inputs: unknown[], current: Int32Array): Promise<void> {
  const values = new Array<unknown>(inputs.length);
  const f = fn!;
  const starmap = config.starmap;
  let i = 0;
  const start = now();
  try {
    for (; i < inputs.length; i++) {
      Atomics.store(current, 0, i);
      let value = starmap ? f(...(inputs[i] as unknown[])) : f(inputs[i]);
      if (value !== null && typeof (value as PromiseLike<unknown>)?.then === 'function')
        value = await Promise.resolve(value);
      values[i] = value;
    }
  } catch (error) {
    Atomics.store(current, 0, -1);
    post({ type: 'raised', input: i, error: errorData(error) });
    return;
  }
  const end = now();
  Atomics.store(current, 0, -1);
  if (await rejectionRaised(inputs)) return;
  postPass(start, end, [], values);
}

function postPass(start: number, end: number, tasks: SerialTask[], values: unknown[]): void {
  try {
    post({ type: 'pass', start, end, tasks, values, hash: null, cloneError: null });
  } catch (error) {
    const data = errorData(error);
    if (!isCloneError(data)) throw error;
    post({
      type: 'pass',
      start,
      end,
      tasks,
      values: null,
      hash: resultHash(values),
      cloneError: data.message,
    });
  }
}

type SerialTask = { input: number; start: number; end: number; cpu?: number };

async function serialPass(inputs: unknown[], current: Int32Array): Promise<void> {
  const tasks = new Array<SerialTask>(inputs.length);
  const values = new Array<unknown>(inputs.length);
  const start = now();
  for (let i = 0; i < inputs.length; i++) {
    Atomics.store(current, 0, i);
    let outcome = callTask(fn!, inputs[i], config.starmap);
    if (outcome instanceof Promise) outcome = await outcome;
    if (!outcome.ok) {
      post({ type: 'raised', input: i, error: outcome.error });
      return;
    }
    values[i] = outcome.value;
    tasks[i] =
      outcome.cpu === undefined
        ? { input: i, start: outcome.start, end: outcome.end }
        : { input: i, start: outcome.start, end: outcome.end, cpu: outcome.cpu };
  }
  const end = now();
  Atomics.store(current, 0, -1);
  if (await rejectionRaised(inputs)) return;
  postPass(start, end, tasks, values);
}

/** The first promise rejection no handler took during the pass (the serial thread's 'unhandledRejection'). */
let rejection: ErrorData | null = null;

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * After a pass: a rejection nobody handled is the task's failure. Node reports one only once the microtasks
 * drain, after the loop, so the inputs are called again one at a time, draining after each, to find whose it is.
 */
async function rejectionRaised(inputs: unknown[]): Promise<boolean> {
  await macrotask();
  if (!rejection) return false;
  const first = rejection;
  let input = -1;
  for (let i = 0; i < inputs.length && input < 0; i++) {
    rejection = null;
    try {
      const value = config.starmap ? fn!(...(inputs[i] as unknown[])) : fn!(inputs[i]);
      if (value !== null && typeof (value as PromiseLike<unknown>)?.then === 'function')
        await Promise.resolve(value);
    } catch {
      // A throw is not what is looked for here.
    }
    await macrotask();
    if (rejection) input = i;
  }
  const error = rejection ?? first;
  rejection = null;
  const message = `${error.message} (a promise rejection that no handler took)`;
  post({ type: 'raised', input: Math.max(0, input), error: { ...error, message } });
  return true;
}

function serialMain(): void {
  if (initFailure) {
    post({ type: 'failed', failure: initFailure });
    return;
  }
  let inputs: unknown[];
  try {
    inputs = evaluateInputs(exports!, config.inputs);
  } catch (error) {
    const e = error as HarnessError;
    post({
      type: 'failed',
      failure: {
        code: e.code ?? 'inputs-failed',
        message: e.message,
        ...(e.extra?.detail ? { detail: e.extra.detail } : {}),
      },
    });
    return;
  }
  try {
    post({ type: 'ready', inputCount: inputs.length, inputs, cloneError: null, ...info() });
  } catch (error) {
    const data = errorData(error);
    if (!isCloneError(data)) throw error;
    post({ type: 'ready', inputCount: inputs.length, inputs: null, cloneError: data.message, ...info() });
  }
  const current = new Int32Array(config.currentInput!);
  process.on('unhandledRejection', (reason) => {
    rejection ??= errorData(reason);
  });
  parentPort!.on('message', (message: { op: 'pass'; timed: boolean }) => {
    if (message.op !== 'pass') return;
    void (message.timed ? serialPass(inputs, current) : untimedSerialPass(inputs, current));
  });
}

if (config.mode === 'serial') {
  if (loading) void loading.then(serialMain);
  else serialMain();
} else {
  // piscina posts a result with postMessage and rethrows a DataCloneError uncaught in this thread; the error
  // reaches the harness as an empty object, so the exit code carries what happened.
  process.on('uncaughtException', (error) => {
    const data = errorData(error);
    process.stderr.write(`[amdahl-harness] ${workerName}: uncaught ${data.stack}\n`);
    process.exit(isCloneError(data) ? CLONE_FAILED_EXIT_CODE : 1);
  });
}
