// Synthetic harness messages for the analysis tests: sleep-like schedules whose timings are known exactly.
import type {
  ClosedMessage,
  HelloMessage,
  LoadedMessage,
  OpenedMessage,
  PassMessage,
  PoolConfig,
  TaskTiming,
  ThreadCensus,
} from '../../protocol/harness';
import type { BackendName, Calibration, Target } from '../../protocol/report';
import type { ConfigMeasurements, TargetMeasurements } from '../../runner/analysis/measurements';

export interface ScheduleOptions {
  workers: number;
  /** Duration of each task, in input order. */
  durations: number[];
  /** P2 of the pass. */
  mapStart?: number;
  /** Idle time a worker spends before each of its tasks (dispatch latency). */
  dispatch?: number;
  /** Time from the last task's end to P4. */
  tail?: number;
  /** Worker names; default "w0", "w1", ... */
  names?: string[];
  /** CPU seconds per wall second of each task (1 for CPU-bound, 0 for sleep). */
  cpuPerSecond?: number;
  sample?: number;
  id?: string;
  resultHash?: string;
  chunksize?: number;
}

/**
 * Idle workers pull the next input, as Pool.map with chunksize 1 and thread pools do: each task goes to the
 * worker that becomes free first (lowest index on ties), after `dispatch` seconds of latency.
 */
export function schedulePass(o: ScheduleOptions): PassMessage {
  const mapStart = o.mapStart ?? 100;
  const names = o.names ?? Array.from({ length: o.workers }, (_, i) => `w${i}`);
  const free = names.map(() => mapStart);
  const tasks: TaskTiming[] = [];
  o.durations.forEach((d, input) => {
    let w = 0;
    for (let i = 1; i < free.length; i++) if (free[i]! < free[w]!) w = i;
    const start = free[w]! + (o.dispatch ?? 0);
    const end = start + d;
    free[w] = end;
    tasks.push({
      worker: names[w]!,
      input,
      start,
      end,
      ...(o.cpuPerSecond !== undefined ? { cpu: d * o.cpuPerSecond } : {}),
    });
  });
  const lastEnd = Math.max(mapStart, ...tasks.map((t) => t.end));
  return {
    type: 'pass',
    id: o.id ?? 'config',
    sample: o.sample ?? 0,
    mapStart,
    resultsIn: lastEnd + (o.tail ?? 0),
    tasks,
    resultHash: o.resultHash ?? 'hash-ok',
    ...(o.chunksize !== undefined ? { chunksize: o.chunksize } : {}),
  };
}

export interface ConfigOptions extends Omit<ScheduleOptions, 'sample' | 'mapStart' | 'id'> {
  backend: BackendName;
  startMethod?: string;
  /** Counted passes; each may stretch every task by a factor (noise), default all 1. */
  samples?: number;
  stretch?: (sample: number) => number;
  /** Pool start-up: W0 and W1 of every worker after P0, and teardown P6 - P5. */
  spawn?: number;
  ready?: number;
  teardown?: number;
  hashes?: (sample: number) => string;
  /** Process-wide CPU seconds per wall second of every pass (its `load`), and of each worker process. */
  busyCores?: number;
  workerBusyCores?: number;
  /** The warm-up pass's thread census. */
  threads?: ThreadCensus;
  libraryThreads?: number;
}

/** The pass's CPU accounting where the options give busy cores: the whole profile's, and each worker process's. */
function withLoad(o: ConfigOptions, names: string[], pass: PassMessage): PassMessage {
  if (o.busyCores === undefined) return pass;
  const seconds = pass.resultsIn - pass.mapStart;
  const workers =
    o.workerBusyCores !== undefined
      ? { workerCpuSeconds: Object.fromEntries(names.map((n) => [n, o.workerBusyCores! * seconds])) }
      : {};
  return {
    ...pass,
    load: { seconds, systemCpuSeconds: null, ownCpuSeconds: o.busyCores * seconds, ...workers },
  };
}

