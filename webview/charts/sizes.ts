// The input-size charts (docs/method.md section 10): efficiency against n per worker count with the isoefficiency
// points, and weak scaling's scaled speedup against Gustafson's line.
import type { SizeSweep } from '../../protocol/report';
import type { Theme } from '../theme';
import { lineOptions } from './baseOptions';
import { Chart } from './register';

export function drawSizeEfficiency(canvas: HTMLCanvasElement, sweep: SizeSweep, theme: Theme): Chart {
  const colour = (i: number) => theme.series[i % theme.series.length]!;
  const lines = sweep.efficiency.map((e, i) => ({
    label: `k = ${e.workers}`,
    data: e.points.map((p) => ({ x: p.inputSize, y: p.efficiency })),
    borderColor: colour(i),
    backgroundColor: colour(i),
    borderWidth: 2,
    pointRadius: 3.5,
  }));
  const reached = sweep.isoefficiency.filter((i) => i.inputSize !== null);
  const iso = {
    label: 'isoefficiency (E = 0.8; hollow: interpolated)',
    showLine: false,
    data: reached.map((i) => ({ x: i.inputSize!, y: 0.8 })),
    borderColor: theme.foreground,
    backgroundColor: reached.map((i) => (i.interpolated ? 'transparent' : theme.foreground)),
    pointStyle: 'triangle' as const,
    pointRadius: 6,
  };
  const sizes = sweep.sizes;
  const threshold = {
    label: 'E = 0.8',
    data: [
      { x: sizes[0]!, y: 0.8 },
      { x: sizes[sizes.length - 1]!, y: 0.8 },
    ],
    borderColor: theme.muted,
    borderDash: [4, 4],
    borderWidth: 1,
    pointRadius: 0,
  };
  const options = lineOptions(theme, 'input size n (log)', 'efficiency S(k) / k');
  const x = options.scales!.x!;
  options.scales!.x = {
    type: 'logarithmic',
    title: x.title,
    grid: x.grid,
    border: x.border,
    ticks: { color: theme.muted },
  };
  options.plugins = {
    ...options.plugins,
    tooltip: {
      callbacks: {
        label: (item) =>
          item.datasetIndex === lines.length
            ? (reached[item.dataIndex]?.note ?? '')
            : `${item.dataset.label ?? ''}, n = ${item.parsed.x}: ${((item.parsed.y ?? NaN) * 100).toFixed(1)}%`,
      },
    },
  };
  return new Chart(canvas, { type: 'line', data: { datasets: [...lines, iso, threshold] }, options });
}

export function drawWeakScaling(canvas: HTMLCanvasElement, sweep: SizeSweep, theme: Theme): Chart {
  const points = sweep.weakPoints ?? [];
  const s = sweep.gustafsonSerialFraction ?? 0;
  const measured = {
    label: 'scaled speedup k T(1, n0) / T(k, k n0)',
    data: points.map((p) => ({ x: p.workers, y: p.scaledSpeedup })),
    borderColor: theme.series[0]!,
    backgroundColor: theme.series[0]!,
    borderWidth: 2,
    pointRadius: 4,
  };
  const gustafson = {
    label: `Gustafson: k - s (k - 1), fitted s = ${s.toFixed(3)}`,
    data: points.map((p) => ({ x: p.workers, y: p.gustafson })),
    borderColor: theme.muted,
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
  };
  const ideal = {
    label: 'ideal S = k',
    data: points.map((p) => ({ x: p.workers, y: p.workers })),
    borderColor: theme.grid,
    borderWidth: 1,
    pointRadius: 0,
  };
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [measured, gustafson, ideal] },
    options: lineOptions(theme, 'workers k (n = k x n0)', 'scaled speedup'),
  });
}
