// `--markdown`: a report or a comparison as GitHub-flavoured Markdown for a pull-request comment or a CI job
// summary. Every string that came from user code or a report is escaped, so a pipe, a backtick, HTML or a newline
// in a function name, an error or captured output stays text and cannot break a table.
import type { Comparison } from '../../protocol/comparison';
import type { AssertionResult, Message, Report, Run } from '../../protocol/report';
import { escapeControl } from '../../protocol/terminalText';
import {
  COMPARISON_COLUMNS,
  COMPARISON_NAME_COLUMNS,
  comparisonRow,
  regressionLine,
  verdictLine,
} from '../../webview/comparisonTable';
import { backendName } from '../../protocol/runName';
import { groupRuns } from './table';

/**
 * Text for Markdown, inline or in a table cell: control characters and newlines written as escapes (as on the
 * terminal), so the text stays on its line, then each character that can start inline syntax backslash-escaped
 * (CommonMark lets any ASCII punctuation be): emphasis, code spans, links, images, HTML tags, entities,
 * strikethrough, math, table pipes, and GitHub's emoji shortcodes, mentions and issue references.
 */
export function markdownText(value: string): string {
  return escapeControl(value)
    .replace(/\t/g, ' ')
    .replace(/[\\`*_[\]<>&|~$!@#:]/g, (c) => `\\${c}`);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tableLines(header: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  return [row(header), row(align.map((a) => (a === 'r' ? '--:' : ':--'))), ...rows.map(row)];
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function interval([low, high]: readonly [number, number], digits = 2): string {
  return `[${fixed(low, digits)}, ${fixed(high, digits)}]`;
}

/** A report: per target and runtime the speedup table and the recommendations, then assertions, warnings, errors. */
export function reportMarkdown(report: Report): string {
  const env = report.environment;
  const functions = [...new Set(report.runs.map((run) => run.target.function))];
  const lines = [
    `## Amdahl: ${functions.length > 0 ? functions.map(markdownText).join(', ') : 'report'}${report.partial ? ' (partial)' : ''}`,
    '',
    `${markdownText(env.cpuModel ?? 'CPU')} · ${env.logicalCores} logical, ${env.usableCores} usable, ${env.physicalCores ?? '?'} physical cores · ${markdownText(env.runtime)} · ${markdownText(env.platform)} · ${markdownText(report.createdAt)}`,
  ];
  for (const group of groupRuns(report.runs)) lines.push('', ...runGroup(group));
  lines.push(...tuningLines(report));
  if (report.assertions && report.assertions.length > 0) lines.push('', ...assertionLines(report.assertions));
  lines.push(...messageLines('Warnings', report.warnings), ...messageLines('Errors', report.errors));
  return `${lines.join('\n')}\n`;
}

function runGroup(runs: Run[]): string[] {
  const first = runs[0]!;
  const rows = runs.flatMap((run) =>
    run.points.map((point) => [
      markdownText(backendName(run)),
      String(point.workers),
      fixed(point.wallSeconds.mean, 4),
      run.backend === 'serial'
        ? '1.00 (baseline)'
        : `${fixed(point.speedup.mean)} ${interval(point.speedup.ci95)}`,
      `${fixed(point.efficiency * 100, 0)}%`,
      String(point.wallSeconds.samples.length),
    ]),
  );
  const notes = runs
    .filter((run) => run.backend !== 'serial' && run.recommendation)
    .map(
      (run) =>
        `- ${markdownText(backendName(run))}: recommended **${run.recommendation!.workers}** workers (${markdownText(run.recommendation!.reason)})`,
    );
  return [
    `### ${markdownText(first.target.function)} (${markdownText(first.target.file)})${first.runtime ? ` · ${markdownText(first.runtime)}` : ''}`,
    '',
    ...tableLines(
      ['backend', 'k', 'wall s (mean)', 'speedup [95% CI]', 'efficiency', 'samples'],
      ['l', 'r', 'r', 'r', 'r', 'r'],
      rows,
    ),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ];
}

/** The measured chunksizes' recommended pairs and the ranking's headlines, one line each. */
function tuningLines(report: Report): string[] {
  const lines = [
    ...(report.chunksizeSweeps ?? []).map(
      (sweep) => `- Chunksize, ${markdownText(sweep.label)}: **${markdownText(sweep.summary)}**`,
    ),
    ...(report.rankingHeadlines ?? []).map(
      (headline) =>
        `- Fastest way to the same results: **${markdownText(headline.text)}**${headline.note ? ` (${markdownText(headline.note)})` : ''}`,
    ),
  ];
  return lines.length > 0 ? ['', '### Tuning', '', ...lines] : [];
}

function assertionLines(assertions: AssertionResult[]): string[] {
  const failed = assertions.filter((a) => !a.passed).length;
  return [
    `### Assertions: ${failed === 0 ? 'all passed' : `${failed} of ${assertions.length} failed`}`,
    '',
    ...tableLines(
      ['result', 'assertion', 'run', 'value [95% CI]'],
      ['l', 'l', 'l', 'r'],
      assertions.map((a) => [
        a.passed ? '✅ pass' : '❌ fail',
        markdownText(a.expression),
        markdownText(a.scope ?? ''),
        a.value === null
          ? markdownText(a.reason ?? 'not measured')
          : `${fixed(a.value)}${a.ci95 ? ` ${interval(a.ci95)}` : ''}`,
      ]),
    ),
  ];
}

function messageLines(title: string, messages: readonly Message[]): string[] {
  if (messages.length === 0) return [];
  return [
    '',
    `### ${title}`,
    '',
    ...messages.map(
      (m) =>
        `- **${markdownText(m.code)}**: ${markdownText(m.message)}${m.suggestion ? ` Fix: ${markdownText(m.suggestion)}` : ''}`,
    ),
  ];
}

const VERDICT_MARK: Record<string, string> = {
  slower: '🔴 slower',
  faster: '🟢 faster',
  'no change': '⚪ no change',
};

/** A comparison: the verdict counts, the gate, every matched point, then warnings and what did not match. */
export function comparisonMarkdown(comparison: Comparison): string {
  const lines = [
    '## Amdahl: comparison',
    '',
    `Base: ${markdownText(comparison.base.file)} (${markdownText(comparison.base.createdAt)}) · new: ${markdownText(comparison.new.file)} (${markdownText(comparison.new.createdAt)})`,
    '',
    `**${verdictLine(comparison)}**, of ${comparison.points.length} matched points.`,
  ];
  const gate = regressionLine(comparison);
  if (gate) lines.push('', `${comparison.regression?.failed ? '❌' : '✅'} ${gate}`);
  const rows = comparison.points.map((point) =>
    comparisonRow(point).map((cell, column) =>
      column < COMPARISON_NAME_COLUMNS ? markdownText(cell) : (VERDICT_MARK[cell] ?? cell),
    ),
  );
  lines.push(
    '',
    ...tableLines(
      [...COMPARISON_COLUMNS],
      COMPARISON_COLUMNS.map((_, column) =>
        column < COMPARISON_NAME_COLUMNS || column === COMPARISON_COLUMNS.length - 1 ? 'l' : 'r',
      ),
      rows,
    ),
  );
  lines.push(...messageLines('Warnings', comparison.warnings));
  const unmatched = [
    ...comparison.unmatched.base.map((name) => `- only in the base: ${markdownText(name)}`),
    ...comparison.unmatched.new.map((name) => `- only in the new report: ${markdownText(name)}`),
  ];
  if (unmatched.length > 0) lines.push('', '### Not compared', '', ...unmatched);
  return `${lines.join('\n')}\n`;
}
