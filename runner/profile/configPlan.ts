// Which configurations a target is measured in, and how a message names one: the serial baseline, then every
// backend x start method x worker count, from what the runtime's hello says it has.
import { LIBRARY_THREAD_BACKENDS, START_METHOD_BACKENDS } from '../../protocol/backends';
import type { ChunksizeChoice } from '../../protocol/chunksize';
import type { TaskOrder } from '../../protocol/taskOrder';
import type { HelloMessage, PoolConfig } from '../../protocol/harness';
import type { BackendName, Target } from '../../protocol/report';
import { backendDetail } from '../../protocol/runName';

export const SERIAL_ID = 'serial';

export interface ConfigChoices {
  /** Backends besides serial, start methods to compare (null: the runtime's default) and worker counts. */
  backends: BackendName[];
  startMethods: string[] | null;
  workers: number[] | null;
  /** --chunksize: planned once the inputs are loaded (chunksizePlan.ts); null or absent: the default chunking. */
  chunksize?: ChunksizeChoice | null;
  /** --order: longest-first adds each pool with the inputs longest first (orderPlan.ts). */
  order?: TaskOrder;
}

/** The serial baseline first, then every backend x start method x worker count, in the order they are opened. */
export function planConfigs(plan: ConfigChoices, hello: HelloMessage): [PoolConfig, ...PoolConfig[]] {
  const workers = plan.workers ?? defaultWorkers(hello.usableCores);
  const configs: [PoolConfig, ...PoolConfig[]] = [{ id: SERIAL_ID, backend: 'serial', workers: 1 }];
  for (const backend of plan.backends) {
    const methods = START_METHOD_BACKENDS.has(backend)
      ? (plan.startMethods ?? [hello.defaultStartMethod ?? undefined])
      : [undefined];
    for (const startMethod of methods) {
      for (const k of workers) {
        configs.push({
          id: configId(backend, startMethod, k),
          backend,
          workers: k,
          ...(startMethod ? { startMethod } : {}),
        });
      }
    }
  }
  return configs;
}

function configId(
  backend: BackendName,
  startMethod: string | undefined,
  k: number,
  libraryThreads?: number,
): string {
  const limited = libraryThreads !== undefined ? `t${libraryThreads}` : undefined;
  return [backend, startMethod, `k${k}`, limited].filter(Boolean).join('-');
}

/**
 * The configurations to add when the serial loop shows hidden parallelism: each planned one whose workers'
 * BLAS/OpenMP threads Amdahl can limit, again with `threads` library threads per worker.
 */
export function limitedThreadConfigs(configs: readonly PoolConfig[], threads: number): PoolConfig[] {
  return configs
    .filter((c) => LIBRARY_THREAD_BACKENDS.has(c.backend) && c.libraryThreads === undefined)
    .map((c) => ({
      ...c,
      id: configId(c.backend, c.startMethod, c.workers, threads),
      libraryThreads: threads,
    }));
}

/**
 * More workers than inputs only adds idle workers: each such count becomes the input count, and a count that
 * then repeats another of the same backend and start method is dropped. Returns the kept configurations and
 * the worker counts that were clamped.
 */
export function clampToInputs<C extends { config: PoolConfig }>(
  configs: C[],
  inputCount: number,
): { kept: C[]; clamped: number[] } {
  if (inputCount < 1) return { kept: configs, clamped: [] };
  const clamped = new Set<number>();
  const seen = new Set<string>();
  const kept: C[] = [];
  for (const c of configs) {
    const { backend, startMethod, workers } = c.config;
    if (backend !== 'serial' && workers > inputCount) {
      clamped.add(workers);
      const id = configId(backend, startMethod, inputCount, c.config.libraryThreads);
      c.config = { ...c.config, id, workers: inputCount };
    }
    if (seen.has(c.config.id)) continue;
    seen.add(c.config.id);
    kept.push(c);
  }
  return { kept, clamped: [...clamped] };
}

/** 1, 2, 4, ... up to and including the usable cores (docs/contract.md). */
export function defaultWorkers(usableCores: number): number[] {
  const counts: number[] = [];
  for (let k = 1; k < usableCores; k *= 2) counts.push(k);
  counts.push(Math.max(1, usableCores));
  return counts;
}

export function describeConfig(target: Target, config: PoolConfig): string {
  const detail = backendDetail(config.startMethod, config.libraryThreads, config.chunksize, config.taskOrder);
  const method = detail ? ` (${detail})` : '';
  const k = config.backend === 'serial' ? '' : `, ${config.workers} worker${config.workers === 1 ? '' : 's'}`;
  return `${target.function} on ${config.backend}${method}${k}`;
}
