// Draws a whole report (and an optional baseline) into the page: cards, messages, charts, timeline, table.
import type { Chart } from 'chart.js';
import type { Comparison } from '../protocol/comparison';
import { POP_NAMING_NOTE } from '../protocol/pop';
import type { PassRecord, Point, Report, Run } from '../protocol/report';
import { decodeColumns, taskCount, type TaskTable } from '../protocol/taskTable';
import { drawMemory, memoryScaleTop } from './charts/memory';
import { drawOverhead } from './charts/overhead';
import { drawPerWorkerMetric, efficiencyMetric, karpFlattMetric } from './charts/perWorkerMetric';
import { drawSizeEfficiency, drawWeakScaling } from './charts/sizes';
import { drawSpeedup, type Series } from './charts/speedup';
import { drawTimeline } from './charts/timeline';
import { button, h } from './dom';
import { exportFile, inVsCode, post } from './host';
import { tableRows } from './numbersTable';
import { runLabel, seriesGroup } from './runLabel';
import { summaryCards } from './sections/cards';
import { verdictSection } from './sections/verdicts';
import { capturedOutput, environmentList } from './sections/environment';
import { messageList } from './sections/messages';
import { numbersSection } from './sections/numbers';
import { popSection } from './sections/pop';
import { chunksizeSection } from './sections/chunksizes';
import { whatIfSection } from './sections/whatIf';
import { rankingSection } from './sections/ranking';
import { readTheme } from './theme';
import { toTraceEvents } from './traceEvents';

let charts: Chart[] = [];

/** Draws a chart once its canvas is in the document (chart.js sizes it from the parent). */
type Draw = (canvas: HTMLCanvasElement) => Chart;
let pending: { canvas: HTMLCanvasElement; draw: Draw }[] = [];

function chartBox(title: string, filename: string, draw: Draw, className = '', note?: string): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': title }) as HTMLCanvasElement;
  const box = h('div', { class: `chart ${className}` });
  const png = button('PNG', `Export "${title}" as PNG`, () => {
    const chart = charts.find((c) => c.canvas === canvas);
    if (chart) exportFile('png', `${filename}.png`, chart.toBase64Image('image/png', 1));
  });
  box.append(h('header', {}, h('h3', {}, title), png), h('div', { class: 'canvas-box' }, canvas));
  if (note) box.append(h('div', { class: 'note muted' }, note));
  box.dataset.chart = filename;
  pending.push({ canvas, draw });
  return box;
}

function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'run'
  );
}

export function renderReport(
  root: HTMLElement,
  report: Report,
  baseline?: Report,
  comparison?: Comparison,
): void {
  for (const chart of charts) chart.destroy();
  charts = [];
  pending = [];
  const theme = readTheme();
  const measured = report.runs.filter((run) => run.backend !== 'serial' && run.points.length > 0);
  const before = (baseline?.runs ?? []).filter((run) => run.backend !== 'serial' && run.points.length > 0);
  const series: Series[] = [
    ...measured.map((run, i) => ({ run, colour: theme.series[i % theme.series.length]!, before: false })),
    ...before.map((run, i) => ({ run, colour: theme.series[i % theme.series.length]!, before: true })),
  ];
  const sections: (HTMLElement | null)[] = [
    pageHeader(report, baseline),
    summaryCards(
      series.filter((s) => !s.before),
      before,
      report.runs,
    ),
    comparison ? verdictSection(comparison) : null,
    ...messageSections(report),
    ...rankingSection(report),
  ];
  if (series.length > 0) {
    sections.push(
      ...scalingSections(series, measured, report.environment, theme, report.taskRetention?.note),
    );
  }
  sections.push(...sizeSections(report, theme));
  sections.push(...chunksizeSection(report));
  sections.push(...whatIfSection(report));
  sections.push(
    h('h2', {}, 'Every number'),
    numbersSection(
      [
        ...tableRows(measured.length > 0 ? report.runs.filter((r) => r.points.length > 0) : report.runs),
        ...tableRows(before, true),
      ],
      tableRows(before, true).length,
    ),
    h('h2', {}, 'Environment'),
    environmentList(report),
  );
  const output = capturedOutput(report);
  if (output) sections.push(h('h2', {}, 'Captured output'), output);
  root.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
  for (const { canvas, draw } of pending) charts.push(draw(canvas));
  pending = [];
}

