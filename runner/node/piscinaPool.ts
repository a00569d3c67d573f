// The piscina backend: minThreads = maxThreads = k, a long idleTimeout, k warm-up tasks held at a barrier so
// every worker has loaded the module, then passes of one piscina task per input with the timestamps of
// METHOD.md section 3 and piscina's own waitTime/runTime figures.
import { Piscina } from 'piscina';
import type { OpenedMessage, PassMessage, TaskTiming, WorkerStart } from '../../protocol/harness';
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
import type { PoolAnswer, PoolTask, WorkerConfig } from './worker';
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
  private pool: Piscina<PoolTask, PoolAnswer> | null = null;

  constructor(
    readonly id: string,
    private readonly workers: number,
    private readonly target: PoolTarget,
  ) {}

  async open(): Promise<OpenedMessage> {
    const config: WorkerConfig = {
      mode: 'pool',
      compiled: this.target.compiled,
      file: this.target.file,
      function: this.target.function,
      starmap: this.target.starmap,
      inputs: null,
    };
    const constructStart = now();
    const pool = new Piscina<PoolTask, PoolAnswer>({
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
      const answer = settled.value;
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

  async pass(sample: number): Promise<PassMessage> {
    const pool = this.pool!;
    const inputs = this.target.inputs;
    const resultTimes: [number, number][] = new Array(inputs.length);
    const mapStart = now();
    const settled = await Promise.allSettled(
      inputs.map((arg, input) =>
        pool.run({ input, arg }).then((answer) => {
          resultTimes[input] = [input, now()];
          return answer;
        }),
      ),
    );
    const resultsIn = now();
    const tasks: TaskTiming[] = new Array(inputs.length);
    const values: unknown[] = new Array(inputs.length);
    for (let input = 0; input < settled.length; input++) {
      const s = settled[input]!;
      if (s.status === 'rejected') throw this.rejected(s.reason, input);
      const answer = s.value;
      if (answer.kind === 'init-failed')
        throw new HarnessError(answer.failure.code, answer.failure.message, { recoverable: true });
      if (answer.kind !== 'task')
        throw new HarnessError('harness-error', `unexpected ${answer.kind} answer to a task`);
      if (!answer.ok) throw taskRaised(input, answer.error, inputs, this.target.file);
      values[input] = answer.value;
      tasks[input] =
        answer.cpu === undefined
          ? { worker: answer.worker, input, start: answer.start, end: answer.end }
          : { worker: answer.worker, input, start: answer.start, end: answer.end, cpu: answer.cpu };
    }
    const message: PassMessage = {
      type: 'pass',
      id: this.id,
      sample,
      mapStart,
      resultsIn,
      resultTimes,
      tasks,
      resultHash: resultHash(values),
      chunksize: 1,
      engineStats: this.engineStats(),
    };
    return message;
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
