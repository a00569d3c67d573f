// Chart 1: speedup against workers: measured means with 95% CI bars per run, ideal S = k, the task-count
// ceiling, the fitted curve and its dashed prediction to twice the measured range, the core boundaries.
import type { ChartDataset } from 'chart.js';
import type { Environment, Run } from '../../protocol/report';
import { fittedCurve, log2WorkerTicks, measuredMaxWorkers, taskCeiling } from '../curves';
import { runLabel, seriesGroup } from '../runLabel';
import type { Theme } from '../theme';
import { withAlpha } from '../theme';
import { lineOptions, useLog2WorkerAxis } from './baseOptions';
import type { ErrorBars } from './errorBars';
import { Chart } from './register';
import type { WorkerMarker } from './workerMarkers';

export interface Series {
  run: Run;
  colour: string;
  /** A run of the baseline report, drawn dashed and named "before". */
  before: boolean;
}

/** `group` ties a run's points, fit and prediction to one legend entry that shows or hides them together. */
type Dataset = ChartDataset<'line', { x: number; y: number }[]> & { errorBars?: ErrorBars; group: string };

export function drawSpeedup(
  canvas: HTMLCanvasElement,
  series: Series[],
  environment: Environment,
  theme: Theme,
): Chart {
  const maxK = Math.max(2, ...series.map(({ run }) => measuredMaxWorkers(run)));
  const datasets: Dataset[] = [idealDataset(maxK, theme)];
  const ceilings = new Set<number>();
  for (const entry of series) {
    datasets.push(...runDatasets(entry));
    const n = entry.run.inputCount;
    if (n !== undefined && n > 0 && !entry.before && !ceilings.has(n)) {
      ceilings.add(n);
      datasets.push(ceilingDataset(n, maxK, theme));
    }
  }
  const options = speedupOptions(datasets, coreMarkers(environment, theme), theme);
  if (options.scales?.x) options.scales.x.max = 2 * maxK;
  if (options.scales?.x) options.scales.x.min = 0;
  const ticks = log2WorkerTicks(
    series.flatMap(({ run }) => run.points.map((p) => p.workers)),
    2 * maxK,
  );
  canvas.dataset.xScale = ticks ? 'log2' : 'linear';
  if (ticks) {
    useLog2WorkerAxis(options, ticks, theme);
    // The ideal line to 2 x 64 would flatten every measured point against the axis: the scale ends a quarter
    // above the highest measured interval, and the model lines run off the top.
    const highest = Math.max(2, ...series.flatMap(({ run }) => run.points.map((p) => p.speedup.ci95[1])));
    if (options.scales?.y) options.scales.y.max = Math.ceil(highest * 1.25);
  }
  return new Chart(canvas, { type: 'line', data: { datasets }, options });
}

function idealDataset(maxK: number, theme: Theme): Dataset {
  return {
    label: 'ideal S = k',
    group: 'ideal',
    // Every whole k, so that the line stays straight on a log2 axis too.
    data: Array.from({ length: 2 * maxK }, (_, i) => ({ x: i + 1, y: i + 1 })),
    borderColor: theme.muted,
    borderDash: [2, 4],
    borderWidth: 1,
    pointRadius: 0,
  };
}

/** A run's measured points with their CI bars, its fit, and (for the current report) the dashed prediction. */
function runDatasets({ run, colour, before }: Series): Dataset[] {
  const name = `${before ? 'before: ' : ''}${runLabel(run)}`;
  const group = seriesGroup(run, before);
  const points = [...run.points].sort((a, b) => a.workers - b.workers);
  const datasets: Dataset[] = [
    {
      label: name,
      group,
      data: points.map((p) => ({ x: p.workers, y: p.speedup.mean })),
      errorBars: points.map((p) => p.speedup.ci95),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      borderDash: before ? [6, 4] : [],
      pointRadius: 4,
      pointStyle: before ? 'rectRot' : 'circle',
    },
  ];
  const curve = fittedCurve(run);
  const faded = {
    group,
    borderColor: withAlpha(colour, 0.6),
    borderWidth: 1.5,
    pointRadius: 0,
    tension: 0.3,
  };
  if (curve.measured.length > 1) datasets.push({ ...faded, label: `fit: ${name}`, data: curve.measured });
  if (curve.predicted.length > 1 && !before) {
    const label = `prediction to k = ${2 * measuredMaxWorkers(run)}: ${name}`;
    datasets.push({ ...faded, label, data: curve.predicted, borderDash: [8, 5] });
  }
  return datasets;
}

function ceilingDataset(n: number, maxK: number, theme: Theme): Dataset {
  const data = [];
  for (let k = 1; k <= 2 * maxK; k += 1) data.push({ x: k, y: taskCeiling(n, k) });
  return {
    label: `task ceiling n/⌈n/k⌉ (n = ${n})`,
    group: `ceiling ${n}`,
    data,
    borderColor: theme.warning,
    borderWidth: 1,
    borderDash: [1, 3],
    pointRadius: 0,
    stepped: 'before',
  };
}

function coreMarkers(environment: Environment, theme: Theme): WorkerMarker[] {
  const markers: WorkerMarker[] = [];
  if (environment.physicalCores !== null)
    markers.push({
      workers: environment.physicalCores,
      label: `${environment.physicalCores} physical cores`,
      colour: theme.warning,
    });
  if (environment.usableCores !== environment.physicalCores)
    markers.push({
      workers: environment.usableCores,
      label: `${environment.usableCores} usable cores`,
      colour: theme.muted,
    });
  return markers;
}

/** One legend entry per group (its first dataset) that shows or hides the whole group; CI bounds in the tooltip. */
function speedupOptions(datasets: Dataset[], markers: WorkerMarker[], theme: Theme) {
  const options = lineOptions(theme, 'workers k', 'speedup S(k) = T(1) / T(k)');
  const firstOfGroup = (index: number) =>
    datasets.findIndex((d) => d.group === datasets[index]?.group) === index;
  options.plugins = {
    ...options.plugins,
    amdahlWorkerMarkers: { markers },
    legend: {
      ...options.plugins?.legend,
      labels: { ...options.plugins?.legend?.labels, filter: (item) => firstOfGroup(item.datasetIndex ?? 0) },
      onClick: (_event, item, legend) => {
        const chart = legend.chart;
        const index = item.datasetIndex ?? 0;
        const show = !chart.isDatasetVisible(index);
        datasets.forEach((dataset, i) => {
          if (dataset.group === datasets[index]?.group) chart.setDatasetVisibility(i, show);
        });
        chart.update();
      },
    },
    tooltip: {
      callbacks: {
        label: (item) => {
          const dataset = item.dataset as Dataset;
          const bounds = dataset.errorBars?.[item.dataIndex];
          const value = `${dataset.label ?? ''}: ${item.parsed.y?.toFixed(2) ?? ''}×`;
          return bounds ? `${value} (95% CI ${bounds[0].toFixed(2)}–${bounds[1].toFixed(2)})` : value;
        },
      },
    },
  };
  return options;
}
