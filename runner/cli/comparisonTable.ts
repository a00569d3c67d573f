// Renders a comparison as the plain-text table `amdahl compare` prints: one row per matched point with the ratio of
// the new time to the old, its 95% interval and the verdict, then the gate, the warnings and what did not match.
import type { Comparison } from '../../protocol/comparison';
import {
  COMPARISON_COLUMNS,
  COMPARISON_NAME_COLUMNS,
  comparisonRow,
  regressionLine,
  verdictLine,
} from '../../webview/comparisonTable';
import { alignColumns } from './table';

export function renderComparison(comparison: Comparison): string {
  const rows = [[...COMPARISON_COLUMNS], ...comparison.points.map(comparisonRow)];
  const lines = [
    `base: ${comparison.base.file} (${comparison.base.createdAt})`,
    `new:  ${comparison.new.file} (${comparison.new.createdAt})`,
    '',
    ...alignColumns(rows, COMPARISON_NAME_COLUMNS).map((line) => line.trimEnd()),
    '',
    verdictLine(comparison),
  ];
  const gate = regressionLine(comparison);
  if (gate) lines.push(gate);
  for (const warning of comparison.warnings) lines.push('', `[${warning.code}] ${warning.message}`);
  for (const name of comparison.unmatched.base) lines.push(`only in the base: ${name}`);
  for (const name of comparison.unmatched.new) lines.push(`only in the new report: ${name}`);
  return lines.join('\n');
}
