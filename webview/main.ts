// The report page's entry: finds the report (embedded in a standalone file, or sent by the extension),
// validates it against the schema, draws it, and redraws on theme changes and live points.
import { z } from 'zod';
import { Comparison } from '../protocol/comparison';
import {
  parseReport,
  SCHEMA_VERSION,
  type Environment,
  type Point,
  type Report,
  type Run,
} from '../protocol/report';
import { assertNever, EMBEDDED_REPORT_ID, type EmbeddedReport, type ToWebview } from '../protocol/webview';
import { h } from './dom';
import { inVsCode, post } from './host';
import { renderReport } from './page';
import { runKey } from './runLabel';
import { watchTheme } from './theme';

// zod compiles object parsers with new Function, which the CSP (no 'unsafe-eval') refuses; parse without it.
z.config({ jitless: true });

const root = document.getElementById('app') ?? document.body.appendChild(h('main', { id: 'app' }));
/** What the page shows; `live` while it is a running profile's points, until a finished report replaces it. */
let current: { report: Report; baseline?: Report; comparison?: Comparison; live?: true } | null = null;
/** The function being profiled while the page shows a run's live points; null once a report is shown. */
let running: string | null = null;
let frame = 0;

function draw(): void {
  frame = 0;
  if (!current) return;
  try {
    renderReport(root, current.report, current.baseline, current.comparison);
    if (running !== null) root.prepend(liveStatus(running, current.report));
    // "live" until a finished report is drawn: tests and tools that read the page wait for "drawn".
    document.body.dataset.state = current.live ? 'live' : 'drawn';
    // The first full draw is what the page-paint benchmark times.
    if (performance.getEntriesByName('amdahl-drawn').length === 0) performance.mark('amdahl-drawn');
  } catch (error) {
    showProblem('The report could not be drawn', error instanceof Error ? error.message : String(error));
  }
}

/** Coalesces redraws (live points, theme changes) to one per animation frame. */
function scheduleDraw(): void {
  if (frame === 0) frame = requestAnimationFrame(draw);
}

/** The line above a live report: the run is still going, and how much of it the page shows so far. */
function liveStatus(fn: string, report: Report): HTMLElement {
  const points = report.runs.reduce((sum, run) => sum + run.points.length, 0);
  return h(
    'p',
    { class: 'live', role: 'status' },
    `Profiling ${fn}: ${points} ${points === 1 ? 'point' : 'points'} measured so far. `,
    'The full report, with the fits and warnings, replaces this page when the run ends.',
  );
}

function showProblem(title: string, message: string): void {
  root.replaceChildren(
    h('div', { class: 'invalid', role: 'alert' }, h('h2', {}, title), h('pre', {}, message)),
  );
  document.body.dataset.state = 'invalid';
  post({ type: 'error', message: `${title}: ${message}` });
}

function show(report: unknown, baseline?: unknown, comparison?: unknown): void {
  performance.mark('amdahl-json');
  const parsed = parseReport(report);
  performance.mark('amdahl-valid');
  if (!parsed.ok) return showProblem('This report cannot be shown', parsed.error);
  let before: Report | undefined;
  if (baseline !== undefined) {
    const parsedBaseline = parseReport(baseline);
    if (!parsedBaseline.ok) return showProblem('The baseline report cannot be shown', parsedBaseline.error);
    before = parsedBaseline.value;
  }
  let verdicts: Comparison | undefined;
  if (comparison !== undefined) {
    const parsedComparison = Comparison.safeParse(comparison);
    if (!parsedComparison.success) {
      return showProblem('The comparison cannot be shown', parsedComparison.error.message);
    }
    verdicts = parsedComparison.data;
  }
  current = {
    report: parsed.value,
    ...(before ? { baseline: before } : {}),
    ...(verdicts ? { comparison: verdicts } : {}),
  };
  running = null;
  draw();
}

/** Starts an empty report marked partial, for live points to fill in; null (and the problem shown) if it cannot. */
function startLiveReport(environment?: Environment): { report: Report } | null {
  const parsed = parseReport({
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    environment: environment ?? {
      logicalCores: 1,
      usableCores: 1,
      physicalCores: null,
      runtime: '',
      platform: '',
    },
    runs: [],
    warnings: [],
    errors: [],
    partial: true,
  });
  if (!parsed.ok) {
    showProblem('The live report cannot be started', parsed.error);
    return null;
  }
  current = { report: parsed.value, live: true };
  return current;
}

/** A live point: upserts its run and its k into the report being drawn, starting one if needed. */
function addPoint(run: Run, point: Point, environment?: Environment): void {
  const live = current ?? startLiveReport(environment);
  if (!live) return;
  const runs = live.report.runs;
  let target = runs.find((r) => runKey(r) === runKey(run));
  if (!target) {
    target = { ...run, points: [...run.points], partial: true };
    runs.push(target);
  }
  target.points = [...target.points.filter((p) => p.workers !== point.workers), point];
  scheduleDraw();
}

/** Counts the messages received, so that a report file read after a newer message came is not shown over it. */
let received = 0;

/** Reads a report file the extension points at and shows it, unless another message has come meanwhile. */
async function showFile(url: string): Promise<void> {
  const at = received;
  let report: unknown;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    report = JSON.parse(await response.text());
  } catch (error) {
    if (at === received)
      showProblem('The report file cannot be read', error instanceof Error ? error.message : String(error));
    return;
  }
  if (at === received) show(report);
}

function receive(message: ToWebview): void {
  if (message.type !== 'theme') received += 1;
  switch (message.type) {
    case 'report':
      show(message.report, message.baseline, message.comparison);
      break;
    case 'reportFile':
      void showFile(message.url);
      break;
    case 'live':
      running = message.function;
      if (startLiveReport(message.environment)) draw();
      break;
    case 'partial':
      addPoint(message.run, message.point, message.environment);
      break;
    case 'theme':
      scheduleDraw();
      break;
    default:
      assertNever(message);
  }
}

watchTheme(scheduleDraw);
if (inVsCode) {
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));
  post({ type: 'ready' });
} else {
  const embedded = document.getElementById(EMBEDDED_REPORT_ID);
  if (!embedded?.textContent) {
    showProblem(
      'No report in this page',
      `expected a <script type="application/json" id="${EMBEDDED_REPORT_ID}">`,
    );
  } else {
    try {
      const data = JSON.parse(embedded.textContent) as EmbeddedReport;
      show(data.report, data.baseline, data.comparison);
    } catch (error) {
      showProblem('The embedded report is not JSON', error instanceof Error ? error.message : String(error));
    }
  }
}
