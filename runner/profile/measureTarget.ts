// Measures one target on one runtime: loads it in a harness, opens every pool, runs shuffled rounds of counted
// passes until the speedups converge or the budget is spent, closes the pools; a harness that dies or times out
// is replaced and the surviving configurations go on.
import type { HelloMessage, PoolConfig } from '../../protocol/harness';
import type { BackendName, Message, Target } from '../../protocol/report';
import type { ConfigMeasurements, TargetMeasurements } from '../analysis/measurements';
import { HarnessLost, HarnessProcess, type HarnessSpec } from './harnessProcess';
import { minimumSamples, pendingConfigs } from './repetition';

export interface MeasurePlan {
  target: Target;
  /** The target's absolute path (target.file is relative to the working folder, for the report). */
  file: string;
  harness: HarnessSpec;
  /** Backends besides serial, start methods to compare (null: the runtime's default) and worker counts. */
  backends: BackendName[];
  startMethods: string[] | null;
  workers: number[] | null;
  inputs: string | null;
  starmap: boolean;
  repeat: number | null;
  budgetMs: number;
  timeoutMs: number;
}

export interface MeasureHooks {
  log: (line: string) => void;
  /** Called after every counted pass, with everything measured so far. */
  measured: (measurements: TargetMeasurements, configId: string) => void;
  progress: (done: number, planned: number, message: string) => void;
}

const SERIAL_ID = 'serial';
const START_METHOD_BACKENDS = new Set<string>(['process', 'futures-process']);
const MAX_RESTARTS = 3;
// Creating pools and closing them is not a "pass", but must not hang either.
const POOL_ALLOWANCE_MS = 60_000;

/** Backends whose arguments and results cross a process or thread boundary by serialization. */
const SERIALIZING = new Set([
  'process',
  'futures-process',
  'piscina',
  'joblib',
  'dask',
  'ipyparallel',
  'ray',
]);

class TargetFailed extends Error {}

