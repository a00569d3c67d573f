// The report page's benchmarks: the minified bundle against its 400 KB budget, and the first full
// paint of a report with 20,000 tasks in headless Chromium against 1 s, beside a 64-task report as baseline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { Report } from '../protocol/report';
import { renderStandaloneHtml } from '../webview/shell/html';
import { launchChromium } from '../test/fixtures/reports/browser';
import { largeReport, twoBackendReport } from '../test/fixtures/reports/synthetic';
import { firstPaint, type Paint } from './firstPaint';

const root = path.resolve(__dirname, '..');
const BUNDLE_BUDGET_BYTES = 400 * 1024;
const PAINT_BUDGET_MS = 1000;
const REPEATS = 7;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'amdahl-report-page-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(
  browser: Browser,
  report: Report,
): Promise<{ drawn: number; painted: number; all: number[] }> {
  const file = path.join(scratch, `report-${report.runs.length}-${Date.now()}.html`);
  writeFileSync(file, renderStandaloneHtml(report));
  await firstPaint(browser, file); // warm-up: Chromium's code caches
  const runs: Paint[] = [];
  for (let i = 0; i < REPEATS; i += 1) runs.push(await firstPaint(browser, file));
  return {
    drawn: median(runs.map((r) => r.drawnMs)),
    painted: median(runs.map((r) => r.paintedMs)),
    all: runs.map((r) => r.paintedMs),
  };
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  const bundle = path.join(root, 'dist', 'webview.js');
  const bundleBytes = statSync(bundle).size;
  const gzipBytes = gzipSync(readFileSync(bundle)).length;
  const browser = await launchChromium();
  try {
    const big = largeReport(20_000);
    const small = twoBackendReport();
    const bigResult = await measure(browser, big);
    const smallResult = await measure(browser, small);
    const bigHtmlBytes = renderStandaloneHtml(big).length;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const lines = [
      '## Report page',
      '',
      'Command: `npm run bench -- report-page` (headless Chromium, /usr/bin/chromium; ' +
        `median of ${REPEATS} loads of the file after one warm-up, 1280x900 viewport; ` +
        `${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)} at the end)`,
      '',
      '| measure | result | budget | ratio to budget |',
      '| --- | --- | --- | --- |',
      `| dist/webview.js, minified | ${kb(bundleBytes)} (${kb(gzipBytes)} gzipped) | ${kb(BUNDLE_BUDGET_BYTES)} | ${(bundleBytes / BUNDLE_BUDGET_BYTES).toFixed(2)} |`,
      `| first full paint, 20,000 tasks per point (${kb(bigHtmlBytes)} page) | ${ms(bigResult.painted)} (drawn at ${ms(bigResult.drawn)}) | ${ms(PAINT_BUDGET_MS)} | ${(bigResult.painted / PAINT_BUDGET_MS).toFixed(2)} |`,
      `| first full paint, 64 tasks per point (baseline) | ${ms(smallResult.painted)} (drawn at ${ms(smallResult.drawn)}) | | |`,
      '',
      `20,000-task paint / 64-task paint: ${(bigResult.painted / smallResult.painted).toFixed(2)}x. ` +
        `Every 20,000-task load: ${bigResult.all.map((v) => v.toFixed(0)).join(', ')} ms.`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (bundleBytes > BUNDLE_BUDGET_BYTES || bigResult.painted > PAINT_BUDGET_MS) process.exitCode = 1;
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
