// The CI gate end to end with exact ground truth (sleep tasks, docs/method.md section 5): --assert and exit status 3,
// `amdahl compare` of 50 ms against 100 ms tasks (every point twice as slow), the overlay page with its verdicts in
// Chromium, `amdahl report`, and the clear exit-2 errors for reports that cannot be used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Comparison } from '../../protocol/comparison';
import { parseReport } from '../../protocol/report';
import { launchChromium, openReportHtml } from '../fixtures/reports/browser';
import { repoRoot, runCli } from './cliRunner';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');
const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-gate-'));
const fastReport = path.join(dir, 'fast.json');
const slowReport = path.join(dir, 'slow.json');
const profileArgs = ['--backends', 'thread', '--workers', '1,2', '--repeat', '5'];

/** Runs `amdahl <args>` (compare, report: no harness) and returns its exit status and output. */
function amdahl(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'amdahl.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  // The same file name and function with 100 ms naps: the "new" code of a regression.
  const slowDir = path.join(dir, 'slow');
  mkdirSync(slowDir);
  writeFileSync(
    path.join(slowDir, 'sleepy.py'),
    readFileSync(sleepy, 'utf8').replace('NAP_SECONDS = 0.05', 'NAP_SECONDS = 0.1'),
  );
  const slow = await runCli(
    [`${path.join(slowDir, 'sleepy.py')}:nap`, ...profileArgs, '--json', slowReport],
    {
      readReport: false,
    },
  );
  assert.equal(slow.code, 0, slow.stderr);
});

void test('sleep tasks on threads: speedup >= 1.8 at 2 and recommended >= 2 pass (exit 0)', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    ...profileArgs,
    '--assert',
    'thread:speedup>=1.8@2',
    '--assert',
    'thread:recommended>=2',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const assertions = result.report!.assertions!;
  assert.deepEqual(
    assertions.map((a) => [a.expression, a.passed]),
    [
      ['thread:speedup>=1.8@2', true],
      ['thread:recommended>=2', true],
    ],
  );
  assert.ok(Math.abs(assertions[0]!.value! - 2) < 0.1 && assertions[0]!.ci95![0] >= 1.8);
  assert.equal(assertions[1]!.value, 2);
  assert.match(result.stdout, /PASS {2}thread:speedup>=1\.8@2/);
  writeFileSync(fastReport, JSON.stringify(result.report));
  assert.deepEqual(result.leftovers, []);
});

void test('speedup >= 2.5 at 2 fails: exit 3, the report and the summary (with --compare verdicts) are still written', async () => {
  const markdown = path.join(dir, 'failed.md');
  const result = await runCli([
    `${sleepy}:nap`,
    ...profileArgs,
    '--assert',
    'thread:speedup>=2.5@2',
    '--markdown',
    markdown,
    '--compare',
    slowReport,
  ]);
  assert.equal(result.code, 3, result.stderr);
  const [failed] = result.report!.assertions!;
  assert.equal(failed!.passed, false);
  assert.ok(failed!.ci95![0] < 2.5);
  assert.match(result.stdout, /FAIL {2}thread:speedup>=2\.5@2/);
  const summary = readFileSync(markdown, 'utf8');
  assert.match(summary, /### Assertions: 1 of 1 failed/);
  assert.match(summary, /\| ❌ fail \| thread\\:speedup\\>=2\.5\\@2 \|/);
  // --compare adds the verdicts against the 100 ms report: every point faster, at half the time.
  assert.match(
    summary,
    /## Amdahl: comparison[\s\S]*\*\*0 slower, 3 faster, 0 no change at 95% confidence\*\*/,
  );
});

void test('an assertion on a backend or k not measured is bad usage, found before anything runs', async () => {
  for (const expression of ['thread:speedup>=1.8@4', 'process:speedup>=1.8@2']) {
    const result = await runCli([`${sleepy}:nap`, ...profileArgs, '--assert', expression]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--assert ".*": .* not measured/);
    assert.equal(result.report, null, 'nothing ran, so no report');
    assert.ok(result.seconds < 5, `took ${result.seconds} s`);
  }
});

void test('compare 50 ms tasks with 100 ms tasks: every point slower, ratio 2 within 5%, the 10% gate exits 3', async () => {
  const json = path.join(dir, 'comparison.json');
  const markdown = path.join(dir, 'comparison.md');
  const html = path.join(dir, 'comparison.html');
  const result = amdahl([
    'compare',
    fastReport,
    slowReport,
    '--fail-on-regression',
    '10',
    '--json',
    json,
    '--markdown',
    markdown,
    '--html',
    html,
  ]);
  assert.equal(result.code, 3, result.stderr);
  const comparison = Comparison.parse(JSON.parse(readFileSync(json, 'utf8')));
  assert.deepEqual(
    comparison.points.map((p) => `${p.backend}@${p.workers}`),
    ['serial@1', 'thread@1', 'thread@2'],
  );
  for (const point of comparison.points) {
    assert.equal(point.verdict, 'slower');
    assert.ok(
      Math.abs(point.ratio - 2) / 2 < 0.05,
      `${point.backend}@${point.workers}: ratio ${point.ratio}`,
    );
    assert.ok(point.ci95[0] > 1.1, String(point.ci95));
  }
  assert.equal(comparison.regression?.failed, true);
  assert.match(result.stdout, /3 slower, 0 faster, 0 no change at 95% confidence/);
  assert.match(result.stdout, /Regression: a point is slower by more than 10%/);
  assert.match(
    readFileSync(markdown, 'utf8'),
    /\| sleepy\.py\\:nap \| thread \| CPython 3\.\d+ \| 2 \|.*🔴 slower \|/,
  );

  // The overlay page shows the verdicts: in Chromium, with the page's script, and in its script-free fallback.
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<noscript>[\s\S]*Compared with the baseline[\s\S]*<\/noscript>/);
  const browser = await launchChromium();
  try {
    const opened = await openReportHtml(browser, page);
    const verdicts = await opened.page.$$eval('#verdicts tbody tr', (rows) =>
      rows.map((row) => (row as HTMLElement).dataset.verdict),
    );
    assert.deepEqual(verdicts, ['slower', 'slower', 'slower']);
    assert.match((await opened.page.textContent('header.top')) ?? '', /compared with the report of/);
    assert.deepEqual(opened.problems, []);
  } finally {
    await browser.close();
  }
});

