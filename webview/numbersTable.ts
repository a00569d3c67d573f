// Every number of a report as rows: one model feeds the accessible table, its CSV export and the tests.
import type { Run } from '../protocol/report';
import { runLabel } from './runLabel';

export const TABLE_COLUMNS = [
  'run',
  'k',
  'mean s',
  'median s',
  'min s',
  'max s',
  'stdev s',
  'speedup',
  'CI low',
  'CI high',
  'efficiency',
  'busy cores',
  'Karp-Flatt',
  'task ceiling',
  'compute ms',
  'inflation ms',
  'dispatch ms',
  'serialization ms',
  'imbalance ms',
  'start-up ms',
  'teardown ms',
  'samples',
] as const;

/** Numbers as the table shows them: enough digits to compare with the JSON, no more. */
export function tableRows(runs: Run[], before = false): string[][] {
  return runs.flatMap((run) =>
    [...run.points]
      .sort((a, b) => a.workers - b.workers)
      .map((p) => {
        const o = p.overheadSeconds;
        return [
          `${before ? 'before: ' : ''}${runLabel(run)}`,
          String(p.workers),
          num(p.wallSeconds.mean, 4),
          num(p.wallSeconds.median, 4),
          num(p.wallSeconds.min, 4),
          num(p.wallSeconds.max, 4),
          num(p.wallSeconds.stdev, 4),
          num(p.speedup.mean, 3),
          num(p.speedup.ci95[0], 3),
          num(p.speedup.ci95[1], 3),
          num(p.efficiency, 3),
          p.busyCores === null || p.busyCores === undefined ? '' : num(p.busyCores, 2),
          p.karpFlatt === null || p.karpFlatt === undefined ? '' : num(p.karpFlatt, 4),
          p.taskCeiling === undefined ? '' : num(p.taskCeiling, 3),
          p.idealComputeSeconds === undefined ? '' : num(p.idealComputeSeconds * 1000, 2),
          num(o.computeInflation * 1000, 2),
          num(o.dispatch * 1000, 2),
          num(o.serialization * 1000, 2),
          num(o.imbalance * 1000, 2),
          num(o.startup * 1000, 2),
          num(o.teardown * 1000, 2),
          String(p.wallSeconds.samples.length),
        ];
      }),
  );
}

function num(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '';
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function toCsv(header: readonly string[], rows: string[][]): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}