export async function measureTarget(
  plan: MeasurePlan,
  hooks: MeasureHooks,
  signal: AbortSignal,
): Promise<{ measurements: TargetMeasurements | null; errors: Message[] }> {
  const errors: Message[] = [];
  const name = `${plan.target.function} (${plan.target.file})`;
  const configs: ConfigMeasurements[] = [];
  const byId = new Map<string, ConfigMeasurements>();
  let harness: HarnessProcess | null = null;
  let hello: HelloMessage | null = null;
  let measurements: TargetMeasurements | null = null;
  let restarts = 0;
  const startedAt = Date.now();
  let stopReason = plan.repeat === null ? 'budget' : 'fixed';

  const scopeOf = (c: ConfigMeasurements): string => describeConfig(plan.target, c.config);
  const live = (): ConfigMeasurements[] => configs.filter((c) => !c.failed && c.opened);
  const fail = (c: ConfigMeasurements, error: Message): void => {
    c.failed = error;
    errors.push(error);
    if (c.config.id === SERIAL_ID) throw new TargetFailed(error.message);
  };

  const snapshot = (): TargetMeasurements | null => {
    if (!hello) return null;
    const stdout = harness?.stdout;
    const stderr = harness?.stderr;
    measurements = {
      target: plan.target,
      hello,
      loaded: measurements?.loaded ?? null,
      calibration: measurements?.calibration ?? null,
      configs,
      capturedOutput: {
        stdout: stdout?.text() ?? '',
        stderr: stderr?.text() ?? '',
        stdoutBytes: stdout?.bytes ?? 0,
        stderrBytes: stderr?.bytes ?? 0,
      },
      stopReason,
      partial: false,
    };
    return measurements;
  };

  const onAbort = (): void => harness?.cancel();
  signal.addEventListener('abort', onAbort);

  /** Turns a lost harness into an error on the configuration that was running, and decides what follows. */
  const lost = (c: ConfigMeasurements, error: HarnessLost, what: string): void => {
    if (error.reason === 'cancelled') throw error;
    const base = { scope: scopeOf(c), detail: harness?.stderr.last(4000) };
    if (error.reason === 'timeout') {
      fail(c, {
        ...base,
        code: 'timeout',
        message: `${scopeOf(c)}: ${what} ran longer than the ${plan.timeoutMs / 1000} s timeout (--timeout)${what.startsWith('starting') ? ` plus ${POOL_ALLOWANCE_MS / 1000} s for the pool to start` : ''}; every process of the run was killed.`,
      });
    } else if (error.reason === 'exited') {
      const input = error.lastTaskStart?.input;
      const exit = error.exit?.signal
        ? `was killed by ${error.exit.signal}`
        : `exited with code ${error.exit?.code}`;
      fail(c, {
        ...base,
        code: 'worker-died',
        message: `${scopeOf(c)}: the ${plan.harness.name} process running the function ${exit}${input === undefined ? '' : ` while running input ${input}`} (os._exit, process.exit or a crash inside the function).`,
        ...(input === undefined ? {} : { input }),
      });
    } else {
      fail(c, { ...base, code: 'internal', message: `${scopeOf(c)}: ${error.message}` });
    }
  };

  const start = async (): Promise<HarnessProcess> => {
    const started = await HarnessProcess.start(plan.harness, POOL_ALLOWANCE_MS, hooks.log);
    harness = started.harness;
    hello = started.hello;
    if (configs.length === 0) {
      // The configurations depend on what the runtime reports: usable cores, start methods, engines present.
      for (const config of planConfigs(plan, hello)) {
        const c: ConfigMeasurements = { config, opened: null, passes: [], closed: null };
        configs.push(c);
        byId.set(config.id, c);
        const missing = hello.missingBackends?.[config.backend];
        if (
          missing !== undefined ||
          (config.backend !== 'serial' && !hello.backends.includes(config.backend))
        ) {
          c.failed = {
            code: 'backend-unavailable',
            message: `${scopeOf(c)}: the ${config.backend} backend is not available with ${hello.runtime}: ${missing ?? 'this harness does not provide it'}.`,
            scope: scopeOf(c),
          };
          if (!errors.some((e) => e.message === c.failed!.message)) errors.push(c.failed);
        }
      }
    }
    if (signal.aborted) harness.cancel();
    const answer = await harness.request(
      {
        op: 'load',
        file: plan.file,
        function: plan.target.function,
        inputs: plan.inputs,
        starmap: plan.starmap,
      },
      plan.timeoutMs + POOL_ALLOWANCE_MS,
    );
    if (answer.type === 'error') {
      errors.push({ code: answer.code, message: answer.message, scope: name, ...optional(answer) });
      throw new TargetFailed(answer.message);
    }
    if (answer.type !== 'loaded') throw new TargetFailed(`unexpected answer ${answer.type} to load`);
    snapshot();
    measurements!.loaded = answer;
    return harness;
  };

  const open = async (h: HarnessProcess, c: ConfigMeasurements): Promise<void> => {
    hooks.progress(0, 1, `opening ${scopeOf(c)}`);
    try {
      // Serial has no pool to start: its open is just the warm-up pass, held to the pass timeout.
      const allowance = c.config.backend === 'serial' ? 0 : POOL_ALLOWANCE_MS;
      const answer = await h.request({ op: 'open', config: c.config }, plan.timeoutMs + allowance);
      if (answer.type === 'opened') c.opened = c.opened ?? answer;
      else if (answer.type === 'error')
        fail(c, { code: answer.code, message: answer.message, scope: scopeOf(c), ...optional(answer) });
    } catch (error) {
      if (error instanceof HarnessLost) {
        lost(
          c,
          error,
          c.config.backend === 'serial' ? 'the warm-up pass' : 'starting the pool and its warm-up pass',
        );
      } else throw error;
    }
  };

  const calibrate = async (h: HarnessProcess): Promise<void> => {
    const answer = await h.request({ op: 'calibrate' }, plan.timeoutMs + POOL_ALLOWANCE_MS);
    if (answer.type === 'calibrated') measurements!.calibration = answer.calibration;
    else if (answer.type === 'error') {
      // An argument or result that cannot be serialized rules out every pool that would have to send it.
      const error = { code: answer.code, message: answer.message, scope: name, ...optional(answer) };
      errors.push(error);
      for (const c of configs) if (SERIALIZING.has(c.config.backend) && !c.failed) c.failed = error;
    }
  };

  /** (Re)starts the harness and opens every configuration that has not failed. */
  const bringUp = async (): Promise<HarnessProcess> => {
    const h = await start();
    for (const c of configs) {
      if (c.failed) continue;
      await open(h, c);
      if (c.config.id === SERIAL_ID && measurements!.calibration === null) await calibrate(h);
    }
    return h;
  };

  try {
    let h = await bringUp();
    const planned = (): number =>
      configs.reduce((sum, c) => sum + (c.failed ? c.passes.length : (plan.repeat ?? minimumSamples(c))), 0);
    let sample = 0;
    for (;;) {
      const elapsed = Date.now() - startedAt;
      const pending = pendingConfigs(live(), byId.get(SERIAL_ID)!, plan.repeat, elapsed >= plan.budgetMs);
      if (pending.configs.length === 0) {
        stopReason = pending.reason;
        break;
      }
      shuffle(pending.configs);
      sample += 1;
      for (const c of pending.configs) {
        if (c.failed) continue;
        const done = configs.reduce((sum, x) => sum + x.passes.length, 0);
        hooks.progress(done, Math.max(planned(), done + 1), `round ${sample}: ${scopeOf(c)}`);
        try {
          const answer = await h.request(
            { op: 'pass', id: c.config.id, sample: c.passes.length },
            plan.timeoutMs,
          );
          if (answer.type === 'pass') {
            c.passes.push(answer);
            const now = snapshot();
            if (now) hooks.measured(now, c.config.id);
          } else if (answer.type === 'error') {
            fail(c, { code: answer.code, message: answer.message, scope: scopeOf(c), ...optional(answer) });
          }
        } catch (error) {
          if (!(error instanceof HarnessLost)) throw error;
          lost(c, error, 'a pass');
          if (restarts >= MAX_RESTARTS) throw new TargetFailed('the harness was lost too many times');
          restarts += 1;
          hooks.log(`[amdahl] restarting the harness for ${name} after: ${error.message}`);
          h = await bringUp();
        }
      }
    }
    hooks.progress(1, 1, `closing the pools of ${name}`);
    for (const c of live()) {
      if (c.config.id === SERIAL_ID) continue;
      const answer = await h.request({ op: 'close', id: c.config.id }, plan.timeoutMs + POOL_ALLOWANCE_MS);
      if (answer.type === 'closed') c.closed = answer;
    }
    await h.close(POOL_ALLOWANCE_MS);
  } catch (error) {
    if (error instanceof HarnessLost && error.reason === 'cancelled') {
      stopReason = 'cancelled';
      errors.push({
        code: 'cancelled',
        message: `The profile of ${name} was cancelled; what was measured is kept.`,
        scope: name,
      });
    } else if (error instanceof HarnessLost) {
      errors.push({
        code: error.reason === 'timeout' ? 'timeout' : 'worker-died',
        message: `${name}: ${error.message}.`,
        scope: name,
      });
      stopReason = 'failed';
    } else if (error instanceof TargetFailed) {
      stopReason = 'failed';
    } else {
      throw error;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    const last = harness as HarnessProcess | null;
    if (last) {
      last.killNow();
      await last.close(1000);
    }
  }
  const result = snapshot();
  if (result) result.partial = stopReason === 'cancelled' || stopReason === 'failed';
  return { measurements: result, errors };
}

/** The serial baseline, then every backend x start method x worker count, in the order they are opened. */
export function planConfigs(
  plan: Pick<MeasurePlan, 'backends' | 'startMethods' | 'workers'>,
  hello: HelloMessage,
): PoolConfig[] {
  const workers = plan.workers ?? defaultWorkers(hello.usableCores);
  const configs: PoolConfig[] = [{ id: SERIAL_ID, backend: 'serial', workers: 1 }];
  for (const backend of plan.backends) {
    const methods = START_METHOD_BACKENDS.has(backend)
      ? (plan.startMethods ?? [hello.defaultStartMethod ?? undefined])
      : [undefined];
    for (const startMethod of methods) {
      for (const k of workers) {
        const id = [backend, startMethod, `k${k}`].filter(Boolean).join('-');
        configs.push({ id, backend, workers: k, ...(startMethod ? { startMethod } : {}) });
      }
    }
  }
  return configs;
}

/** 1, 2, 4, ... up to and including the usable cores (docs/contract.md). */
export function defaultWorkers(usableCores: number): number[] {
  const counts: number[] = [];
  for (let k = 1; k < usableCores; k *= 2) counts.push(k);
  counts.push(Math.max(1, usableCores));
  return counts;
}

export function describeConfig(target: Target, config: PoolConfig): string {
  const method = config.startMethod ? ` (${config.startMethod})` : '';
  const k = config.backend === 'serial' ? '' : `, ${config.workers} worker${config.workers === 1 ? '' : 's'}`;
  return `${target.function} on ${config.backend}${method}${k}`;
}

function optional(answer: { detail?: string | undefined; input?: number | undefined }): Partial<Message> {
  return {
    ...(answer.detail !== undefined ? { detail: answer.detail } : {}),
    ...(answer.input !== undefined ? { input: answer.input } : {}),
  };
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
