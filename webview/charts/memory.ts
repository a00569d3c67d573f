// Memory against k for one run: a stacked bar per worker count, the parent's peak at the bottom and one segment
// per worker above it (its unique memory, or its peak RSS where unique memory is unknown); for workers that share
// one process, the process at rest and its growth. A dashed line marks the memory available when the profile
// started, and a dotted one the 80% of it that maxWorkersByMemory plans with. Where that memory dwarfs the bars,
// the axis stops above the tallest bar (memoryScaleTop) so the bars stay readable, and the note says so.
import type { ChartDataset } from 'chart.js';
import type { Point, Run } from '../../protocol/report';
import type { Theme } from '../theme';
import { withAlpha } from '../theme';
import { stackedBarOptions } from './baseOptions';
import { Chart } from './register';

const MB = 1e6;

/** A point's stacked parts in MB: [parent, worker 1, worker 2, ...] or [process at rest, growth]. */
export function memoryParts(point: Point): number[] {
  const m = point.memory;
  if (!m) return [];
  const parent = m.parentPeakRssBytes ?? 0;
  if (m.basis === 'process-growth') return [(parent - m.peakRssBytes.max) / MB, m.peakRssBytes.max / MB];
  const fallback = (m.uniqueBytes ?? m.peakRssBytes).mean;
  const info = point.workerInfo ?? [];
  const workers = Array.from({ length: point.workers }, (_, i) => {
    const w = info[i];
    return (w?.uniqueBytes ?? w?.peakRssBytes ?? fallback) / MB;
  });
  return [parent / MB, ...workers];
}

/** The y axis's top in MB where the available memory is over ten times the tallest bar; else undefined. */
export function memoryScaleTop(run: Run, available: number | null): number | undefined {
  const tallest = Math.max(0, ...run.points.map((p) => memoryParts(p).reduce((sum, part) => sum + part, 0)));
  if (available === null || tallest <= 0 || available / MB <= 10 * tallest) return undefined;
  return Math.ceil(1.25 * tallest);
}

function stackedDatasets(points: Point[], theme: Theme) {
  const shared = points[0]?.memory?.basis === 'process-growth';
  const parts = points.map(memoryParts);
  const depth = Math.max(0, ...parts.map((p) => p.length));
  return Array.from({ length: depth }, (_, index) => {
    const colour = index === 0 ? theme.muted : theme.components[(index - 1) % theme.components.length]!;
    const label =
      index === 0
        ? shared
          ? 'the process at rest'
          : 'parent (peak)'
        : shared
          ? 'growth (the workers share one process)'
          : `worker ${index}`;
    return {
      type: 'bar' as const,
      label,
      data: parts.map((p) => p[index] ?? 0),
      backgroundColor: index === 0 ? withAlpha(colour, 0.45) : colour,
      borderColor: theme.background,
      borderWidth: 1,
      stack: 'memory',
    };
  });
}

function levelLine(label: string, value: number, count: number, colour: string, dash: number[]) {
  return {
    type: 'line' as const,
    label,
    data: Array.from({ length: count }, () => value),
    borderColor: colour,
    borderDash: dash,
    borderWidth: 2,
    pointRadius: 0,
    fill: false,
    stack: label,
  };
}

export function drawMemory(
  canvas: HTMLCanvasElement,
  run: Run,
  available: number | null,
  theme: Theme,
): Chart {
  const points = [...run.points].filter((p) => p.memory).sort((a, b) => a.workers - b.workers);
  const lines =
    available === null
      ? []
      : [
          levelLine('available at the start', available / MB, points.length, theme.foreground, [6, 4]),
          levelLine('80% of it (the plan)', (0.8 * available) / MB, points.length, theme.muted, [2, 3]),
        ];
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: points.map((p) => `k = ${p.workers}`),
      // A mixed chart: chart.js draws each dataset by its own `type`; its typings know one type per chart.
      datasets: [...stackedDatasets(points, theme), ...(lines as unknown as ChartDataset<'bar', number[]>[])],
    },
    options: stackedBarOptions(
      theme,
      'MB',
      (item) => `${item.dataset.label ?? ''}: ${Number(item.raw).toFixed(0)} MB`,
      memoryScaleTop(run, available),
    ),
  });
}
