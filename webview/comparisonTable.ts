// The matched points of a comparison as rows: one model feeds the page's verdict table, the script-free page, the
// CLI's text table and its Markdown summary.
import type { ComparedPoint, Comparison } from '../protocol/comparison';

export const COMPARISON_COLUMNS = [
  'target',
  'backend',
  'interpreter',
  'k',
  'base s',
  'new s',
  'new/base [95% CI]',
  'verdict',
] as const;

/** How many leading columns hold names (from the reports) rather than numbers. */
export const COMPARISON_NAME_COLUMNS = 3;

export function comparisonRow(point: ComparedPoint): string[] {
  return [
    point.target,
    point.startMethod ? `${point.backend} (${point.startMethod})` : point.backend,
    point.interpreter,
    String(point.workers),
    point.baseSeconds.toFixed(4),
    point.newSeconds.toFixed(4),
    `${point.ratio.toFixed(3)} [${point.ci95[0].toFixed(3)}, ${point.ci95[1].toFixed(3)}]`,
    point.verdict,
  ];
}

/** "2 slower, 0 faster, 1 no change at 95% confidence". */
export function verdictLine(comparison: Comparison): string {
  const count = (verdict: ComparedPoint['verdict']): number =>
    comparison.points.filter((point) => point.verdict === verdict).length;
  return `${count('slower')} slower, ${count('faster')} faster, ${count('no change')} no change at 95% confidence`;
}

/** The --fail-on-regression outcome as a sentence, or null without one. */
export function regressionLine(comparison: Comparison): string | null {
  const gate = comparison.regression;
  if (!gate) return null;
  return gate.failed
    ? `Regression: a point is slower by more than ${gate.thresholdPercent}% at 95% confidence.`
    : `No point is slower by more than ${gate.thresholdPercent}% at 95% confidence.`;
}
