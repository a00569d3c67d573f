// The workers x chunksize heatmap of S (--chunksize): one table per sweep, each cell shaded by its share of the
// best speedup, the default chunking and the recommended pair marked, and the measured gain over the default.
import type { ChunksizeCell, ChunksizeSweep, Report } from '../../protocol/report';
import { h } from '../dom';

export function chunksizeSection(report: Report): HTMLElement[] {
  const sweeps = report.chunksizeSweeps ?? [];
  if (sweeps.length === 0) return [];
  return [h('h2', {}, 'Workers × chunksize'), ...sweeps.map(heatmap)];
}

function heatmap(sweep: ChunksizeSweep): HTMLElement {
  const counts = [...new Set(sweep.cells.map((c) => c.workers))].sort((a, b) => a - b);
  const sizes = [...new Set(sweep.cells.map((c) => c.chunksize))].sort((a, b) => a - b);
  const best = sweep.best.speedup.mean;
  const rows = sizes.map((size) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, String(size)),
      ...counts.map((k) => {
        const cell = sweep.cells.find((c) => c.workers === k && c.chunksize === size);
        return cell ? cellOf(cell, sweep.recommended, best) : h('td', { class: 'empty' }, '');
      }),
    ),
  );
  return h(
    'div',
    { class: 'chunksizes' },
    h('p', { class: 'chunksize-summary' }, `Recommended: ${sweep.summary}.`),
    h(
      'div',
      { class: 'table-wrap pop-table' },
      h(
        'table',
        { 'data-chunksizes': sweep.label },
        h('caption', {}, `Speedup S by workers and chunksize: ${sweep.label}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'chunksize'),
            ...counts.map((k) => h('th', { scope: 'col' }, `k = ${k}`)),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
    h(
      'p',
      { class: 'note muted' },
      'Each cell: S with its 95% interval; darker is faster. d: the backend’s own chunking; ★: recommended (the smallest chunksize, at the fewest workers, within the interval of the best).',
    ),
  );
}

function cellOf(cell: ChunksizeCell, recommended: ChunksizeCell, best: number): HTMLElement {
  const chosen = cell.workers === recommended.workers && cell.chunksize === recommended.chunksize;
  const [low, high] = cell.speedup.ci95;
  const text = `${cell.speedup.mean.toFixed(2)} [${low.toFixed(2)}, ${high.toFixed(2)}]${cell.isDefault ? ' d' : ''}${chosen ? ' ★' : ''}`;
  const td = h(
    'td',
    {
      class: `heat${chosen ? ' recommended' : ''}`,
      'data-workers': String(cell.workers),
      'data-chunksize': String(cell.chunksize),
      title: `${cell.workers} workers, chunksize ${cell.chunksize}: mean ${cell.wallSeconds.mean.toFixed(4)} s per pass`,
    },
    text,
  );
  // Shaded through the CSS object model, which the page's content security policy allows.
  const share = best > 0 ? Math.max(0, Math.min(1, cell.speedup.mean / best)) : 0;
  td.style.backgroundColor = `rgba(47, 129, 247, ${(0.08 + 0.5 * share).toFixed(2)})`;
  return td;
}
