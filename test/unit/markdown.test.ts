// --markdown: the summary renders as GitHub-flavoured Markdown (markdown-it, with raw HTML on as GitHub allows
// some), and hostile strings from user code (pipes, backticks, HTML, newlines, emphasis, links) stay text in
// their own cell: every table row has as many cells as its header, and each cell reads as the original.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { Report } from '../../protocol/report';
import { escapeControl } from '../../protocol/terminalText';
import { compareReports } from '../../runner/analysis/compare';
import { comparisonMarkdown, markdownText, reportMarkdown } from '../../runner/cli/markdown';
import { twoBackendReport } from '../fixtures/reports/synthetic';

const HOSTILE =
  'f|x` `<b>bold</b><script>alert(1)</script>\nnext | line *em* _u_ [a](http://x) ![i](y) &amp; ~~s~~ $m$ :x: @team #1 \\|';

const md = new MarkdownIt({ html: true, linkify: true });

interface Table {
  header: string[];
  rows: string[][];
}

/** The text a reader sees in an inline token, and the kinds of inline nodes it holds. */
function inlineText(token: Token): { text: string; kinds: Set<string> } {
  const kinds = new Set<string>();
  let text = '';
  for (const child of token.children ?? []) {
    kinds.add(child.type);
    if (child.type === 'text' || child.type === 'code_inline') text += child.content;
  }
  return { text, kinds };
}

function tables(source: string): { tables: Table[]; inlineKinds: Set<string>; html: string } {
  const tokens = md.parse(source, {});
  const found: Table[] = [];
  const inlineKinds = new Set<string>();
  let current: Table | null = null;
  let row: string[] | null = null;
  let inHead = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'table_open':
        current = { header: [], rows: [] };
        break;
      case 'table_close':
        if (current) found.push(current);
        current = null;
        break;
      case 'thead_open':
      case 'thead_close':
        inHead = token.type === 'thead_open';
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (current && row) {
          if (inHead) current.header = row;
          else current.rows.push(row);
        }
        row = null;
        break;
      case 'inline': {
        const { text, kinds } = inlineText(token);
        for (const kind of kinds) inlineKinds.add(kind);
        if (row) row.push(text);
      }
    }
  }
  return { tables: found, inlineKinds, html: md.render(source) };
}

function hostileReport(): Report {
  const report = twoBackendReport();
  for (const run of report.runs) {
    run.target.function = HOSTILE;
    run.target.file = `dir/${HOSTILE}.py`;
    run.label = `${HOSTILE} · ${run.backend}`;
    if (run.recommendation) run.recommendation.reason = HOSTILE;
  }
  report.errors = [{ code: 'task-raised', message: `ValueError: ${HOSTILE}`, suggestion: HOSTILE }];
  report.warnings = [{ code: 'noisy', message: HOSTILE }];
  report.assertions = [
    {
      expression: 'process:speedup>=1.5@2',
      passed: true,
      value: 1.8,
      ci95: [1.75, 1.86],
      scope: run0Label(report),
    },
    { expression: 'process:speedup>=9@4', passed: false, value: null, ci95: null, reason: HOSTILE },
  ];
  return report;
}

function run0Label(report: Report): string {
  return report.runs[1]!.label!;
}

void test('hostile strings in a report stay text in their cells, and no HTML or code span comes out', () => {
  const source = reportMarkdown(hostileReport());
  const { tables: found, inlineKinds, html } = tables(source);
  assert.equal(found.length, 2, 'the speedup table and the assertions table');
  for (const table of found) {
    for (const row of table.rows) assert.equal(row.length, table.header.length, `row ${JSON.stringify(row)}`);
  }
  const [speedups, assertions] = found;
  assert.deepEqual(speedups!.header, [
    'backend',
    'k',
    'wall s (mean)',
    'speedup [95% CI]',
    'efficiency',
    'samples',
  ]);
  assert.equal(speedups!.rows.length, 9);
  const shown = escapeControl(HOSTILE);
  assert.equal(assertions!.rows[0]![2], `${shown} · process`, 'the run cell reads as the label');
  assert.equal(assertions!.rows[1]![3], shown, 'the reason cell reads as the reason');
  assert.equal(assertions!.rows[1]![0], '❌ fail');
  // Only text and the summary's own bold come out: no HTML, code span, link, image or strikethrough.
  for (const kind of inlineKinds) assert.ok(['text', 'strong_open', 'strong_close'].includes(kind), kind);
  assert.ok(!/<(b|script)>/.test(html), 'no tag from the report is rendered as HTML');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  // The newline is written as \n: the heading and each list item stay one line.
  assert.equal(source.split('\n').filter((line) => line.startsWith('### ')).length, 4);
});

void test('the comparison summary keeps its table whole with hostile names', () => {
  const base = hostileReport();
  const next = structuredClone(base);
  for (const run of next.runs)
    for (const p of run.points) p.wallSeconds.samples = p.wallSeconds.samples.map((s) => s * 2);
  const outcome = compareReports(
    { file: `${HOSTILE}.json`, report: base },
    { file: 'new.json', report: next },
    10,
  );
  assert.ok(outcome.ok);
  const source = comparisonMarkdown(outcome.value);
  const { tables: found, inlineKinds } = tables(source);
  assert.equal(found.length, 1);
  const [table] = found;
  assert.equal(table!.header.length, 8);
  assert.equal(table!.rows.length, 9);
  for (const row of table!.rows) {
    assert.equal(row.length, 8);
    // Targets are matched, and named, by the file's base name.
    assert.equal(row[0], escapeControl(`${path.basename(`dir/${HOSTILE}.py`)}:${HOSTILE}`));
    assert.equal(row[7], '🔴 slower');
  }
  for (const kind of inlineKinds) assert.ok(['text', 'strong_open', 'strong_close'].includes(kind), kind);
  assert.match(source, /❌ Regression: a point is slower by more than 10% at 95% confidence/);
});

void test('markdownText escapes what starts syntax and nothing a reader sees changes', () => {
  assert.equal(markdownText('a|b'), 'a\\|b');
  assert.equal(markdownText('line\nnext\tx'), 'line\\\\nnext x');
  assert.equal(inlineText(md.parseInline(markdownText('*x* `y` <i>'), {})[0]!).text, '*x* `y` <i>');
});
