// The task-count ceiling on speedup: n equal tasks on k workers need ceil(n/k) rounds, so S(k) <= n / ceil(n/k).

export function taskCeiling(taskCount: number, workers: number): number {
  if (taskCount <= 0 || workers <= 0) return 0;
  return taskCount / Math.ceil(taskCount / workers);
}

/** True when the ceiling is below k: fewer tasks than workers, or n not divisible by k. */
export function ceilingBinds(taskCount: number, workers: number): boolean {
  return workers > 1 && (taskCount < workers || taskCount % workers !== 0);
}

/**
 * The same ceiling when equal tasks travel in chunks of c (Pool.map) and idle workers pull the next chunk:
 * f = floor(n/c) full chunks go round the k workers, then the short chunk of r = n - f c tasks goes to a
 * least-loaded worker. The busiest worker then holds ceil(f/k) chunks when f is not a multiple of k, else
 * f/k chunks plus the short one; S(k) <= n / that load. Equals taskCeiling at c = 1.
 */
export function chunkCeiling(taskCount: number, workers: number, chunksize: number): number {
  if (taskCount <= 0 || workers <= 0 || chunksize <= 0) return 0;
  const full = Math.floor(taskCount / chunksize);
  const rest = taskCount - full * chunksize;
  const busiest =
    full % workers !== 0 ? Math.ceil(full / workers) * chunksize : (full / workers) * chunksize + rest;
  return taskCount / busiest;
}