function pageHeader(report: Report, baseline: Report | undefined): HTMLElement {
  const env = report.environment;
  const functions = [...new Set(report.runs.map((run) => run.target.function))].join(', ');
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    button('JSON', 'Export the report as JSON', () =>
      exportFile('json', 'amdahl-report.json', JSON.stringify(report, null, 2)),
    ),
    button('Trace', 'Export the timelines as a Chrome trace event file (Perfetto, chrome://tracing)', () =>
      exportFile('trace', 'amdahl-trace.json', JSON.stringify(toTraceEvents(report))),
    ),
    inVsCode && report.runs.length > 0
      ? button(
          'Profile at sizes…',
          'Profile this function again at several input sizes (n in the inputs)',
          () => post({ type: 'profileSizes' }),
        )
      : null,
    inVsCode ? null : themeToggle(),
  );
  return h(
    'header',
    { class: 'top' },
    h(
      'div',
      {},
      h(
        'h1',
        {},
        functions ? `Parallel speedup of ${functions}` : 'Amdahl report',
        report.partial ? h('span', { class: 'badge partial' }, 'partial') : null,
      ),
      h(
        'div',
        { class: 'muted' },
        `${env.cpuModel ?? 'CPU'} · ${env.physicalCores ?? '?'} physical / ${env.usableCores} usable cores · ${env.runtime} · ${report.createdAt}`,
        baseline ? ` · compared with the report of ${baseline.createdAt} (dashed)` : '',
      ),
    ),
    toolbar,
  );
}

function messageSections(report: Report): HTMLElement[] {
  const sections: HTMLElement[] = [];
  if (report.errors.length > 0)
    sections.push(h('h2', {}, `Errors (${report.errors.length})`), messageList(report.errors, 'error'));
  if (report.warnings.length > 0)
    sections.push(
      h('h2', {}, `Warnings (${report.warnings.length})`),
      messageList(report.warnings, 'warning'),
    );
  return sections;
}

/** The three scaling charts, one overhead split per measured run, and the timeline. */
function scalingSections(
  series: Series[],
  measured: Run[],
  env: Report['environment'],
  theme: ReturnType<typeof readTheme>,
  retentionNote: string | undefined,
): (HTMLElement | null)[] {
  const sections: (HTMLElement | null)[] = [
    h('h2', {}, 'Scaling'),
    series.length > 1 ? seriesToggles(series) : null,
    h(
      'div',
      { class: 'charts' },
      chartBox(
        'Speedup against workers',
        'speedup',
        (canvas) => drawSpeedup(canvas, series, env, theme),
        'wide',
        'Points: mean speedup with its 95% CI. Thin line: the fitted model; dashed: its prediction to twice the measured range. Click a run in the legend to hide or show it with its fit.',
      ),
      chartBox(
        'Efficiency against workers',
        'efficiency',
        (canvas) => drawPerWorkerMetric(canvas, series, efficiencyMetric, theme),
        'small',
      ),
      chartBox(
        'Karp-Flatt serial fraction against workers',
        'karp-flatt',
        (canvas) => drawPerWorkerMetric(canvas, series, karpFlattMetric, theme),
        'small',
        'Flat: serial code limits the speedup. Rising with k: overhead grows with the pool.',
      ),
    ),
    h('h2', {}, 'Where the time goes'),
    h('div', { class: 'charts' }, ...measured.map((run) => overheadBox(run, theme))),
  ];
  const pop = popSection(measured);
  if (pop) sections.push(h('h2', { title: POP_NAMING_NOTE }, 'POP efficiency'), pop);
  const withMemory = measured.filter((run) => run.points.some((p) => p.memory));
  if (withMemory.length > 0) {
    const available = env.availableMemoryBytes ?? null;
    sections.push(
      h('h2', {}, 'Memory'),
      h('div', { class: 'charts' }, ...withMemory.map((run) => memoryBox(run, available, theme))),
    );
  }
  const timeline = timelineSection(measured, theme, retentionNote);
  if (timeline) sections.push(h('h2', {}, 'Per-worker timeline'), timeline);
  return sections;
}

