// The report page's tuning sections in headless Chromium, from a report the analysis built: the workers x
// chunksize heatmap, the what-if table with "on a machine with N cores", and the ranking across targets; every
// string from the report shown as text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Target } from '../../protocol/report';
import { buildReport } from '../../runner/analysis/buildReport';
import { renderStandaloneHtml } from '../../webview/shell/html';
import { launchChromium, openReportHtml } from '../fixtures/reports/browser';
import { configMeasurements, equal, targetMeasurements } from '../unit/analysisSynthetic';

const root = path.resolve(__dirname, '..', '..');
const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)"><script>alert(2)</script>';
let browser: Browser;

before(async () => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

function tuned(target: Target, scale: number) {
  const durations = equal(40, 0.01 * scale);
  const pool = (workers: number, dispatch: number, chunksize?: number) => {
    const c = configMeasurements({ backend: 'process', workers, durations, dispatch: dispatch * scale });
    if (chunksize !== undefined) c.config = { ...c.config, id: `${c.config.id}-c${chunksize}`, chunksize };
    for (const pass of c.passes) pass.chunksize = chunksize ?? Math.ceil(40 / (4 * workers));
    return c;
  };
  return targetMeasurements(
    [
      configMeasurements({ backend: 'serial', workers: 1, durations }),
      pool(1, 0.004),
      pool(2, 0.004),
      pool(1, 0.01, 1),
      pool(2, 0.01, 1),
      pool(2, 0.001, 8),
    ],
    { target },
  );
}

void test('the heatmap, the what-if table with N cores, and the ranking headline, as text', async () => {
  const slow: Target = { file: 'work.py', function: `pure${HOSTILE}`, language: 'python' };
  const fast: Target = { file: 'work.py', function: 'vectorized', language: 'python' };
  const report = buildReport([tuned(slow, 1), tuned(fast, 0.1)], { errors: [], environment: null });
  const { page, problems, dialogs } = await openReportHtml(browser, renderStandaloneHtml(report));
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
    const heat = await page.evaluate(() =>
      Array.from(document.querySelectorAll('table[data-chunksizes] td.heat')).map((td) => [
        (td as HTMLElement).dataset.workers,
        (td as HTMLElement).dataset.chunksize,
        td.textContent,
      ]),
    );
    // Two sweeps (one per target), each with k = 1, 2 at the default chunking and chunksize 1, and k = 2 at 8.
    assert.equal(heat.length, 10, JSON.stringify(heat));
    const recommended = await page.evaluate(() =>
      Array.from(document.querySelectorAll('td.heat.recommended')).map((td) => td.textContent),
    );
    assert.deepEqual(recommended.length, 2);
    assert.match(recommended[0]!, /^1\.82 \[1\.82, 1\.82\] ★$/);
    const summaries = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.chunksize-summary')).map((p) => p.textContent),
    );
    assert.match(summaries[0]!, /^Recommended: Pool\(2\), chunksize=8: 1\.82x/);
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('table[data-what-if] tbody tr')).map((tr) => tr.textContent),
    );
    assert.ok(
      rows.some((row) => /dispatch and serialization free.*\(prediction\)/.test(row ?? '')),
      rows.join('\n'),
    );
    // N typed in: S(N) from the fitted model, labelled a prediction.
    const input = page.locator('p.machine input').first();
    await input.fill('64');
    const answer = await page.locator('p.machine output').first().textContent();
    assert.match(
      answer ?? '',
      /^S\(64\) ≈ \d+\.\d\dx \[\d+\.\d\d, \d+\.\d\d\] \(prediction from the model fitted up to 2 workers\)$/,
    );
    const headline = await page.locator('.ranking-headline').first().textContent();
    assert.match(
      headline ?? '',
      /^vectorized, process \(chunksize 8\), 2 workers: 10\.0x .* faster than the best pool of pure<img/,
    );
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#app img, #app script').length), 0);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
