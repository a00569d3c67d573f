// Renders a report as the plain-text summary the CLI prints: one table per target and runtime, then warnings.
import type { Message, Report, Run } from '../../protocol/report';
import { backendName } from '../../protocol/runName';

export function renderSummary(report: Report): string {
  const lines: string[] = [];
  const env = report.environment;
  lines.push(
    `${env.cpuModel ?? 'CPU'}: ${env.logicalCores} logical, ${env.usableCores} usable, ${env.physicalCores ?? '?'} physical cores · ${env.platform}`,
  );
  for (const group of groupRuns(report.runs)) {
    const first = group[0]!;
    lines.push('');
    lines.push(
      `${first.target.function} (${first.target.file})${first.runtime ? ` · ${first.runtime}` : ''}`,
    );
    lines.push(...table(group));
    for (const run of group) {
      if (run.backend === 'serial') continue;
      const notes: string[] = [];
      if (run.recommendation)
        notes.push(`recommended ${run.recommendation.workers}: ${run.recommendation.reason}`);
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
  }
  lines.push(...messages('Warnings', report.warnings));
  lines.push(...messages('Errors', report.errors));
  return lines.join('\n');
}

function table(runs: Run[]): string[] {
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
      ]);
    }
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(
    (row) =>
      `  ${row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`,
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

function groupRuns(runs: Run[]): Run[][] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = `${run.target.file}\0${run.target.function}\0${run.runtime ?? ''}`;
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
