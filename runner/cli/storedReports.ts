// `amdahl compare` and `amdahl report`: commands on reports already stored (CI keeps the JSON; pages and summaries
// are made later). A report that cannot be read or fails the schema is bad usage (2), said in one sentence.
import type { Report } from '../../protocol/report';
import { escapeControl } from '../../protocol/terminalText';
import { renderStandaloneHtml } from '../../webview/shell/html';
import { compareReports } from '../analysis/compare';
import type { CompareRequest, ReportRequest } from './args';
import { renderComparison } from './comparisonTable';
import { comparisonMarkdown, reportMarkdown } from './markdown';
import { sayer, writeOutputs } from './outputFile';
import { readReportFile } from './readReport';
import { renderSummary } from './table';

function load(file: string): Report | null {
  const loaded = readReportFile(file);
  if (loaded.ok) return loaded.value;
  process.stderr.write(`amdahl: ${escapeControl(file)}: ${escapeControl(loaded.error)}\n`);
  return null;
}

/** Exit status 0 compared; 2 a report unreadable, invalid or sharing nothing with the other; 3 a regression. */
export async function compareCommand(request: CompareRequest): Promise<number> {
  const base = load(request.base);
  const next = load(request.new);
  if (!base || !next) return 2;
  const outcome = compareReports(
    { file: request.base, report: base },
    { file: request.new, report: next },
    request.failOnRegressionPercent,
  );
  if (!outcome.ok) {
    process.stderr.write(`amdahl: cannot compare: ${escapeControl(outcome.error)}\n`);
    return 2;
  }
  const comparison = outcome.value;
  const say = sayer([request.json, request.html, request.markdown]);
  say(`${escapeControl(renderComparison(comparison), { keepNewlines: true })}\n`);
  for (const warning of comparison.warnings) {
    process.stderr.write(`amdahl: warning: ${escapeControl(warning.message)}\n`);
  }
  const written = await writeOutputs(
    [
      ['comparison', request.json, () => `${JSON.stringify(comparison, null, 2)}\n`],
      ['page', request.html, () => renderStandaloneHtml(next, { baseline: base, comparison })],
      ['summary', request.markdown, () => comparisonMarkdown(comparison)],
    ],
    say,
  );
  if (!written) return 2;
  return comparison.regression?.failed ? 3 : 0;
}

/** Exit status 0 rendered; 2 the report unreadable or invalid, or an output that could not be written. */
export async function reportCommand(request: ReportRequest): Promise<number> {
  const report = load(request.file);
  if (!report) return 2;
  const say = sayer([request.html, request.markdown]);
  say(`${escapeControl(renderSummary(report), { keepNewlines: true })}\n`);
  const written = await writeOutputs(
    [
      ['page', request.html, () => renderStandaloneHtml(report)],
      ['summary', request.markdown, () => reportMarkdown(report)],
    ],
    say,
  );
  return written ? 0 : 2;
}
