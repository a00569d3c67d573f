// The report page in headless Chromium: the standalone file and the VS Code webview shell, drawn from real
// bundles (dist/webview.js, built here first). Screenshots land in .test-artifacts/report-page/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseReport, type Report } from '../../protocol/report';
import { decodeTasks, taskCount } from '../../protocol/taskTable';
import { renderStandaloneHtml, renderWebviewHtml } from '../../webview/shell/html';
import { TABLE_COLUMNS, toCsv, tableRows } from '../../webview/numbersTable';
import { launchChromium, openReportHtml } from '../fixtures/reports/browser';
import { largeReport, wideReport } from '../fixtures/reports/synthetic';

const root = path.resolve(__dirname, '..', '..');
const artifacts = path.join(root, '.test-artifacts', 'report-page');
let browser: Browser;

before(async () => {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

function fixture(): Report {
  const parsed = parseReport(
    JSON.parse(readFileSync(path.join(root, 'test/fixtures/reports/two-backends.json'), 'utf8')),
  );
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return parsed.value;
}

/** How many pixels of each canvas are painted (not transparent), by chart name. */
async function paintedPixels(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    for (const box of Array.from(document.querySelectorAll<HTMLElement>('[data-chart]'))) {
      const canvas = box.querySelector('canvas');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) continue;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
      counts[box.dataset.chart!] = painted;
    }
    return counts;
  });
}

async function tableCells(page: Page): Promise<{ header: string[]; rows: string[][] }> {
  return page.evaluate(() => {
    const table = document.querySelector('#numbers')!;
    const header = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent ?? '');
    const rows = Array.from(table.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.children).map((cell) => cell.textContent ?? ''),
    );
    return { header, rows };
  });
}

