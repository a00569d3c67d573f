// The options every report chart shares: themed axes and legend, no animation (live points redraw at once).
import type { ChartOptions, TooltipItem } from 'chart.js';
import type { Theme } from '../theme';

/** An axis's grid, border and tick colours in the theme. */
export function axisColours(theme: Theme) {
  return {
    grid: { color: theme.grid },
    border: { color: theme.muted },
    ticks: { color: theme.muted },
  };
}

export function lineOptions(theme: Theme, xTitle: string, yTitle: string): ChartOptions<'line'> {
  const axis = (title: string) => ({
    type: 'linear' as const,
    title: { display: true, text: title, color: theme.muted },
    ...axisColours(theme),
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'nearest', intersect: false, axis: 'x' },
    scales: {
      x: { ...axis(xTitle), ticks: { color: theme.muted, precision: 0 } },
      y: { ...axis(yTitle), beginAtZero: true },
    },
    plugins: {
      legend: {
        position: 'bottom',
        labels: { color: theme.foreground, usePointStyle: true, boxWidth: 8, boxHeight: 8, padding: 12 },
      },
      tooltip: { enabled: true },
    },
  };
}

/** A bar chart stacked by each dataset's `stack`, per worker count: the overhead split, memory against k. */
export function stackedBarOptions(
  theme: Theme,
  yTitle: string,
  label: (item: TooltipItem<'bar'>) => string,
  yMax?: number,
): ChartOptions<'bar'> {
  const axes = axisColours(theme);
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { stacked: true, ...axes },
      y: {
        stacked: true,
        beginAtZero: true,
        ...(yMax !== undefined ? { max: yMax } : {}),
        title: { display: true, text: yTitle, color: theme.muted },
        ...axes,
      },
    },
    plugins: {
      legend: {
        position: 'bottom',
        labels: { color: theme.foreground, boxWidth: 10, boxHeight: 10, padding: 10 },
      },
      tooltip: { callbacks: { label } },
    },
  };
}

/** Turns a chart's x axis into a log2 worker axis with exactly these ticks (curves.ts log2WorkerTicks). */
export function useLog2WorkerAxis(
  options: ChartOptions<'line'>,
  ticks: readonly number[],
  theme: Theme,
): void {
  const x = options.scales?.x;
  if (!x) return;
  options.scales!.x = {
    ...x,
    type: 'logarithmic',
    // A little room left of k = 1, so its marker and error bar are not cut in half.
    min: 0.85,
    max: ticks[ticks.length - 1]! * 1.15,
    afterBuildTicks: (axis) => {
      axis.ticks = ticks.map((value) => ({ value }));
    },
    ticks: { color: theme.muted, callback: (value) => String(value) },
  } as NonNullable<ChartOptions<'line'>['scales']>['x'];
}
