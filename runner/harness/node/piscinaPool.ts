// The piscina backend: minThreads = maxThreads = k, a long idleTimeout, k warm-up tasks held at a barrier so
// every worker has loaded the module, then passes of one piscina task per input (or per chunk of inputs, mapped
// over in the worker: --chunksize) with the timestamps of docs/method.md section 3 and piscina's own
// waitTime/runTime figures.
import { Piscina } from 'piscina';
import type { OpenedMessage, PassMessage, TaskTiming, WorkerStart } from '../../../protocol/harness';
import { now } from './channel';
import type { CompiledTarget } from './compileTarget';
import {
  CLONE_EXPLANATION,
  CLONE_FAILED_EXIT_CODE,
  errorData,
  HarnessError,
  isCloneError,
  workerDeathMessage,
} from './failures';
import { resultHash } from './resultHash';
import { CPU_TIME_NOTE } from './taskCall';
import { taskRaised } from './taskRaised';
import { RAISED, TIMING_SLOTS } from './poolTiming';
import type { PoolControl, PoolTask, WorkerConfig } from './worker';
import { workerResourceLimits } from './workerLimits';
import { WORKER_FILE } from './workerPath';

// setTimeout's largest delay: idle workers are never retired during a profile.
const IDLE_FOREVER_MS = 2 ** 31 - 1;
// How long the warm-up barrier waits for all k workers to be running at once.
const BARRIER_TIMEOUT_MS = 120_000;

export interface PoolTarget {
  compiled: CompiledTarget;
  file: string;
  function: string;
  starmap: boolean;
  /** The arguments, as cloned from the serial worker. */
  inputs: unknown[];
}

export class PiscinaPool {
  private pool: Piscina<PoolTask, unknown> | null = null;
  /** The tasks' timing slots, shared with every worker (poolTiming.ts). */
  private readonly timing: Float64Array;

  constructor(
    readonly id: string,
    private readonly workers: number,
    private readonly target: PoolTarget,
    /** Inputs per pool.run() (--chunksize); 1: one task per input, as piscina users mostly write it. */
    private readonly chunksize = 1,
  ) {
    this.timing = new Float64Array(
      new SharedArrayBuffer(Math.max(1, target.inputs.length) * TIMING_SLOTS * 8),
    );
  }

  async open(): Promise<OpenedMessage> {
    const config: WorkerConfig = {
      mode: 'pool',
      compiled: this.target.compiled,
      file: this.target.file,
      function: this.target.function,
      starmap: this.target.starmap,
      inputs: null,
      timing: this.timing.buffer as SharedArrayBuffer,
    };
    const constructStart = now();
    const pool = new Piscina<PoolTask, unknown>({
      filename: WORKER_FILE,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: IDLE_FOREVER_MS,
      concurrentTasksPerWorker: 1,
      workerData: config,
      resourceLimits: workerResourceLimits(this.workers),
      recordTiming: true,
    });
    const constructEnd = now();
    this.pool = pool;
    const barrier = new SharedArrayBuffer(4);
    const warm = await Promise.allSettled(
      Array.from({ length: this.workers }, () =>
        pool.run({ barrier, workers: this.workers, timeoutMs: BARRIER_TIMEOUT_MS }),
      ),
    );
    const starts = new Map<string, WorkerStart>();
    for (const settled of warm) {
      if (settled.status === 'rejected') throw this.rejected(settled.reason, null);
      const answer = settled.value as PoolControl;
      if (answer.kind === 'init-failed')
        throw new HarnessError(answer.failure.code, answer.failure.message, {
          ...(answer.failure.detail ? { detail: answer.failure.detail } : {}),
          recoverable: true,
        });
      if (answer.kind === 'warm') {
        starts.set(answer.worker, {
          worker: answer.worker,
          pid: answer.pid,
          initStart: answer.initStart,
          initEnd: answer.initEnd,
        });
      }
    }
    const warmup = await this.pass(-1);
    return {
      type: 'opened',
      id: this.id,
      constructStart,
      constructEnd,
      workers: [...starts.values()],
      warmup,
    };
  }

