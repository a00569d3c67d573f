// Renders a report as the plain-text summary the CLI prints: one table per target and runtime, then warnings.
import { POP_LOW, popTable } from '../../protocol/pop';
import type { AssertionResult, Message, Report, Run, SizeSweep } from '../../protocol/report';
import { backendName } from '../../protocol/runName';
import { chunksizeLines } from './chunksizeTable';
import { whatIfLines } from './whatIfTable';
import { rankingLines } from './rankingTable';

export interface SummaryOptions {
  /** The POP table under each run (--pop); the JSON and the page always have it. */
  pop?: boolean;
  /** Memory columns: the workers' peak RSS and unique memory (max / mean), the parent's peak. */
  memory?: boolean;
}

export function renderSummary(report: Report, options: SummaryOptions = {}): string {
  const lines: string[] = [];
  const env = report.environment;
  lines.push(
    `${env.cpuModel ?? 'CPU'}: ${env.logicalCores} logical, ${env.usableCores} usable, ${env.physicalCores ?? '?'} physical cores · ${env.platform}`,
  );
  for (const group of groupRuns(report.runs)) {
    const first = group[0]!;
    lines.push('');
    lines.push(
      `${first.target.function} (${first.target.file}${first.target.cell === undefined ? '' : `, cell ${first.target.cell}`})${first.runtime ? ` · ${first.runtime}` : ''}${typeof first.inputSize === 'number' ? ` · n = ${first.inputSize}` : ''}`,
    );
    lines.push(...table(group, options.memory === true));
    for (const run of group) {
      if (run.backend === 'serial') continue;
      const notes: string[] = [];
      if (run.recommendation)
        // The reason is a sentence; the notes join with semicolons, so its own full stop goes.
        notes.push(
          `recommended ${run.recommendation.workers}: ${run.recommendation.reason.replace(/\.$/, '')}`,
        );
      const byMemory = run.recommendation?.maxWorkersByMemory;
      if (options.memory && byMemory != null) notes.push(`memory allows ${byMemory} workers`);
      if (run.fit.serialFraction !== null) notes.push(`serial fraction ${pct(run.fit.serialFraction)}`);
      if (run.fit.usl) {
        const peak =
          run.fit.usl.peakWorkers === null
            ? 'no peak'
            : `peak at ${run.fit.usl.peakWorkers.toFixed(1)} workers`;
        notes.push(
          `USL sigma ${run.fit.usl.sigma.toFixed(3)}, kappa ${run.fit.usl.kappa.toExponential(2)}, ${peak}`,
        );
      }
      if (run.stopReason) notes.push(`repetition: ${run.stopReason}`);
      if (notes.length > 0) lines.push(`  ${backendName(run)}: ${notes.join('; ')}`);
    }
    if (options.pop) for (const run of group) if (run.backend !== 'serial') lines.push(...popRows(run));
  }
  for (const sweep of report.sizeSweeps ?? []) lines.push(...sweepLines(sweep));
  for (const sweep of report.chunksizeSweeps ?? []) lines.push(...chunksizeLines(sweep));
  lines.push(...whatIfLines(report.runs));
  lines.push(...rankingLines(report));
  lines.push(...messages('Warnings', report.warnings));
  lines.push(...messages('Errors', report.errors));
  lines.push(...assertionLines(report.assertions ?? []));
  return lines.join('\n');
}

function assertionLines(assertions: AssertionResult[]): string[] {
  if (assertions.length === 0) return [];
  const lines = ['', 'Assertions (checked at the conservative end of the 95% interval):'];
  for (const a of assertions) {
    const value =
      a.value === null
        ? (a.reason ?? 'not measured')
        : `${a.value.toFixed(2)}${a.ci95 ? ` [${a.ci95[0].toFixed(2)}, ${a.ci95[1].toFixed(2)}]` : ''}`;
    lines.push(`  ${a.passed ? 'PASS' : 'FAIL'}  ${a.expression}${a.scope ? ` (${a.scope})` : ''}: ${value}`);
  }
  return lines;
}

const MEMORY_HEADER = ['RSS MB max/mean', 'unique MB max/mean', 'parent MB'];

