// The printed chunksize sweep (--chunksize): S at each worker count and chunksize, the recommended pair marked,
// and the sentence with its gain over the default chunking.
import type { ChunksizeSweep } from '../../protocol/report';
import { alignColumns } from './table';

export function chunksizeLines(sweep: ChunksizeSweep): string[] {
  const counts = [...new Set(sweep.cells.map((c) => c.workers))].sort((a, b) => a - b);
  const sizes = [...new Set(sweep.cells.map((c) => c.chunksize))].sort((a, b) => a - b);
  const rows: string[][] = [['chunksize', ...counts.map((k) => `k=${k}`)]];
  for (const size of sizes) {
    rows.push([
      String(size),
      ...counts.map((k) => {
        const cell = sweep.cells.find((c) => c.workers === k && c.chunksize === size);
        if (!cell) return '';
        const recommended =
          cell.workers === sweep.recommended.workers && cell.chunksize === sweep.recommended.chunksize;
        const marks = `${cell.isDefault ? ' d' : ''}${recommended ? ' *' : ''}`;
        return `${cell.speedup.mean.toFixed(2)} [${cell.speedup.ci95[0].toFixed(2)}, ${cell.speedup.ci95[1].toFixed(2)}]${marks}`;
      }),
    ]);
  }
  return [
    '',
    `Speedup by workers and chunksize, ${sweep.label} (d: the default chunking, *: recommended):`,
    ...alignColumns(rows, 1),
    `  recommended ${sweep.summary}`,
  ];
}
