// A profiled function's headline for its lens: the best parallel point, e.g. "3.4x on 4 workers, 85% efficient".
import type { Report } from './report';

export function resultSummary(report: Report, functionName: string): string {
  let best: { speedup: number; workers: number; efficiency: number; backend: string } | null = null;
  for (const run of report.runs) {
    if (run.backend === 'serial' || run.target.function !== functionName) continue;
    for (const point of run.points) {
      if (point.workers < 2 && run.points.some((other) => other.workers >= 2)) continue;
      if (!best || point.speedup.mean > best.speedup) {
        best = {
          speedup: point.speedup.mean,
          workers: point.workers,
          efficiency: point.efficiency,
          backend: run.backend,
        };
      }
    }
  }
  const partial = report.partial ? ' (partial)' : '';
  if (!best) {
    const error = report.errors[0];
    return error ? `Amdahl: no result, ${error.code}${partial}` : `Amdahl: no parallel result${partial}`;
  }
  const workers = best.workers === 1 ? '1 worker' : `${best.workers} workers`;
  return `${best.speedup.toFixed(1)}x on ${workers}, ${Math.round(best.efficiency * 100)}% efficient (${best.backend})${partial}`;
}
