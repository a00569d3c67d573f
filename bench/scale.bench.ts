// Scale: a profile of 10^4, 10^5 and 10^6 tiny tasks (serial and a process pool of 2, adaptive passes) through the
// CLI as a user runs it: the report's bytes per task, the runner's peak RSS (the CLI process runs the profile
// engine), the analysis time (the runner's own log line) and the first paint of its --html page in Chromium, with
// the growth slope of each (log-log, per decade of tasks). Bounds: 20 MB, 300 MB, 2 s and 2 s at a million.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from '../test/fixtures/reports/browser';
import { runCliMeasured, type CliRun } from './cliProcess';
import { firstPaint } from './firstPaint';

const root = path.resolve(__dirname, '..');
const spin = path.join(root, 'test', 'fixtures', 'load', 'spin.py');
const SIZES = [10_000, 100_000, 1_000_000];
const CONFIGURATIONS = 2;
const BOUNDS = { reportBytes: 20e6, rssBytes: 300e6, analysisSeconds: 2, paintMs: 2000 };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'amdahl-scale-'));

interface Row {
  tasks: number;
  reportBytes: number;
  rssBytes: number;
  analysisSeconds: number;
  paintMs: number;
  profileSeconds: number;
  passes: string;
}

/** Profiles n inputs through the CLI with the runner's log on, for its analysis time. */
async function profileOnce(n: number): Promise<{ json: string; html: string; run: CliRun }> {
  const json = path.join(scratch, `report-${n}.json`);
  const html = path.join(scratch, `report-${n}.html`);
  const args = ['profile', `${spin}:ident`, '--inputs', `range(${n})`, '--workers', '2'];
  const run = await runCliMeasured(
    [...args, '--backends', 'process', '--budget', '30', '--json', json, '--html', html, '--no-progress'],
    { AMDAHL_DEBUG: '1' },
    false,
  );
  if (run.code !== 0)
    throw new Error(`the profile of ${n} tasks exited ${run.code}:\n${run.stderr.slice(-2000)}`);
  return { json, html, run };
}

/** Least-squares slope of log(y) against log(x): 1 is linear growth, below 1 better than linear. */
function slope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  lx.forEach((x, i) => {
    num += (x - mx) * (ly[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  const rows: Row[] = [];
  try {
    for (const n of SIZES) {
      const { json, html, run } = await profileOnce(n);
      const analysis = /analysis took ([\d.]+) s/.exec(run.stderr);
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        runs: { points: { passes: { summary: unknown; kept?: string }[]; timelinePasses?: unknown[] }[] }[];
        taskRetention?: { fullPasses: number; summarizedPasses: number };
      };
      const counted = report.runs.flatMap((r) => r.points).reduce((s, p) => s + p.passes.length, 0);
      await firstPaint(browser, html); // warm-up: Chromium's code caches
      const paints = [];
      for (let i = 0; i < 3; i += 1) paints.push((await firstPaint(browser, html)).paintedMs);
      rows.push({
        tasks: n,
        reportBytes: statSync(json).size,
        rssBytes: run.peakRssBytes,
        analysisSeconds: analysis ? Number(analysis[1]) : NaN,
        paintMs: paints.sort((a, b) => a - b)[1]!,
        profileSeconds: run.wallSeconds,
        passes: `${counted} counted; ${report.taskRetention?.fullPasses ?? '?'} in full, ${report.taskRetention?.summarizedPasses ?? '?'} summarised`,
      });
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  print(rows);
}

function print(rows: Row[]): void {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  const load = os.loadavg()[0]!.toFixed(2);
  const lines = [
    '## Scale: 10^4 to 10^6 tiny tasks',
    '',
    `\`npm run bench -- scale\`: \`amdahl profile test/fixtures/load/spin.py:ident --inputs "range(n)" --workers 2 --backends process --budget 30\` (serial and one process configuration, adaptive passes; tiny tasks, so counted passes time the whole map and each configuration has one separate per-task pass), ${os.cpus().length} cores, load average ${load} at the end.`,
    '',
    '| tasks | report | bytes per task per configuration | runner peak RSS | analysis | first paint | profile wall time | passes |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.tasks.toLocaleString('en')} | ${mb(r.reportBytes)} | ${(r.reportBytes / (r.tasks * CONFIGURATIONS)).toFixed(1)} | ${mb(r.rssBytes)} | ${r.analysisSeconds.toFixed(2)} s | ${Math.round(r.paintMs)} ms | ${r.profileSeconds.toFixed(1)} s | ${r.passes} |`,
    ),
  ];
  const xs = rows.map((r) => r.tasks);
  const growth = (pick: (r: Row) => number) => slope(xs, rows.map(pick)).toFixed(2);
  lines.push(
    `| slope (log-log) | ${growth((r) => r.reportBytes)} | | ${growth((r) => r.rssBytes)} | ${growth((r) => r.analysisSeconds)} | ${growth((r) => r.paintMs)} | ${growth((r) => r.profileSeconds)} | |`,
    '',
  );
  const million = rows.find((r) => r.tasks === 1_000_000);
  if (million) {
    const checks = [
      ['report', million.reportBytes <= BOUNDS.reportBytes, `${mb(million.reportBytes)} <= 20 MB`],
      ['runner peak RSS', million.rssBytes <= BOUNDS.rssBytes, `${mb(million.rssBytes)} <= 300 MB`],
      [
        'analysis',
        million.analysisSeconds <= BOUNDS.analysisSeconds,
        `${million.analysisSeconds.toFixed(2)} s <= 2 s`,
      ],
      ['first paint', million.paintMs <= BOUNDS.paintMs, `${Math.round(million.paintMs)} ms <= 2000 ms`],
    ] as const;
    for (const [name, ok, text] of checks)
      lines.push(`- ${name} at a million tasks: ${text}: ${ok ? 'within' : 'OVER'}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
