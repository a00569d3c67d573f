// How many BLAS/OpenMP threads one process of the target will start, from the harness's `loaded.threadpools`
// (threadpoolctl's info entries, or the *_NUM_THREADS variables and numpy's config, each with num_threads).
import type { LoadedMessage } from '../../protocol/harness';

/** The largest num_threads of any pool; null when the module loaded none (or the count is unknown). */
export function blasThreadsPerProcess(loaded: LoadedMessage | null): number | null {
  let most: number | null = null;
  for (const pool of loaded?.threadpools ?? []) {
    const threads = pool['num_threads'];
    if (typeof threads === 'number' && Number.isFinite(threads) && threads > 0) {
      most = Math.max(most ?? 0, threads);
    }
  }
  return most;
}
