// Chart 3: where the time of one run goes at each k: stacked compute and overheads, start-up and teardown beside.
import type { Run } from '../../protocol/report';
import { BESIDE_PARTS, overheadSplit, STACKED_PARTS } from '../overheadSplit';
import type { Theme } from '../theme';
import { withAlpha } from '../theme';
import { stackedBarOptions } from './baseOptions';
import { Chart } from './register';

export function drawOverhead(canvas: HTMLCanvasElement, run: Run, theme: Theme): Chart {
  const points = [...run.points].sort((a, b) => a.workers - b.workers);
  const splits = points.map(overheadSplit);
  const parts = [...STACKED_PARTS, ...BESIDE_PARTS];
  const datasets = parts.map((part, index) => {
    const beside = (BESIDE_PARTS as readonly string[]).includes(part);
    const colour = theme.components[index % theme.components.length]!;
    return {
      label: part,
      data: splits.map((split) => split[part] * 1000),
      backgroundColor: beside ? withAlpha(colour, 0.45) : colour,
      borderColor: colour,
      borderWidth: beside ? 1 : 0,
      stack: beside ? 'lifecycle' : 'pass',
      barPercentage: 0.9,
      categoryPercentage: 0.8,
    };
  });
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: points.map((p) => `k = ${p.workers}`), datasets },
    options: stackedBarOptions(
      theme,
      'milliseconds per pass',
      (item) =>
        `${item.dataset.label ?? ''}${item.dataset.stack === 'lifecycle' ? ' (once per pool)' : ''}: ${Number(item.raw).toFixed(2)} ms`,
    ),
  });
}