/** Efficiency against input size (or weak scaling) per sweep, with the isoefficiency points said in words. */
function sizeSections(report: Report, theme: ReturnType<typeof readTheme>): HTMLElement[] {
  const sweeps = report.sizeSweeps ?? [];
  if (sweeps.length === 0) return [];
  return [
    h('h2', {}, 'Input size'),
    h(
      'div',
      { class: 'charts' },
      ...sweeps.map((sweep) =>
        sweep.weak
          ? chartBox(
              `Weak scaling: ${sweep.label}`,
              `weak-${slug(sweep.label)}`,
              (canvas) => drawWeakScaling(canvas, sweep, theme),
              'small',
              `k workers at n = k x ${sweep.sizes[0]}, against one worker at n = ${sweep.sizes[0]}.`,
            )
          : chartBox(
              `Efficiency against input size: ${sweep.label}`,
              `sizes-${slug(sweep.label)}`,
              (canvas) => drawSizeEfficiency(canvas, sweep, theme),
              'small',
              sweep.isoefficiency.map((i) => `k = ${i.workers}: ${i.note}.`).join(' '),
            ),
      ),
    ),
  ];
}

function overheadBox(run: Run, theme: ReturnType<typeof readTheme>): HTMLElement {
  const name = `overhead-${slug(runLabel(run))}`;
  const box = chartBox(
    `Overhead split: ${runLabel(run)}`,
    name,
    (canvas) => drawOverhead(canvas, run, theme),
    'small',
  );
  box.dataset.group = seriesGroup(run, false);
  return box;
}

