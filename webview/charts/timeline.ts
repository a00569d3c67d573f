// Chart 4: one pass on a per-worker timeline: a row per worker, each task a bar coloured by its input, with a
// tooltip naming input and duration. Tasks are decimated to about the canvas width, so a million stay smooth.
import type { TaskColumns } from '../../protocol/taskTable';
import { decimateTasks, type Segment } from '../decimate';
import type { Theme } from '../theme';
import { axisColours } from './baseOptions';
import { Chart } from './register';

/** A stable, well-spread colour per input: the golden angle walks the hue circle. */
export function inputColour(input: number, theme: Theme): string {
  const hue = (input * 137.508) % 360;
  const dark = /^(#[0-3]|rgb\(\s*[0-5]?\d,)/i.test(theme.background);
  return `hsl(${hue.toFixed(1)}, 62%, ${dark ? 58 : 46}%)`;
}

export function drawTimeline(canvas: HTMLCanvasElement, tasks: TaskColumns, theme: Theme): Chart {
  // A slot of two pixels: finer bars cannot be told apart, and each bar costs chart.js time to lay out.
  const resolution = Math.max(150, (canvas.parentElement?.clientWidth ?? 1000) / 2);
  const segments = decimateTasks(tasks, resolution);
  const workers = [...tasks.workers].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const data = segments.map((segment) => ({
    x: [segment.start * 1000, segment.end * 1000] as [number, number],
    y: segment.worker,
  }));
  const colours = segments.map((segment) => inputColour(segment.input, theme));
  const axes = axisColours(theme);
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: workers,
      datasets: [
        {
          label: 'tasks',
          data: data as unknown as number[],
          backgroundColor: colours,
          borderWidth: 0,
          borderSkipped: false,
          barPercentage: 0.8,
          categoryPercentage: 0.95,
          grouped: false,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      normalized: true,
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'milliseconds from the start of the pass', color: theme.muted },
          ...axes,
        },
        y: { type: 'category', title: { display: true, text: 'worker', color: theme.muted }, ...axes },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? segmentTitle(segments[items[0].dataIndex]) : ''),
            label: (item) => segmentLabel(segments[item.dataIndex]),
          },
        },
      },
    },
  });
}

function segmentTitle(segment: Segment | undefined): string {
  if (!segment) return '';
  return segment.count === 1
    ? `input ${segment.input}`
    : `${segment.count} tasks, inputs ${segment.input}–${segment.lastInput}`;
}

function segmentLabel(segment: Segment | undefined): string {
  if (!segment) return '';
  const duration = (segment.end - segment.start) * 1000;
  return `${segment.worker}: ${duration.toFixed(duration < 10 ? 3 : 1)} ms, from ${(segment.start * 1000).toFixed(2)} ms`;
}