export function configMeasurements(o: ConfigOptions): ConfigMeasurements {
  const id =
    o.backend === 'serial'
      ? 'serial'
      : `${o.backend}${o.startMethod ? `-${o.startMethod}` : ''}-k${o.workers}`;
  const config: PoolConfig = {
    id,
    backend: o.backend,
    workers: o.workers,
    ...(o.startMethod ? { startMethod: o.startMethod } : {}),
    ...(o.libraryThreads !== undefined ? { libraryThreads: o.libraryThreads } : {}),
  };
  const names =
    o.names ?? (o.backend === 'serial' ? ['main'] : Array.from({ length: o.workers }, (_, i) => `w${i}`));
  const passAt = (sample: number): PassMessage => {
    const stretch = o.stretch?.(sample) ?? 1;
    return withLoad(
      o,
      names,
      schedulePass({
        ...o,
        names,
        durations: o.durations.map((d) => d * stretch),
        sample,
        id,
        mapStart: 100 + 10 * (sample + 1),
        ...(o.hashes ? { resultHash: o.hashes(sample) } : {}),
      }),
    );
  };
  const opened: OpenedMessage = {
    type: 'opened',
    id,
    constructStart: 50,
    constructEnd: 50 + (o.ready ?? 0),
    workers: names.map((worker, i) => ({
      worker,
      pid: 1000 + i,
      initStart: 50 + (o.spawn ?? 0),
      initEnd: 50 + (o.ready ?? 0),
    })),
    warmup: { ...passAt(-1), ...(o.threads ? { threads: o.threads } : {}) },
    ...(o.startMethod ? { startMethod: o.startMethod } : {}),
  };
  const closed: ClosedMessage | null =
    o.backend === 'serial'
      ? null
      : {
          type: 'closed',
          id,
          closeStart: 1000,
          closeEnd: 1000 + (o.teardown ?? 0),
          peakRssBytes: Object.fromEntries(names.map((n) => [n, 50_000_000])),
        };
  const count = o.samples ?? 5;
  return { config, opened, passes: Array.from({ length: count }, (_, s) => passAt(s)), closed };
}

export function hello(overrides: Partial<HelloMessage> = {}): HelloMessage {
  return {
    type: 'hello',
    runtime: 'CPython 3.11.7',
    implementation: 'CPython',
    version: '3.11.7',
    executable: '/usr/bin/python3',
    pid: 1,
    logicalCores: 8,
    usableCores: 8,
    physicalCores: 4,
    cpuModel: 'Synthetic CPU',
    platform: 'linux-x86_64',
    gil: true,
    backends: ['serial', 'process', 'thread'],
    ...overrides,
  };
}

export function loaded(inputCount: number, threadpools: Record<string, unknown>[] = []): LoadedMessage {
  return { type: 'loaded', inputCount, threadpools, importSeconds: 0.01 };
}

export const target: Target = { file: 'samples/sleep.py', function: 'nap', language: 'python' };

export function calibration(perStepSeconds: number): Calibration {
  return {
    argumentSerializeSeconds: perStepSeconds,
    argumentDeserializeSeconds: perStepSeconds,
    argumentBytes: 20,
    resultSerializeSeconds: perStepSeconds,
    resultDeserializeSeconds: perStepSeconds,
    resultBytes: 20,
    sampled: 10,
  };
}

export function targetMeasurements(
  configs: ConfigMeasurements[],
  extra: Partial<Omit<TargetMeasurements, 'configs'>> = {},
): TargetMeasurements {
  const inputCount = configs[0]?.passes[0]?.tasks.length ?? 0;
  return {
    target,
    hello: hello(),
    loaded: loaded(inputCount),
    calibration: null,
    configs,
    capturedOutput: { stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0 },
    stopReason: 'converged',
    partial: false,
    ...extra,
  };
}

/** n equal durations. */
export function equal(n: number, seconds: number): number[] {
  return Array.from({ length: n }, () => seconds);
}