void test('a report compared with itself: no change everywhere, exit 0 even with a gate', () => {
  const result = amdahl(['compare', fastReport, fastReport, '--fail-on-regression', '10', '--json', '-']);
  assert.equal(result.code, 0, result.stderr);
  const comparison = Comparison.parse(JSON.parse(result.stdout));
  assert.equal(comparison.points.length, 3);
  assert.ok(comparison.points.every((p) => p.verdict === 'no change' && p.ratio === 1));
  assert.match(result.stderr, /0 slower, 0 faster, 3 no change/, 'the table goes to stderr when - is stdout');
});

void test('reports that cannot be compared or rendered: one clear sentence and exit 2', () => {
  const notJson = path.join(dir, 'not.json');
  writeFileSync(notJson, 'not json');
  const future = path.join(dir, 'future.json');
  writeFileSync(
    future,
    JSON.stringify({ ...JSON.parse(readFileSync(fastReport, 'utf8')), schemaVersion: 3 }),
  );
  const invalid = path.join(dir, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ schemaVersion: 2, runs: 'none' }));
  const other = path.join(dir, 'other.json');
  const otherReport = JSON.parse(readFileSync(fastReport, 'utf8')) as {
    runs: { target: { function: string } }[];
  };
  for (const run of otherReport.runs) run.target.function = 'uneven_nap';
  writeFileSync(other, JSON.stringify(otherReport));
  const cases: [string[], RegExp][] = [
    [
      ['compare', fastReport, path.join(dir, 'missing.json')],
      /missing\.json: cannot read the report: no such file/,
    ],
    [['compare', notJson, fastReport], /not\.json: not a JSON file/],
    [
      ['compare', fastReport, future],
      /future\.json: a report of schemaVersion 3; this version of Amdahl reads schemaVersion 1 and 2/,
    ],
    [
      ['compare', fastReport, other],
      /cannot compare: the reports have no target, backend and interpreter in common/,
    ],
    [['compare', fastReport], /compare takes two reports/],
    [
      ['compare', fastReport, fastReport, '--assert', 'thread:speedup>=1@2'],
      /--assert is not an option of "amdahl compare"/,
    ],
    [
      ['compare', fastReport, fastReport, '--fail-on-regression', 'ten'],
      /--fail-on-regression is a percentage/,
    ],
    [['report', invalid], /invalid\.json: not a valid Amdahl report \(schemaVersion 2\): createdAt/],
    [['report', future], /schemaVersion 3/],
  ];
  for (const [args, pattern] of cases) {
    const result = amdahl(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern, args.join(' '));
  }
});

void test('amdahl report renders a stored report: its summary, page and Markdown', () => {
  const html = path.join(dir, 'stored.html');
  const markdown = path.join(dir, 'stored.md');
  const result = amdahl(['report', fastReport, '--html', html, '--markdown', markdown]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /PASS {2}thread:speedup>=1\.8@2/);
  assert.match(readFileSync(html, 'utf8'), /<title>Amdahl report<\/title>/);
  const parsed = parseReport(JSON.parse(readFileSync(fastReport, 'utf8')));
  assert.ok(parsed.ok);
  const summary = readFileSync(markdown, 'utf8');
  assert.match(summary, /^## Amdahl: nap/);
  assert.match(summary, /\| thread \| 2 \| 0\.2\d+ \| [12]\.\d\d \[[12]\.\d\d, [12]\.\d\d\] \| \d+% \| 5 \|/);
  assert.match(summary, /### Assertions: all passed/);
});
