// How a run's backend is named wherever runs are listed: `process (fork)`, `process (fork, 1 BLAS thread)`.

/** The bracket of a run limited to `threads` BLAS/OpenMP threads per worker. */
export function limitedThreadsLabel(threads: number): string {
  return `${threads} BLAS thread${threads === 1 ? '' : 's'}`;
}

/** What follows the backend in brackets: the start method, and the library threads where they were limited. */
export function backendDetail(
  startMethod: string | undefined,
  libraryThreads: number | undefined,
): string | undefined {
  const parts = [startMethod, libraryThreads !== undefined ? limitedThreadsLabel(libraryThreads) : undefined];
  const detail = parts.filter((part): part is string => part !== undefined && part !== '').join(', ');
  return detail.length > 0 ? detail : undefined;
}

/** e.g. "process (fork, 1 BLAS thread)". */
export function backendName(run: { backend: string; startMethod?: string; libraryThreads?: number }): string {
  const detail = backendDetail(run.startMethod, run.libraryThreads);
  return detail ? `${run.backend} (${detail})` : run.backend;
}

/** A run's identity among one target's runs: its backend, start method and library thread limit. */
export function runIdentity(run: { backend: string; startMethod?: string; libraryThreads?: number }): string {
  return `${run.backend}\u0000${run.startMethod ?? ''}\u0000${run.libraryThreads ?? ''}`;
}