/** The --memory columns of a point: per worker, or the growth of the one process its threads share. */
function memoryCells(point: Run['points'][number]): string[] {
  const m = point.memory;
  if (!m) return ['', '', ''];
  const parent = m.parentPeakRssBytes === null ? '' : mb(m.parentPeakRssBytes);
  if (m.basis === 'process-growth') return [`+${mb(m.peakRssBytes.max)} (process)`, '', parent];
  const pair = (v: { max: number; mean: number }): string => `${mb(v.max)}/${mb(v.mean)}`;
  return [pair(m.peakRssBytes), m.uniqueBytes ? pair(m.uniqueBytes) : '?', parent];
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function table(runs: Run[], memory: boolean): string[] {
  const header = [
    'backend',
    'k',
    'wall s (mean)',
    'speedup [95% CI]',
    'eff.',
    'cores',
    'infl. ms',
    'disp. ms',
    'ser. ms',
    'imbal. ms',
    'start ms',
    'stop ms',
    'n',
    ...(memory ? MEMORY_HEADER : []),
  ];
  const rows: string[][] = [header];
  for (const run of runs) {
    for (const point of run.points) {
      const o = point.overheadSeconds;
      const serial = run.backend === 'serial';
      rows.push([
        backendName(run),
        String(point.workers),
        `${point.wallSeconds.mean.toFixed(4)} ±${(point.wallSeconds.stdev ?? 0).toFixed(4)}`,
        serial
          ? '1.00 (baseline)'
          : `${point.speedup.mean.toFixed(2)} [${point.speedup.ci95[0].toFixed(2)}, ${point.speedup.ci95[1].toFixed(2)}]`,
        pct(point.efficiency),
        cores(point.busyCores),
        serial ? '' : ms(o.computeInflation),
        serial ? '' : ms(o.dispatch),
        serial ? '' : ms(o.serialization),
        serial ? '' : ms(o.imbalance),
        serial ? '' : ms(o.startup),
        serial ? '' : ms(o.teardown),
        String(point.wallSeconds.samples.length),
        ...(memory ? memoryCells(point) : []),
      ]);
    }
  }
  return alignColumns(rows, 2);
}

/** Rows as indented text columns: the first `leftColumns` aligned left, the rest (numbers) right. */
export function alignColumns(rows: string[][], leftColumns: number): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(
    (row) =>
      `  ${row.map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`,
  );
}

/** POP's table for one run: a row per metric, a column per k; values under 0.8 carry a `*`, as POP marks them. */
function popRows(run: Run): string[] {
  const table = popTable(run.points);
  if (table.workers.length === 0) return [];
  const header = [`POP, ${backendName(run)}`, ...table.workers.map((k) => `k=${k}`)];
  const rows: string[][] = [
    header,
    ...table.rows.map((row) => [
      `${'  '.repeat(row.indent)}${row.name}`,
      ...row.cells.map((cell) => `${cell.text}${cell.low ? '*' : ' '}`),
    ]),
  ];
  const widths = header.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  return [
    '',
    ...rows.map(
      (row) =>
        `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ')}`,
    ),
    `  * under ${POP_LOW}. Serialisation (POP) is waiting on the feeder's order; pickling counts as Transfer.`,
  ];
}

/** Efficiency against size per k and the isoefficiency points, or weak scaling's scaled speedups. */
function sweepLines(sweep: SizeSweep): string[] {
  if (sweep.weak) {
    const s = sweep.gustafsonSerialFraction;
    const rows = [
      ['k', 'n', 'scaled speedup', `Gustafson (s = ${s === null || s === undefined ? '?' : s.toFixed(3)})`],
    ];
    for (const p of sweep.weakPoints ?? [])
      rows.push([String(p.workers), String(p.inputSize), p.scaledSpeedup.toFixed(2), p.gustafson.toFixed(2)]);
    return ['', `Weak scaling, ${sweep.label} (n = k x ${sweep.sizes[0]}):`, ...aligned(rows)];
  }
  const rows = [['efficiency', ...sweep.sizes.map((n) => `n=${n}`)]];
  for (const e of sweep.efficiency) {
    rows.push([
      `k=${e.workers}`,
      ...sweep.sizes.map((n) => {
        const p = e.points.find((q) => q.inputSize === n);
        return p ? pct(p.efficiency) : '';
      }),
    ]);
  }
  const iso = sweep.isoefficiency.map((i) =>
    i.inputSize === null
      ? `  k=${i.workers}: ${i.note}`
      : `  k=${i.workers}: n ${i.interpolated ? '≈' : '='} ${i.interpolated ? i.inputSize.toPrecision(3) : i.inputSize} (${i.note})`,
  );
  return [
    '',
    `Input sizes, ${sweep.label}:`,
    ...aligned(rows),
    `  isoefficiency, the smallest n with E(k) >= 0.8:`,
    ...iso,
  ];
}

function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map(
    (row) =>
      `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ')}`,
  );
}

function messages(title: string, list: Message[]): string[] {
  if (list.length === 0) return [];
  const lines = ['', `${title}:`];
  for (const message of list) {
    lines.push(`  [${message.code}] ${message.message}`);
    if (message.suggestion) lines.push(`      fix: ${message.suggestion}`);
  }
  return lines;
}

/** The runs of one target and runtime together, in report order. */
export function groupRuns(runs: Run[]): Run[][] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `${run.target.file}\0${run.target.function}\0${run.runtime ?? ''}\0${run.inputSize ?? ''}`;
    const group = groups.get(key) ?? [];
    group.push(run);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The profile's busy cores (process-wide CPU per wall second), blank where unknown. */
function cores(busy: number | null | undefined): string {
  return busy === null || busy === undefined ? '' : busy.toFixed(2);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}

function ms(seconds: number): string {
  return (seconds * 1000).toFixed(1);
}
