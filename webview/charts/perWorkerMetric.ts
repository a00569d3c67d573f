// Chart 2: a per-point metric against workers for every run: parallel efficiency S(k)/k, or the Karp-Flatt
// serial fraction e(k) = (1/S - 1/k) / (1 - 1/k), which grows with k when overhead rather than serial code limits.
import type { Point } from '../../protocol/report';
import { runLabel, seriesGroup } from '../runLabel';
import type { Theme } from '../theme';
import { lineOptions, useLog2WorkerAxis } from './baseOptions';
import { log2WorkerTicks } from '../curves';
import { Chart } from './register';
import type { Series } from './speedup';

export interface Metric {
  title: string;
  value: (point: Point) => number | null | undefined;
  /** Formats a value for the tooltip. */
  format: (value: number) => string;
}

export const efficiencyMetric: Metric = {
  title: 'efficiency S(k) / k',
  value: (point) => point.efficiency,
  format: (value) => `${(value * 100).toFixed(1)}%`,
};

export const karpFlattMetric: Metric = {
  title: 'Karp-Flatt serial fraction e(k)',
  value: (point) => (point.workers > 1 ? point.karpFlatt : null),
  format: (value) => value.toFixed(3),
};

export function drawPerWorkerMetric(
  canvas: HTMLCanvasElement,
  series: Series[],
  metric: Metric,
  theme: Theme,
): Chart {
  const datasets = series.map(({ run, colour, before }) => {
    const data = [...run.points]
      .sort((a, b) => a.workers - b.workers)
      .flatMap((point) => {
        const y = metric.value(point);
        return y === null || y === undefined || !Number.isFinite(y) ? [] : [{ x: point.workers, y }];
      });
    return {
      label: `${before ? 'before: ' : ''}${runLabel(run)}`,
      group: seriesGroup(run, before),
      data,
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      borderDash: before ? [6, 4] : [],
      pointRadius: 3.5,
      pointStyle: before ? ('rectRot' as const) : ('circle' as const),
    };
  });
  const options = lineOptions(theme, 'workers k', metric.title);
  const counts = series.flatMap(({ run }) => run.points.map((p) => p.workers));
  const ticks = log2WorkerTicks(counts, Math.max(1, ...counts));
  canvas.dataset.xScale = ticks ? 'log2' : 'linear';
  if (ticks) useLog2WorkerAxis(options, ticks, theme);
  options.plugins = {
    ...options.plugins,
    tooltip: {
      callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${metric.format(item.parsed.y ?? NaN)}` },
    },
  };
  return new Chart(canvas, { type: 'line', data: { datasets }, options });
}