/** Memory against k for one run, with what the available memory allows in words beneath. */
function memoryBox(run: Run, available: number | null, theme: ReturnType<typeof readTheme>): HTMLElement {
  const shared = run.points.some((p) => p.memory?.basis === 'process-growth');
  const fits = run.recommendation?.maxWorkersByMemory;
  const note = [
    shared
      ? 'The workers are threads of one process: its growth over its idle memory during a pass stands for them.'
      : 'One segment per worker: its peak unique memory (pages shared with other processes left out), above the parent.',
    available === null
      ? 'The memory available at the start is not known.'
      : `Dashed: ${Math.round(available / 1e6).toLocaleString('en')} MB available when the profile started; dotted: 80% of it${memoryScaleTop(run, available) === undefined ? '' : ' (both far above the top of this scale)'}.`,
    fits === null || fits === undefined ? '' : `Memory allows ${fits} worker${fits === 1 ? '' : 's'}.`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  const box = chartBox(
    `Memory: ${runLabel(run)}`,
    `memory-${slug(runLabel(run))}`,
    (canvas) => drawMemory(canvas, run, available, theme),
    'small',
    note,
  );
  box.dataset.group = seriesGroup(run, false);
  return box;
}

/** The passes of a point whose tasks the report keeps, each with the option value that picks it. */
function keptPasses(point: Point): { value: string; pass: PassRecord; counted: boolean }[] {
  const entries = [
    ...(point.timelinePasses ?? []).map((pass) => ({ pass, counted: false })),
    ...point.passes.map((pass) => ({ pass, counted: true })),
  ];
  return entries
    .filter(({ pass }) => pass.kept !== undefined && pass.kept !== 'median')
    .map((entry) => ({ ...entry, value: `${entry.counted ? 'counted' : 'timeline'}:${entry.pass.sample}` }));
}

function timelineSection(
  runs: Run[],
  theme: ReturnType<typeof readTheme>,
  retentionNote: string | undefined,
): HTMLElement | null {
  const withTasks = runs.filter((run) => run.points.some((p) => taskCount(p.tasks) > 0));
  if (withTasks.length === 0) return null;
  const runSelect = h('select', { 'aria-label': 'run' }) as HTMLSelectElement;
  const kSelect = h('select', { 'aria-label': 'workers' }) as HTMLSelectElement;
  const sampleSelect = h('select', { 'aria-label': 'sample' }) as HTMLSelectElement;
  withTasks.forEach((run, index) => runSelect.append(h('option', { value: String(index) }, runLabel(run))));
  const summary = h('span', { class: 'muted' });
  const box = chartBox('Tasks per worker', 'timeline', (canvas) => drawSelected(canvas), 'wide timeline');
  const currentRun = () => withTasks[Number(runSelect.value)] ?? withTasks[0]!;
  const currentPoint = () =>
    currentRun().points.find((p) => String(p.workers) === kSelect.value) ?? currentRun().points[0]!;
  const fillK = () => {
    const points = [...currentRun().points]
      .filter((p) => taskCount(p.tasks) > 0)
      .sort((a, b) => a.workers - b.workers);
    kSelect.replaceChildren(
      ...points.map((p) => h('option', { value: String(p.workers) }, `k = ${p.workers}`)),
    );
    kSelect.value = String(points[points.length - 1]?.workers ?? '');
  };
  const fillSamples = () => {
    sampleSelect.replaceChildren(
      h('option', { value: 'median' }, 'median sample'),
      ...keptPasses(currentPoint()).map(({ value, pass, counted }) =>
        h(
          'option',
          { value },
          `${counted ? '' : 'timeline '}sample ${pass.sample} (${(pass.wallSeconds * 1000).toFixed(1)} ms)${pass.note ? `: ${pass.note}` : ''}`,
        ),
      ),
    );
  };
  const tasks = (): TaskTable => {
    const point = currentPoint();
    const kept = keptPasses(point).find((entry) => entry.value === sampleSelect.value);
    return kept?.pass.tasks ?? point.tasks;
  };
  const retention = h('span', { class: 'muted' }, retentionNote ?? '');
  function drawSelected(canvas: HTMLCanvasElement): Chart {
    const table = tasks();
    summary.textContent = `${taskCount(table).toLocaleString('en')} tasks on ${table.workers.length} workers; colour = input`;
    return drawTimeline(canvas, decodeColumns(table), theme);
  }
  const redraw = () => {
    const canvas = box.querySelector('canvas');
    if (!canvas) return;
    const old = charts.findIndex((c) => c.canvas === canvas);
    if (old >= 0) {
      charts[old]!.destroy();
      charts.splice(old, 1);
    }
    charts.push(drawSelected(canvas));
  };
  runSelect.addEventListener('change', () => {
    fillK();
    fillSamples();
    redraw();
  });
  kSelect.addEventListener('change', () => {
    fillSamples();
    redraw();
  });
  sampleSelect.addEventListener('change', redraw);
  fillK();
  fillSamples();
  box.querySelector('header')?.append(h('div', { class: 'toolbar' }, runSelect, kSelect, sampleSelect));
  box.append(h('div', { class: 'note' }, summary, ' ', retention));
  return box;
}

/** A checkbox per run (and per baseline run): shows or hides it in every chart; keyboard reachable. */
function seriesToggles(series: Series[]): HTMLElement {
  return h(
    'fieldset',
    { class: 'toggles' },
    h('legend', {}, 'Show'),
    ...series.map(({ run, colour, before }) => {
      const group = seriesGroup(run, before);
      const input = h('input', { type: 'checkbox', checked: '' }) as HTMLInputElement;
      input.addEventListener('change', () => {
        for (const chart of charts) {
          chart.data.datasets.forEach((dataset, index) => {
            if ((dataset as { group?: string }).group === group)
              chart.setDatasetVisibility(index, input.checked);
          });
          chart.update();
        }
        document.querySelectorAll<HTMLElement>('[data-group]').forEach((box) => {
          if (box.dataset.group === group) box.hidden = !input.checked;
        });
      });
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = colour;
      return h('label', {}, input, swatch, `${before ? 'before: ' : ''}${runLabel(run)}`);
    }),
  );
}

/** The standalone page's theme: follows the system until toggled, then light or dark. */
function themeToggle(): HTMLElement {
  const label = () => `Theme: ${document.documentElement.dataset.theme ?? 'auto'}`;
  const toggle = button(label(), 'Switch between the system theme, light and dark', () => {
    const order = [undefined, 'light', 'dark'];
    const next = order[(order.indexOf(document.documentElement.dataset.theme) + 1) % order.length];
    if (next) document.documentElement.dataset.theme = next;
    else delete document.documentElement.dataset.theme;
    toggle.textContent = label();
  });
  return toggle;
}
