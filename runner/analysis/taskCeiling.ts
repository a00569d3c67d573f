// The task-count ceiling on speedup: n equal tasks on k workers need ceil(n/k) rounds, so S(k) <= n / ceil(n/k).

export function taskCeiling(taskCount: number, workers: number): number {
  if (taskCount <= 0 || workers <= 0) return 0;
  return taskCount / Math.ceil(taskCount / workers);
}

/** True when the ceiling is below k: fewer tasks than workers, or n not divisible by k. */
export function ceilingBinds(taskCount: number, workers: number): boolean {
  return workers > 1 && (taskCount < workers || taskCount % workers !== 0);
}
