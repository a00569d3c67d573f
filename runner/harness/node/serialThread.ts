// The serial baseline: one worker thread of its own that loads the module, evaluates the inputs, and runs
// each pass as a plain loop, so the baseline has the pool's isolation and never blocks the harness.
import { Worker } from 'node:worker_threads';
import type { PassMessage, WorkerStart } from '../../../protocol/harness';
import { now } from './channel';
import type { CompiledTarget } from './compileTarget';
import { errorData, HarnessError, workerDeathMessage, type ErrorData } from './failures';
import { resultHash } from './resultHash';
import type { SerialMessage, WorkerConfig } from './worker';
import { workerResourceLimits } from './workerLimits';
import { WORKER_FILE } from './workerPath';
import { taskRaised } from './taskRaised';

type Ready = Extract<SerialMessage, { type: 'ready' }>;

export class SerialThread {
  private readonly worker: Worker;
  private readonly current = new SharedArrayBuffer(4);
  private pending: { resolve: (m: SerialMessage) => void; reject: (e: HarnessError) => void } | null = null;
  private death: HarnessError | null = null;
  private lastError: ErrorData | null = null;
  readonly createdStart: number;
  createdEnd = 0;
  ready: Ready | null = null;

  constructor(
    compiled: CompiledTarget,
    private readonly file: string,
    fn: string,
    starmap: boolean,
    inputs: string | null,
  ) {
    this.createdStart = now();
    const config: WorkerConfig = {
      mode: 'serial',
      compiled,
      file,
      function: fn,
      starmap,
      inputs,
      currentInput: this.current,
    };
    new Int32Array(this.current)[0] = -1;
    this.worker = new Worker(WORKER_FILE, { workerData: config, resourceLimits: workerResourceLimits(1) });
    this.worker.on('message', (message: SerialMessage) => this.settle((p) => p.resolve(message)));
    // An uncaught throw or the heap limit: 'error' comes first, then 'exit'.
    this.worker.on('error', (error) => {
      this.lastError = errorData(error);
    });
    this.worker.on('exit', (code) => {
      const input = new Int32Array(this.current)[0]!;
      const where = input >= 0 ? ` while running input ${input}` : ' while loading the module';
      this.death = new HarnessError(
        'worker-died',
        `The serial worker thread died${where}: ${workerDeathMessage(this.lastError, code)}.`,
        {
          ...(this.lastError ? { detail: this.lastError.stack } : {}),
          ...(input >= 0 ? { input } : {}),
          recoverable: true,
        },
      );
      this.settle((p) => p.reject(this.death!));
    });
  }

  private settle(action: (p: NonNullable<SerialThread['pending']>) => void): void {
    const pending = this.pending;
    this.pending = null;
    if (pending) action(pending);
  }

  private next(): Promise<SerialMessage> {
    if (this.death) return Promise.reject(this.death);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  /** Waits for the module to load and the inputs to be evaluated in the thread. */
  async start(): Promise<Ready> {
    const message = await this.next();
    this.createdEnd = now();
    if (message.type === 'failed') {
      throw new HarnessError(message.failure.code, message.failure.message, {
        ...(message.failure.detail ? { detail: message.failure.detail } : {}),
        recoverable: false,
      });
    }
    if (message.type !== 'ready')
      throw new HarnessError('harness-error', `unexpected ${message.type} from the serial worker`);
    this.ready = message;
    return message;
  }

  workerStart(): WorkerStart {
    const ready = this.ready!;
    return { worker: ready.worker, pid: ready.pid, initStart: ready.initStart, initEnd: ready.initEnd };
  }

  /** One pass as a plain loop in the thread: P2 and P4 are the loop's own start and end. */
  async pass(
    id: string,
    sample: number,
    timed = true,
  ): Promise<{ message: PassMessage; values: unknown[] | null }> {
    const answer = this.next();
    this.worker.postMessage({ op: 'pass', timed });
    const message = await answer;
    if (message.type === 'raised')
      throw taskRaised(message.input, message.error, this.ready?.inputs ?? null, this.file);
    if (message.type !== 'pass')
      throw new HarnessError('harness-error', `unexpected ${message.type} from the serial worker`);
    const hash = message.values ? resultHash(message.values) : message.hash!;
    return {
      message: {
        type: 'pass',
        id,
        sample,
        mapStart: message.start,
        resultsIn: message.end,
        tasks: message.tasks.map((t) => ({ worker: 'serial', ...t })),
        resultHash: hash,
        ...(timed ? {} : { timing: 'none' as const }),
      },
      values: message.values,
    };
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.settle((p) => p.reject(new HarnessError('harness-error', 'the serial worker was stopped')));
    await this.worker.terminate();
  }
}
