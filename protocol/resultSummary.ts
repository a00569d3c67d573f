// A profiled function's headline for its lens: the best parallel point, e.g. "3.4x on 4 workers, 85% efficient";
// while its run goes on, the provisional one, e.g. "so far 1.8x [1.6, 2.0] on 2 workers (process), running".
import { poolCallText } from './chunksize';
import type { Report, Run } from './report';

interface Best {
  speedup: number;
  ci95: [number, number];
  workers: number;
  efficiency: number;
  backend: string;
}

/** The point with the highest speedup among the runs of functionName (k = 1 only when nothing larger ran). */
function bestPoint(runs: readonly Run[], functionName: string): Best | null {
  let best: Best | null = null;
  for (const run of runs) {
    if (run.backend === 'serial' || run.target.function !== functionName) continue;
    for (const point of run.points) {
      if (point.workers < 2 && run.points.some((other) => other.workers >= 2)) continue;
      if (!best || point.speedup.mean > best.speedup) {
        best = {
          speedup: point.speedup.mean,
          ci95: point.speedup.ci95,
          workers: point.workers,
          efficiency: point.efficiency,
          backend: run.backend,
        };
      }
    }
  }
  return best;
}

const workersText = (k: number): string => (k === 1 ? '1 worker' : `${k} workers`);

export function resultSummary(report: Report, functionName: string): string {
  const best = bestPoint(report.runs, functionName);
  const partial = report.partial ? ' (partial)' : '';
  // A measured chunksize answers with the pair to use: "Pool(4), chunksize=16: 3.1x".
  const tuned = (report.chunksizeSweeps ?? [])
    .filter((sweep) => sweep.target.function === functionName)
    .map((sweep) => ({ backend: sweep.backend, cell: sweep.recommended }))
    .sort((a, b) => b.cell.speedup.mean - a.cell.speedup.mean)[0];
  if (tuned) {
    const { cell } = tuned;
    return `${poolCallText(tuned.backend, cell.workers, cell.chunksize)}: ${cell.speedup.mean.toFixed(1)}x${partial}`;
  }
  if (!best) {
    const error = report.errors[0];
    return error ? `Amdahl: no result, ${error.code}${partial}` : `Amdahl: no parallel result${partial}`;
  }
  return `${best.speedup.toFixed(1)}x on ${workersText(best.workers)}, ${Math.round(best.efficiency * 100)}% efficient (${best.backend})${partial}`;
}

/** The lens of a function whose run is under way: its best point so far, with the interval once there is one. */
export function provisionalSummary(runs: readonly Run[], functionName: string): string | null {
  const best = bestPoint(runs, functionName);
  if (!best || !Number.isFinite(best.speedup)) return null;
  const [low, high] = best.ci95;
  const interval =
    Number.isFinite(low) && Number.isFinite(high) ? ` [${low.toFixed(2)}, ${high.toFixed(2)}]` : '';
  return `so far ${best.speedup.toFixed(2)}x${interval} on ${workersText(best.workers)} (${best.backend}), running`;
}
