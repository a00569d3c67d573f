// The measured chunksize (--chunksize): the workers x chunksize grid of S of each backend measured at several
// chunksizes, the recommended pair (the smallest chunksize, at the fewest workers, whose S is within the interval
// of the best one and which is not measurably slower than the backend's own chunking) and its measured gain over
// that chunking. Pure, over the built runs.
import { poolCallText } from '../../protocol/chunksize';
import type { ChunksizeCell, ChunksizeSweep, Run } from '../../protocol/report';
import { BOOTSTRAP_RESAMPLES, speedupInterval } from './bootstrap';
import { mean } from './stats';

interface MeasuredCell {
  cell: ChunksizeCell;
  samples: readonly number[];
}

/** One sweep per target, backend, start method, runtime, library threads and size that had a chunksize asked. */
export function chunksizeSweeps(runs: readonly Run[]): ChunksizeSweep[] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    // The longest-first twins (--order) measure the order, not the chunksize.
    if (run.backend === 'serial' || run.taskOrder !== undefined) continue;
    const key = [
      run.target.file,
      run.target.function,
      run.backend,
      run.startMethod ?? '',
      run.runtime ?? '',
      run.libraryThreads ?? '',
      run.inputSize ?? '',
    ].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()]
    .filter((group) => group.some((run) => run.chunksize !== undefined))
    .flatMap((group) => {
      const sweep = sweepOf(group);
      return sweep ? [sweep] : [];
    });
}

function cellsOf(group: readonly Run[]): MeasuredCell[] {
  return group.flatMap((run) =>
    run.points.flatMap((p) => {
      const chunksize = run.chunksize ?? p.chunksize;
      if (chunksize === undefined || !Number.isFinite(p.speedup.mean)) return [];
      const cell: ChunksizeCell = {
        workers: p.workers,
        chunksize,
        speedup: { mean: p.speedup.mean, ci95: p.speedup.ci95 },
        wallSeconds: { mean: p.wallSeconds.mean, ci95: p.wallSeconds.ci95 },
        isDefault: run.chunksize === undefined,
      };
      return [{ cell, samples: p.wallSeconds.samples }];
    }),
  );
}

function sweepOf(group: readonly Run[]): ChunksizeSweep | null {
  const measured = cellsOf(group).sort(
    (a, b) => a.cell.workers - b.cell.workers || a.cell.chunksize - b.cell.chunksize,
  );
  if (measured.length === 0) return null;
  const best = measured.reduce((a, b) => (b.cell.speedup.mean > a.cell.speedup.mean ? b : a));
  const floor = best.cell.speedup.ci95[0];
  const defaultAt = (workers: number) => measured.find((m) => m.cell.isDefault && m.cell.workers === workers);
  const gainOf = (cell: MeasuredCell): ChunksizeSweep['gainOverDefault'] => {
    const own = defaultAt(cell.cell.workers);
    if (!own) return null;
    if (own === cell) return { mean: 1, ci95: [1, 1], defaultChunksize: own.cell.chunksize };
    return {
      mean: mean(own.samples) / mean(cell.samples),
      ci95: speedupInterval(own.samples, cell.samples, BOOTSTRAP_RESAMPLES),
      defaultChunksize: own.cell.chunksize,
    };
  };
  // Sorted by workers, then chunksize: the first within the best's interval, and not measurably slower than the
  // default chunking at its worker count (its gain's interval reaches 1), is the recommended pair. The two
  // intervals are drawn differently (the speedup's against the serial loop, the gain's from the two pools' own
  // passes), so one can hold where the other does not.
  const recommended =
    measured.find((m) => m.cell.speedup.mean >= floor && (gainOf(m)?.ci95[1] ?? 1) >= 1) ?? best;
  const gain = gainOf(recommended);
  const first = group[0]!;
  // The default chunking's run is named as the backend is; a run at a chunksize drops it from its name.
  const named = group.find((run) => run.chunksize === undefined) ?? first;
  const label = (named.label ?? named.target.function).replace(
    / \(([^)]*?)(, )?chunksize \d+\)/,
    (_, rest: string) => (rest ? ` (${rest})` : ''),
  );
  return {
    target: first.target,
    backend: first.backend,
    ...(first.startMethod ? { startMethod: first.startMethod } : {}),
    ...(first.runtime ? { runtime: first.runtime } : {}),
    ...(first.libraryThreads !== undefined ? { libraryThreads: first.libraryThreads } : {}),
    label,
    cells: measured.map((m) => m.cell),
    best: best.cell,
    recommended: recommended.cell,
    gainOverDefault: gain,
    summary: summaryOf(first.backend, recommended.cell, gain),
  };
}

const interval = ([low, high]: readonly [number, number]): string =>
  `[${low.toFixed(2)}, ${high.toFixed(2)}]`;

/** e.g. "Pool(4), chunksize=16: 3.10x [3.02, 3.18]; 1.42x [1.35, 1.50] as fast as the default (chunksize=250)". */
function summaryOf(
  backend: Run['backend'],
  cell: ChunksizeCell,
  gain: ChunksizeSweep['gainOverDefault'],
): string {
  const head = `${poolCallText(backend, cell.workers, cell.chunksize)}: ${cell.speedup.mean.toFixed(2)}x ${interval(cell.speedup.ci95)}`;
  if (!gain) return `${head}; the default chunking was not measured at ${cell.workers} workers`;
  if (cell.isDefault) return `${head}; the default chunking is already the best measured`;
  const chunk = gain.defaultChunksize !== null ? ` (chunksize=${gain.defaultChunksize})` : '';
  return `${head}; ${gain.mean.toFixed(2)}x ${interval(gain.ci95)} the speed of the default chunking${chunk}`;
}