  async pass(sample: number, timed = true): Promise<PassMessage> {
    const inputs = this.target.inputs;
    const timing = this.timing;
    timing.fill(0);
    const mapStart = now();
    const { answers, resultTimes, rejections } = await this.submit(inputs, timed);
    const resultsIn = now();
    if (rejections.length > 0) {
      const first = rejections.reduce((a, b) => (b.input < a.input ? b : a));
      throw this.rejected(first.reason, first.input);
    }
    const tasks = new Array<TaskTiming>(inputs.length);
    const values = new Array<unknown>(inputs.length);
    for (let input = 0; input < answers.length; input++) {
      const slot = input * TIMING_SLOTS;
      const thread = timing[slot]!;
      if (thread <= 0) {
        const answer = answers[input] as PoolControl | undefined;
        if (thread === RAISED && answer?.kind === 'raised') {
          throw taskRaised(input, answer.error, inputs, this.target.file);
        }
        if (answer?.kind === 'init-failed') {
          throw new HarnessError(answer.failure.code, answer.failure.message, { recoverable: true });
        }
        throw new HarnessError(
          'harness-error',
          `a task answered without its timing (${String(answer?.kind)})`,
        );
      }
      values[input] = answers[input];
      if (!timed) continue;
      const [start, end, cpu] = [timing[slot + 1]!, timing[slot + 2]!, timing[slot + 3]!];
      const worker = `thread ${thread}`;
      tasks[input] = Number.isNaN(cpu) ? { worker, input, start, end } : { worker, input, start, end, cpu };
    }
    const message: PassMessage = {
      type: 'pass',
      id: this.id,
      sample,
      mapStart,
      resultsIn,
      ...(timed
        ? { resultTimes: Array.from(resultTimes, (time, input): [number, number] => [input, time]), tasks }
        : { tasks: [], timing: 'none' as const }),
      resultHash: resultHash(values),
      chunksize: this.chunksize,
      engineStats: this.engineStats(),
    };
    return message;
  }

  /**
   * Runs every input: one pool.run() per input, or per chunk of `chunksize` inputs (--chunksize), each chunk's
   * values put back by input. One callback pair per task and a counter, rather than a chained promise each and
   * allSettled: the pass should cost what the user's own pool.run loop costs.
   */
  private async submit(
    inputs: unknown[],
    timed: boolean,
  ): Promise<{
    answers: unknown[];
    resultTimes: Float64Array;
    rejections: { input: number; reason: unknown }[];
  }> {
    const pool = this.pool!;
    const resultTimes = new Float64Array(inputs.length);
    const answers = new Array<unknown>(inputs.length);
    const rejections: { input: number; reason: unknown }[] = [];
    const size = this.chunksize;
    await new Promise<void>((resolve) => {
      let left = Math.ceil(inputs.length / size);
      if (left === 0) resolve();
      const settle = (): void => {
        if (--left === 0) resolve();
      };
      const rejected = (input: number) => (reason: unknown) => {
        rejections.push({ input, reason });
        settle();
      };
      for (let input = 0; input < inputs.length; input += size) {
        if (size === 1) {
          pool
            .run(timed ? { input, arg: inputs[input] } : { input, arg: inputs[input], timed })
            .then((answer) => {
              resultTimes[input] = now();
              answers[input] = answer;
              settle();
            }, rejected(input));
          continue;
        }
        const args = inputs.slice(input, input + size);
        pool.run(timed ? { first: input, args } : { first: input, args, timed }).then((answer) => {
          const chunk = answer as Extract<PoolControl, { kind: 'chunk' }>;
          const at = now();
          chunk.values.forEach((value, offset) => {
            answers[input + offset] = value;
            resultTimes[input + offset] = at;
          });
          if (chunk.raised) answers[input + chunk.values.length] = chunk.raised;
          settle();
        }, rejected(input));
      }
    });
    return { answers, resultTimes, rejections };
  }

  /** piscina's waitTime (queued) and runTime (in the worker) of this pass's tasks, in milliseconds. */
  private engineStats(): Record<string, unknown> {
    const histogram = this.pool!.histogram;
    const pick = (s: typeof histogram.runTime): Record<string, number> => ({
      mean: s.mean,
      min: s.min,
      p50: s.p50,
      p99: s.p99,
      max: s.max,
    });
    const stats = {
      piscinaWaitTimeMs: pick(histogram.waitTime),
      piscinaRunTimeMs: pick(histogram.runTime),
      cpuTime: CPU_TIME_NOTE,
    };
    histogram.resetRunTime();
    histogram.resetWaitTime();
    return stats;
  }

  /** A task piscina rejected: its result could not be cloned, or its worker thread died. */
  private rejected(reason: unknown, input: number | null): HarnessError {
    const error = errorData(reason);
    const which = input === null ? 'a warm-up task' : `input ${input}`;
    if (isCloneError(error) || error.message.endsWith(`exited with code: ${CLONE_FAILED_EXIT_CODE}`)) {
      return new HarnessError(
        'not-serializable',
        `The result for ${which} could not be sent back from its worker thread (DataCloneError): ${CLONE_EXPLANATION}.`,
        { detail: error.stack, ...(input === null ? {} : { input }), recoverable: true },
      );
    }
    return new HarnessError(
      'worker-died',
      `A piscina worker died running ${which}: ${workerDeathMessage(error, null)}.`,
      {
        detail: error.stack,
        ...(input === null ? {} : { input }),
        recoverable: true,
      },
    );
  }

  async close(): Promise<{ closeStart: number; closeEnd: number }> {
    const closeStart = now();
    await this.pool?.close();
    const closeEnd = now();
    this.pool = null;
    return { closeStart, closeEnd };
  }

  /** Ends the pool whatever it is doing (after a failed pass, or at exit). */
  async destroy(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}