void test('the standalone page draws every chart, the warnings and a table whose numbers are the JSON', async () => {
  const report = fixture();
  for (const colorScheme of ['light', 'dark'] as const) {
    const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(report), { colorScheme });
    try {
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
      const painted = await paintedPixels(page);
      const expected = [
        'speedup',
        'efficiency',
        'karp-flatt',
        'timeline',
        ...['process (fork)', 'thread'].map(
          (b) => `overhead-complex-operation-${b.replace(/[^a-z]+/g, '-').replace(/-$/, '')}-cpython-3-11-2`,
        ),
      ];
      assert.deepEqual(Object.keys(painted).sort(), expected.sort());
      for (const [chart, count] of Object.entries(painted))
        assert.ok(count > 2000, `chart ${chart} is blank (${count} painted pixels)`);

      const { header, rows } = await tableCells(page);
      assert.deepEqual(header, [...TABLE_COLUMNS]);
      const runs = report.runs.filter((run) => run.points.length > 0);
      assert.equal(
        rows.length,
        runs.reduce((sum, run) => sum + run.points.length, 0),
      );
      let row = 0;
      for (const run of runs) {
        for (const point of [...run.points].sort((a, b) => a.workers - b.workers)) {
          const cells = rows[row++]!;
          assert.equal(cells[0], run.label);
          assert.equal(Number(cells[1]), point.workers);
          const expectNumber = (column: string, value: number, digits: number) => {
            const cell = Number(cells[TABLE_COLUMNS.indexOf(column as (typeof TABLE_COLUMNS)[number])]);
            assert.ok(
              Math.abs(cell - value) <= 0.5 * 10 ** -digits + 1e-12,
              `${run.label} k=${point.workers} ${column}: ${cell} vs ${value}`,
            );
          };
          expectNumber('mean s', point.wallSeconds.mean, 4);
          expectNumber('median s', point.wallSeconds.median, 4);
          expectNumber('min s', point.wallSeconds.min, 4);
          expectNumber('max s', point.wallSeconds.max, 4);
          expectNumber('stdev s', point.wallSeconds.stdev, 4);
          expectNumber('speedup', point.speedup.mean, 3);
          expectNumber('CI low', point.speedup.ci95[0], 3);
          expectNumber('CI high', point.speedup.ci95[1], 3);
          expectNumber('efficiency', point.efficiency, 3);
          if (point.karpFlatt !== null && point.karpFlatt !== undefined)
            expectNumber('Karp-Flatt', point.karpFlatt, 4);
          expectNumber('dispatch ms', point.overheadSeconds.dispatch * 1000, 2);
          expectNumber('imbalance ms', point.overheadSeconds.imbalance * 1000, 2);
          expectNumber('start-up ms', point.overheadSeconds.startup * 1000, 2);
          assert.equal(Number(cells[cells.length - 1]), point.wallSeconds.samples.length);
        }
      }

      const text = await page.evaluate(() => document.body.innerText);
      for (const warning of report.warnings) {
        assert.ok(text.includes(warning.message), `warning not shown: ${warning.message}`);
        assert.ok(text.includes(warning.suggestion!), `fix not shown: ${warning.suggestion}`);
      }
      assert.match(text, /5\.01×/, 'the best speedup card');
      assert.match(text, /4 workers reach 3\.3x/, 'the recommendation and why');
      assert.deepEqual(problems, []);
      await page.screenshot({ path: path.join(artifacts, `standalone-${colorScheme}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  }
});

const HOSTILE =
  '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2;alert(2)</script></script><script>alert(3)</script><!--';

void test('strings from a report are shown as text and run nothing', async () => {
  const report = fixture();
  for (const run of report.runs) {
    run.target.function = HOSTILE;
    run.label = `${HOSTILE} ${run.backend}`;
    run.capturedOutput = {
      stdout: HOSTILE,
      stderr: HOSTILE,
      stdoutBytes: HOSTILE.length,
      stderrBytes: HOSTILE.length,
    };
  }
  report.errors.push({
    code: 'task-raised',
    message: `ValueError: ${HOSTILE}`,
    input: 4,
    detail: HOSTILE,
    suggestion: HOSTILE,
  });
  report.warnings[0]!.message = HOSTILE;
  report.environment.cpuModel = HOSTILE;
  const { page, problems, dialogs } = await openReportHtml(
    browser,
    renderStandaloneHtml(report, { baseline: fixture() }),
  );
  try {
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.evaluate(() => document.querySelectorAll('#app img, #app script').length), 0);
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(text.includes(`ValueError: ${HOSTILE}`), 'the error message is shown literally');
    assert.ok(text.split(HOSTILE).length > 8, 'the name, output and warning are shown literally');
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(artifacts, 'hostile.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

void test('an invalid report gets a clear message naming the field, not a blank page', async () => {
  const html = renderStandaloneHtml(fixture()).replace(
    /(<script type="application\/json" id="amdahl-report">)[^<]*(<\/script>)/,
    (_, open: string, close: string) =>
      `${open}${JSON.stringify({ report: { schemaVersion: 1, runs: 'nope' } })}${close}`,
  );
  const { page } = await openReportHtml(browser, html);
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'invalid');
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /This report cannot be shown/);
    assert.match(text, /not a valid Amdahl report.*(createdAt|environment|runs)/s);
  } finally {
    await page.close();
  }
});

void test('a baseline is overlaid: before rows in the table, a change on the cards', async () => {
  const baseline = fixture();
  for (const run of baseline.runs) for (const point of run.points) point.speedup.mean *= 0.8;
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(fixture(), { baseline }));
  try {
    const { rows } = await tableCells(page);
    const beforeRows = rows.filter((row) => row[0]!.startsWith('before: '));
    assert.equal(beforeRows.length, 8, 'the process and thread points of the baseline');
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /▲ 25\.0% vs before/);
    assert.match(text, /compared with the report of/);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(artifacts, 'compare.png'), fullPage: true });

    // The run toggles work from the keyboard: hiding the process run hides its points and its overhead chart.
    const speedupBefore = (await paintedPixels(page)).speedup!;
    await page.focus('fieldset.toggles input');
    await page.keyboard.press('Space');
    assert.equal(
      await page.evaluate(
        () => document.querySelector<HTMLElement>('[data-chart^="overhead-"][data-chart*="process"]')!.hidden,
      ),
      true,
    );
    const speedupAfter = (await paintedPixels(page)).speedup!;
    assert.ok(
      speedupAfter < speedupBefore,
      `the speedup chart lost the run's pixels (${speedupBefore} -> ${speedupAfter})`,
    );
  } finally {
    await page.close();
  }
});

void test('hidden parallelism on the page: busy cores beside the speedup, "serial uses 2.0 cores", the 1 BLAS thread row', async () => {
  const report = fixture();
  const [serial, processRun] = report.runs;
  serial!.points[0]!.busyCores = 1.98;
  for (const point of processRun!.points) point.busyCores = 1.5 + point.workers / 100;
  const limited = structuredClone(processRun!);
  limited.libraryThreads = 1;
  limited.label = 'complex_operation · process (fork, 1 BLAS thread) · CPython 3.11.2';
  report.runs.push(limited);
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(report));
  try {
    const cards = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.card')).map((card) => (card as HTMLElement).innerText),
    );
    assert.equal(cards.length, 3);
    for (const card of cards) assert.match(card, /serial uses 2\.0 cores/);
    const { header, rows } = await tableCells(page);
    const column = header.indexOf('busy cores');
    assert.equal(column, header.indexOf('efficiency') + 1);
    assert.deepEqual(
      rows.filter((row) => row[0] === serial!.label).map((row) => row[column]),
      ['1.98'],
    );
    assert.deepEqual(
      rows.filter((row) => row[0] === limited.label).map((row) => row[column]),
      ['1.51', '1.52', '1.54', '1.58'],
    );
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

void test('exports download the CSV, the JSON, a PNG and a Chrome trace', async () => {
  const report = fixture();
  const { page } = await openReportHtml(browser, renderStandaloneHtml(report));
  const download = async (selector: string): Promise<{ name: string; body: Buffer }> => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: file.suggestedFilename(), body: Buffer.concat(chunks) };
  };
  try {
    const csv = await download('button[title="Export the table as CSV"]');
    assert.equal(csv.name, 'amdahl-numbers.csv');
    assert.equal(
      csv.body.toString('utf8'),
      toCsv(TABLE_COLUMNS, tableRows(report.runs.filter((r) => r.points.length > 0))),
    );
    const json = await download('button[title="Export the report as JSON"]');
    assert.deepEqual(JSON.parse(json.body.toString('utf8')), report);
    const png = await download('[data-chart="speedup"] button');
    assert.equal(png.name, 'speedup.png');
    assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const trace = JSON.parse(
      (await download('button[title^="Export the timelines"]')).body.toString('utf8'),
    ) as {
      traceEvents: { ph: string; ts?: number; dur?: number; name: string }[];
    };
    const tasks = report.runs.reduce(
      (sum, run) => sum + run.points.reduce((s, p) => s + taskCount(p.tasks), 0),
      0,
    );
    const complete = trace.traceEvents.filter((event) => event.ph === 'X');
    assert.equal(complete.length, tasks);
    const first = decodeTasks(report.runs[0]!.points[0]!.tasks)[0]!;
    assert.equal(complete[0]!.name, `input ${first.input}`);
    assert.ok(Math.abs(complete[0]!.ts! - first.start * 1e6) < 1e-6);
    assert.ok(trace.traceEvents.some((event) => event.ph === 'M' && event.name === 'thread_name'));
  } finally {
    await page.close();
  }
});

void test('20,000 tasks: the timeline is decimated and the page draws without errors', async () => {
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(largeReport(20_000)));
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
    const painted = await paintedPixels(page);
    assert.ok(painted.timeline! > 2000);
    assert.match(await page.evaluate(() => document.body.innerText), /20,000 tasks on 8 workers/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

void test('in the VS Code webview shell: ready, the report by message, live points, theme changes, exports by message', async () => {
  const nonce = 'dGVzdG5vbmNlMTIzNDU2';
  const html = renderWebviewHtml({
    scriptUri: 'https://webview.test/dist/webview.js',
    cspSource: 'https://webview.test',
    nonce,
  });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  // Served like VS Code serves a webview: the shell as a document, the bundle from the (only) resource root.
  await page.route('https://webview.test/**', (route) =>
    route.request().url().endsWith('/webview.js')
      ? route.fulfill({
          body: readFileSync(path.join(root, 'dist', 'webview.js')),
          contentType: 'text/javascript',
        })
      : route.fulfill({ body: html, contentType: 'text/html' }),
  );
  // VS Code's API as the webview sees it, recording what the page posts (text: tsx would rename a function).
  await page.addInitScript({
    content:
      'window.sent = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.sent.push(m) });',
  });
  try {
    await page.goto('https://webview.test/index.html');
    await page.waitForFunction(() =>
      (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === 'ready'),
    );
    const report = fixture();
    const process = report.runs.find((run) => run.backend === 'process')!;
    const post = (message: unknown) => page.evaluate((m) => window.postMessage(m, '*'), message as object);
    for (const point of process.points) {
      await post({
        type: 'partial',
        run: { ...process, points: [] },
        point,
        environment: report.environment,
      });
      await page.waitForFunction(
        (n) => document.querySelectorAll('#numbers tbody tr').length === n,
        process.points.indexOf(point) + 1,
      );
    }
    await post({ type: 'report', report });
    await page.waitForFunction(() => document.querySelectorAll('#numbers tbody tr').length === 9);
    const before = await paintedPixels(page);
    await page.evaluate(() => {
      document.body.classList.add('vscode-dark');
      document.documentElement.style.setProperty('--vscode-charts-blue', '#ff00ff');
    });
    await post({ type: 'theme' });
    await page.waitForTimeout(300);
    const magenta = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-chart="speedup"] canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! > 200) count += 1;
      return count;
    });
    assert.ok(magenta > 50, 'the speedup chart is redrawn in the theme colour');
    assert.ok(Object.keys(before).length >= 6);
    await page.click('button[title="Export the table as CSV"]');
    const exported = await page.evaluate(() =>
      (window as unknown as { sent: { type: string; kind?: string; filename?: string }[] }).sent.filter(
        (m) => m.type === 'export',
      ),
    );
    assert.deepEqual(
      exported.map((m) => [m.kind, m.filename]),
      [['csv', 'amdahl-numbers.csv']],
    );
    assert.deepEqual(problems, []);
    assert.equal(
      await page.evaluate(() => document.querySelector('button[title^="Switch between"]')),
      null,
      'no theme toggle in VS Code',
    );
  } finally {
    await page.close();
  }
});

