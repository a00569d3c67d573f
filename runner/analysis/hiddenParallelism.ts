// Hidden parallelism (docs/method.md, "Hidden parallelism"): a "serial" loop whose library (BLAS, OpenMP) or
// task runs threads of its own already keeps more than one core busy, so a pool of k workers competes with those
// threads instead of adding cores.
import type { LoadedMessage, ThreadCensus } from '../../protocol/harness';
import type { Message } from '../../protocol/report';

/** At this many busy cores (process-wide CPU seconds per wall second) a serial loop is not serial. */
export const HIDDEN_BUSY_CORES = 1.3;

/** What the serial loop showed about its own threads. */
export interface SerialCores {
  /** Process-wide CPU seconds per wall second of the counted serial passes; null where unknown. */
  busyCores: number | null;
  /** The share of the cores other programs took meanwhile (a busy machine keeps busyCores down). */
  otherCpuShare: number | null;
  /** The warm-up pass's census of the harness's threads (Linux). */
  threads: ThreadCensus | null;
  /** The module's thread pools, as the harness saw them after the import. */
  loaded: LoadedMessage | null;
}

export interface HiddenParallelism {
  busyCores: number | null;
  /** Threads one process of the target runs at once, as measured: the working threads, or the busy cores. */
  threadsPerProcess: number;
  /** The thread pools by name (threadpoolctl's, else the loaded libraries), and threads the task started. */
  pools: string[];
  startedThreads: number;
}

/** The hidden parallelism the serial loop shows, or null where it runs one thread at a time. */
export function hiddenParallelism(serial: SerialCores): HiddenParallelism | null {
  const busy = serial.busyCores;
  const working = serial.threads?.working ?? 1;
  if (!((busy !== null && busy >= HIDDEN_BUSY_CORES) || working >= 2)) return null;
  return {
    busyCores: busy,
    threadsPerProcess: Math.max(working, busy !== null ? Math.round(busy) : 1),
    pools: poolNames(serial),
    startedThreads: serial.threads?.started ?? 0,
  };
}

/**
 * threadpoolctl's internal_api names ("openblas", "openmp") where it answered, else the libraries loaded; none
 * where the census saw only threads the tasks started working (the libraries' own pools sat idle).
 */
function poolNames(serial: SerialCores): string[] {
  if (serial.threads && serial.threads.libraries.length === 0) return [];
  const names = new Set<string>();
  for (const pool of serial.loaded?.threadpools ?? []) {
    if (pool['source'] !== 'threadpoolctl') continue;
    const api = pool['internal_api'] ?? pool['user_api'];
    if (typeof api === 'string') names.add(api);
  }
  if (names.size > 0) return [...names];
  return serial.threads?.libraries ?? [];
}

export function hiddenParallelismWarning(
  scope: string,
  hidden: HiddenParallelism,
  otherCpuShare: number | null,
): Message {
  const causes = [
    hidden.pools.length > 0 ? `the library runs its own threads (${hidden.pools.join(', ')})` : null,
    hidden.startedThreads > 0
      ? `the tasks start threads of their own (${hidden.startedThreads} during the loop)`
      : null,
  ].filter((cause): cause is string => cause !== null);
  const who =
    causes.length > 0 ? causes.join(' and ') : 'the library runs its own threads (BLAS, OpenMP, ...)';
  const busy = hidden.busyCores;
  const cores =
    busy !== null && busy >= HIDDEN_BUSY_CORES
      ? `the serial loop already keeps ${busy.toFixed(2)} cores busy`
      : `the serial loop already runs ${hidden.threadsPerProcess} threads at once` +
        (busy !== null
          ? ` (they kept ${busy.toFixed(2)} cores busy here${otherCpuShare !== null && otherCpuShare >= 0.1 ? `, while other programs took ${Math.round(otherCpuShare * 100)}% of the cores` : ''})`
          : '');
  return {
    code: 'hidden-parallelism',
    message: `${scope}: ${cores}: ${who}, so a pool of k workers competes with them.`,
    scope,
    suggestion:
      'Compare the rows with one library thread per worker (e.g. "process (fork, 1 BLAS thread)"): set OMP_NUM_THREADS=1 ' +
      'OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 before the pool starts, or call threadpoolctl.threadpool_limits(1) in ' +
      'the worker initializer; or keep the serial loop and let the library use the cores.',
  };
}
