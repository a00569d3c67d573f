// How a run's backend is named wherever runs are listed: `process (fork)`, `process (fork, 1 BLAS thread)`.

/** The bracket of a run limited to `threads` BLAS/OpenMP threads per worker. */
export function limitedThreadsLabel(threads: number): string {
  return `${threads} BLAS thread${threads === 1 ? '' : 's'}`;
}

/**
 * What follows the backend in brackets: the start method, the library threads where they were limited, and the
 * chunksize where one was asked for.
 */
export function backendDetail(
  startMethod: string | undefined,
  libraryThreads: number | undefined,
  chunksize?: number,
  taskOrder?: string,
): string | undefined {
  const parts = [
    startMethod,
    libraryThreads !== undefined ? limitedThreadsLabel(libraryThreads) : undefined,
    chunksize !== undefined ? `chunksize ${chunksize}` : undefined,
    taskOrder,
  ];
  const detail = parts.filter((part): part is string => part !== undefined && part !== '').join(', ');
  return detail.length > 0 ? detail : undefined;
}

/** A run as runName sees it: its backend and what sets it apart from the other runs of that backend. */
interface RunKind {
  backend: string;
  startMethod?: string;
  libraryThreads?: number;
  chunksize?: number;
  /** "longest-first" where the inputs were submitted longest first (--order). */
  taskOrder?: string;
}

/** e.g. "process (fork, 1 BLAS thread)". */
export function backendName(run: RunKind): string {
  const detail = backendDetail(run.startMethod, run.libraryThreads, run.chunksize, run.taskOrder);
  return detail ? `${run.backend} (${detail})` : run.backend;
}

/** A run's identity among one target's runs: its backend, start method, library thread limit and chunksize. */
export function runIdentity(run: RunKind): string {
  const chunk = run.chunksize !== undefined ? `\u0000c${run.chunksize}` : '';
  const order = run.taskOrder !== undefined ? `\u0000${run.taskOrder}` : '';
  return `${run.backend}\u0000${run.startMethod ?? ''}\u0000${run.libraryThreads ?? ''}${chunk}${order}`;
}