void test('the POP table: rows metrics, columns k, values under 0.8 marked, the naming trap in the tooltip', async () => {
  const report = fixture();
  const pools = report.runs.filter((run) => run.backend !== 'serial');
  for (const run of pools) {
    for (const p of run.points) {
      p.pop = {
        loadBalance: 1 - p.workers / 20,
        communicationEfficiency: 0.9,
        serializationEfficiency: 1,
        transferEfficiency: 0.9,
        parallelEfficiency: 0.9 * (1 - p.workers / 20),
        computationScalability: 0.95,
        globalEfficiency: 0.95 * 0.9 * (1 - p.workers / 20),
        cpuUsefulRatio: null,
      };
    }
  }
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(report));
  try {
    const tables = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLTableElement>('table[data-pop]')).map((table) => ({
        caption: table.caption?.title ?? '',
        header: Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent),
        rows: Array.from(table.querySelectorAll('tbody tr')).map((tr) =>
          Array.from(tr.children).map((cell) => [cell.textContent, cell.classList.contains('low')]),
        ),
      })),
    );
    assert.equal(tables.length, pools.length);
    for (const [index, run] of pools.entries()) {
      const table = tables[index]!;
      const ks = [...run.points].sort((a, b) => a.workers - b.workers);
      assert.deepEqual(table.header, ['metric', ...ks.map((p) => `k = ${p.workers}`)]);
      assert.match(
        table.caption,
        /Serialisation is waiting on a dependency or the feeder's order, not pickling/,
      );
      const row = (name: string) => table.rows.find((r) => r[0]![0] === name)!;
      ks.forEach((p, column) => {
        const global = p.pop!.globalEfficiency;
        assert.deepEqual(row('Global efficiency')[column + 1], [
          `${global.toFixed(2)}${global < 0.8 ? '*' : ''}`,
          global < 0.8,
        ]);
        assert.deepEqual(row('Serialisation efficiency')[column + 1], ['1.00', false]);
        assert.deepEqual(row('CPU / useful time')[column + 1], ['–', false]);
      });
    }
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(artifacts, 'pop.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

void test('input sizes: efficiency against n with the isoefficiency points, and weak scaling against Gustafson', async () => {
  const report = fixture();
  const run = report.runs.find((r) => r.backend !== 'serial')!;
  const exact = (k: number, n: number) => n / (k * Math.ceil(n / k));
  const efficiency = [2, 3].map((workers) => ({
    workers,
    points: [4, 5, 6].map((inputSize) => ({ inputSize, efficiency: exact(workers, inputSize) })),
  }));
  report.sizeSweeps = [
    {
      target: run.target,
      backend: run.backend,
      label: 'strong sweep',
      weak: false,
      sizes: [4, 5, 6],
      efficiency,
      isoefficiency: [
        {
          workers: 2,
          inputSize: 4,
          interpolated: false,
          note: 'E(2) = 1.00 already at the smallest measured size, n = 4',
        },
        {
          workers: 3,
          inputSize: 4.78,
          interpolated: true,
          note: 'interpolated in log-size between n = 4 and n = 5',
        },
      ],
    },
    {
      target: run.target,
      backend: run.backend,
      label: 'weak sweep',
      weak: true,
      sizes: [2, 4, 6],
      efficiency: [],
      isoefficiency: [],
      weakPoints: [1, 2, 3].map((k) => ({
        workers: k,
        inputSize: 2 * k,
        scaledSpeedup: k * 0.98,
        gustafson: k - 0.02 * (k - 1),
        computationScalability: 1,
      })),
      gustafsonSerialFraction: 0.02,
    },
  ];
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(report));
  try {
    const painted = await paintedPixels(page);
    assert.ok(painted['sizes-strong-sweep']! > 500, JSON.stringify(painted));
    assert.ok(painted['weak-weak-sweep']! > 500, JSON.stringify(painted));
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /k = 3: interpolated in log-size between n = 4 and n = 5\./);
    assert.match(text, /Weak scaling: weak sweep/);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(artifacts, 'sizes.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

void test('7 worker counts on 3 backends: the charts spread k = 1 to 64 evenly, the fits and recommendations show', async () => {
  const report = wideReport();
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(report), { width: 1280 });
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
    const painted = await paintedPixels(page);
    for (const chart of ['speedup', 'efficiency', 'karp-flatt', 'timeline'])
      assert.ok(painted[chart]! > 2000, `chart ${chart} is blank (${painted[chart]} painted pixels)`);
    const scales = await page.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll<HTMLElement>('[data-chart]')).flatMap((box) => {
          const scale = box.querySelector('canvas')?.dataset.xScale;
          return scale ? [[box.dataset.chart!, scale]] : [];
        }),
      ),
    );
    assert.deepEqual(scales, { speedup: 'log2', efficiency: 'log2', 'karp-flatt': 'log2' });
    const text = await page.evaluate(() => document.body.innerText);
    for (const run of report.runs.slice(1)) assert.ok(text.includes(run.recommendation!.reason), run.label);
    const { rows } = await tableCells(page);
    assert.equal(rows.length, 1 + 3 * 7);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: path.join(artifacts, 'wide-3x7.png'), fullPage: true });
  } finally {
    await page.close();
  }
});

void test('a version 1 report opens in the page as it is (migrated there, not beforehand)', async () => {
  const v1 = JSON.parse(
    readFileSync(path.join(root, 'test/fixtures/reports/two-backends.json'), 'utf8'),
  ) as Report;
  assert.equal((v1 as { schemaVersion: number }).schemaVersion, 1);
  const { page, problems } = await openReportHtml(browser, renderStandaloneHtml(v1));
  try {
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'drawn');
    assert.ok((await paintedPixels(page)).timeline! > 2000);
    assert.match(await page.evaluate(() => document.body.innerText), /64 tasks on \d workers/);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
