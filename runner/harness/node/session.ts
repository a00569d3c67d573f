// The harness's state between commands (the loaded target, the serial thread, the open pools) and one
// handler per op of protocol/harness.ts.
import type { HarnessCommand, HarnessMessage, PassMessage, PoolConfig } from '../../../protocol/harness';
import { loadBetween, loadReading } from './machineLoad';
import { taskTimingSeconds } from './taskCall';
import { calibrate } from './calibration';
import { log, now } from './channel';
import { compileTarget, type CompiledTarget } from './compileTarget';
import { CLONE_EXPLANATION, HarnessError } from './failures';
import { PiscinaPool } from './piscinaPool';
import { PassMemory } from './processMemory';
import { SerialThread } from './serialThread';

interface Loaded {
  compiled: CompiledTarget;
  file: string;
  function: string;
  starmap: boolean;
  serial: SerialThread;
  /** The arguments as cloned out of the serial thread; null when they cannot be cloned. */
  inputs: unknown[] | null;
  inputsCloneError: string | null;
}

export class Session {
  private target: Loaded | null = null;
  private serialOpen: string | null = null;
  private readonly pools = new Map<string, PiscinaPool>();
  /** The serial warm-up's results, for the calibration; dropped once calibrated. */
  private serialResults: unknown[] | null = null;
  private serialResultsCloneError: string | null = null;
  private readonly memory = new PassMemory();

  async handle(command: HarnessCommand): Promise<HarnessMessage> {
    switch (command.op) {
      case 'load':
        return this.load(command.file, command.function, command.inputs, command.starmap);
      case 'calibrate':
        return this.calibrate();
      case 'open':
        return this.open(command.config);
      case 'pass': {
        const before = loadReading();
        const message = await this.pass(command.id, command.sample, command.timing !== 'none');
        return { ...message, load: loadBetween(before, loadReading()) };
      }
      case 'close':
        return this.close(command.id);
      case 'exit':
        await this.shutdown();
        return { type: 'bye' };
    }
  }

  private loaded(): Loaded {
    if (!this.target) throw new HarnessError('bad-command', 'No target is loaded: send load first.');
    return this.target;
  }

  private async load(
    file: string,
    fn: string,
    inputs: string | null,
    starmap: boolean,
  ): Promise<HarnessMessage> {
    if (this.target)
      throw new HarnessError('bad-command', 'A target is loaded already; start a fresh harness for another.');
    const start = now();
    const compiled = await compileTarget(file, inputs);
    const serial = new SerialThread(compiled, file, fn, starmap, inputs);
    let ready;
    try {
      ready = await serial.start();
    } catch (error) {
      await serial.terminate();
      throw error;
    }
    this.target = {
      compiled,
      file,
      function: fn,
      starmap,
      serial,
      inputs: ready.inputs,
      inputsCloneError: ready.cloneError,
    };
    return {
      type: 'loaded',
      inputCount: ready.inputCount,
      threadpools: [],
      importSeconds: now() - start,
      taskTimingSeconds: taskTimingSeconds(),
    };
  }

  private calibrate(): HarnessMessage {
    const target = this.loaded();
    if (!target.inputs) {
      throw new HarnessError(
        'not-serializable',
        `The inputs cannot be sent to a worker thread (${target.inputsCloneError}): ${CLONE_EXPLANATION}.`,
        { recoverable: true },
      );
    }
    if (this.serialResultsCloneError) {
      throw new HarnessError(
        'not-serializable',
        `The results cannot be sent back from a worker thread (${this.serialResultsCloneError}): ${CLONE_EXPLANATION}.`,
        { recoverable: true },
      );
    }
    if (!this.serialResults) log('calibrate before the serial warm-up: result sizes are not measured');
    const calibration = calibrate(target.inputs, this.serialResults);
    this.serialResults = null;
    return { type: 'calibrated', calibration };
  }

  private async open(config: PoolConfig): Promise<HarnessMessage> {
    const target = this.loaded();
    if (this.pools.has(config.id) || this.serialOpen === config.id) {
      throw new HarnessError('bad-command', `A pool with id ${config.id} is open already.`);
    }
    if (config.backend === 'serial') {
      const { message, values } = await this.memory.around(config.id, () =>
        target.serial.pass(config.id, -1),
      );
      this.serialOpen = config.id;
      this.serialResults = values;
      if (!values) this.serialResultsCloneError = 'DataCloneError: a returned value could not be cloned';
      return {
        type: 'opened',
        id: config.id,
        constructStart: target.serial.createdStart,
        constructEnd: target.serial.createdEnd,
        workers: [target.serial.workerStart()],
        warmup: message,
      };
    }
    if (config.backend !== 'piscina') {
      throw new HarnessError(
        'backend-unavailable',
        `The Node.js harness has no ${config.backend} backend; it runs serial and piscina.`,
      );
    }
    if (!Number.isInteger(config.workers) || config.workers < 1) {
      throw new HarnessError('bad-command', `workers must be a positive integer, not ${config.workers}.`);
    }
    if (!target.inputs) {
      throw new HarnessError(
        'not-serializable',
        `The inputs cannot be sent to a worker thread (${target.inputsCloneError}): ${CLONE_EXPLANATION}.`,
        { recoverable: true },
      );
    }
    const pool = new PiscinaPool(
      config.id,
      config.workers,
      { ...target, inputs: target.inputs },
      config.chunksize ?? 1,
    );
    try {
      const opened = await this.memory.around(config.id, () => pool.open());
      this.pools.set(config.id, pool);
      return opened;
    } catch (error) {
      await pool.destroy();
      throw error;
    }
  }

  private async pass(id: string, sample: number, timed: boolean): Promise<PassMessage> {
    const target = this.loaded();
    if (id === this.serialOpen) {
      return (await this.memory.around(id, () => target.serial.pass(id, sample, timed))).message;
    }
    const pool = this.pools.get(id);
    if (!pool)
      throw new HarnessError('bad-command', `No open pool with id ${id} (open it first, or it failed).`);
    try {
      return await this.memory.around(id, () => pool.pass(sample, timed));
    } catch (error) {
      // A failed pass may leave a replaced worker or tasks still running: the pool is ended, later passes refused.
      this.pools.delete(id);
      await pool.destroy();
      throw error;
    }
  }

  private async close(id: string): Promise<HarnessMessage> {
    if (id === this.serialOpen) {
      this.serialOpen = null;
      const t = now();
      return { type: 'closed', id, closeStart: t, closeEnd: t, ...this.memory.closedFields(id) };
    }
    const pool = this.pools.get(id);
    if (!pool)
      throw new HarnessError('bad-command', `No open pool with id ${id} (open it first, or it failed).`);
    this.pools.delete(id);
    const memory = this.memory.closedFields(id);
    const { closeStart, closeEnd } = await pool.close();
    return { type: 'closed', id, closeStart, closeEnd, ...memory };
  }

  /** Ends every pool and the serial thread; workers are threads of this process, so nothing outlives it. */
  async shutdown(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.destroy()));
    await this.target?.serial.terminate();
  }
}
