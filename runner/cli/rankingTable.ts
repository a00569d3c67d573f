// The printed ranking across targets (report.ranking): each group of targets with equal results, its headline,
// and every configuration by wall time with its interval.
import type { Report } from '../../protocol/report';
import { alignColumns } from './table';

export function rankingLines(report: Report): string[] {
  const ranking = report.ranking ?? [];
  if (ranking.length === 0) return [];
  const lines: string[] = [];
  for (const headline of report.rankingHeadlines ?? []) {
    const entries = ranking.filter((e) => e.group === headline.group);
    const rows = [['#', 'target', 'configuration', 'wall s [95% CI]']];
    for (const e of entries) {
      const [low, high] = e.wallSeconds.ci95;
      rows.push([
        String(e.rank),
        e.target,
        e.backend === 'serial' ? 'serial' : `${e.label.split(' · ')[1] ?? e.backend}, k=${e.workers}`,
        `${e.wallSeconds.mean.toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}]`,
      ]);
    }
    lines.push('', `Fastest way to the same results: ${headline.text}`);
    if (headline.note) lines.push(`  ${headline.note}`);
    lines.push(...alignColumns(rows, 3));
  }
  return lines;
}
