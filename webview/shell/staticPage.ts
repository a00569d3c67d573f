// The report as HTML that needs no script: cards, a speedup chart in SVG, every number in a table, warnings,
// errors and the captured output, every string escaped. The report page shows it where scripts cannot run.
import type { Comparison } from '../../protocol/comparison';
import type { Message, Report, Run } from '../../protocol/report';
import { COMPARISON_COLUMNS, comparisonRow, regressionLine, verdictLine } from '../comparisonTable';
import { TABLE_COLUMNS, tableRows } from '../numbersTable';

export interface StandaloneOptions {
  /** An earlier report, overlaid for before/after comparisons. */
  baseline?: Report;
  /** The verdicts of the report against the baseline (`amdahl compare`). */
  comparison?: Comparison;
}

export function renderStaticPage(
  report: Report,
  options: StandaloneOptions = {},
): { body: string; style: string } {
  const runs = report.runs.filter((run) => run.backend !== 'serial');
  const baselineRuns = (options.baseline?.runs ?? []).filter((run) => run.backend !== 'serial');
  const env = report.environment;
  const body = [
    `<header><h1>Amdahl report</h1><p>${text(report.createdAt)} · ${text(env.cpuModel ?? 'CPU')} · ${env.logicalCores} logical, ${env.usableCores} usable, ${env.physicalCores ?? '?'} physical cores · ${text(env.runtime)} · ${text(env.platform)}${report.partial ? ' · <strong>partial</strong>' : ''}</p></header>`,
    cards(runs),
    options.comparison ? verdicts(options.comparison) : '',
    runs.length + baselineRuns.length > 0
      ? `<section><h2>Speedup</h2>${speedupChart(runs, baselineRuns, env.physicalCores)}</section>`
      : '',
    messages('Errors', report.errors, 'error'),
    messages('Warnings', report.warnings, 'warning'),
    `<section><h2>Every number</h2>${numbersTable(report.runs)}</section>`,
    capturedOutput(report.runs),
  ].join('\n');
  return { body, style: STYLE };
}

/**
 * The script-free page as a whole document (a webview with scripts off can show it). The interactive page,
 * with this inside <noscript>, is renderStandaloneHtml in ./html.
 */
export function renderStandaloneHtml(report: Report, options: StandaloneOptions = {}): string {
  const { body, style } = renderStaticPage(report, options);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amdahl report</title>
<style>${style}</style></head>
<body>${body}</body></html>
`;
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #656d76; --line: #d0d7de; --card: #f6f8fa;
  --warn: #9a6700; --err: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d;
  --card: #161b22; --warn: #d29922; --err: #f85149; --accent: #4493f8; } }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 24px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } header p { color: var(--muted); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.card .big { font-size: 26px; font-weight: 600; } .card .label { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; }
.message { border-left: 3px solid var(--warn); padding: 4px 10px; margin: 8px 0; background: var(--card); }
.message.error { border-color: var(--err); } .message code { font-weight: 600; }
.fix { color: var(--muted); } pre { white-space: pre-wrap; background: var(--card); padding: 8px; max-height: 300px; overflow: auto; }
svg text { fill: var(--fg); font-size: 11px; } .axis { stroke: var(--muted); } .grid { stroke: var(--line); }
`;

const PALETTE = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#0a7b83', '#d1242f', '#6e7781'];

function cards(runs: Run[]): string {
  if (runs.length === 0) return '';
  const items = runs.map((run) => {
    const best = run.points.reduce((b, p) => (p.speedup.mean > b.speedup.mean ? p : b), run.points[0]!);
    const fraction = run.fit.serialFraction;
    const ceiling =
      fraction !== null && fraction > 0
        ? `predicted ceiling ${fixed(1 / fraction, 1)}x`
        : 'no ceiling fitted';
    return `<div class="card"><div class="label">${text(run.label ?? run.backend)}</div>
<div class="big">${best ? `${fixed(best.speedup.mean)}x` : '–'}</div>
<div>best speedup${best ? `, at ${best.workers} worker${best.workers === 1 ? '' : 's'} (95% CI ${fixed(best.speedup.ci95[0])}–${fixed(best.speedup.ci95[1])})` : ''}</div>
<div>${run.recommendation ? `recommended: <strong>${run.recommendation.workers}</strong> — ${text(run.recommendation.reason)}` : 'no recommendation'}</div>
<div class="label">serial fraction ${fraction === null ? '–' : `${fixed(fraction * 100, 1)}%`} · ${ceiling}</div></div>`;
  });
  return `<div class="cards">${items.join('')}</div>`;
}

function speedupChart(runs: Run[], baselineRuns: Run[], physicalCores: number | null): string {
  const width = 760;
  const height = 360;
  const pad = { left: 48, right: 200, top: 12, bottom: 36 };
  const all = [...runs, ...baselineRuns].flatMap((run) => run.points);
  const maxK = Math.max(2, ...all.map((p) => p.workers));
  const maxS = Math.max(2, maxK, ...all.map((p) => p.speedup.ci95[1]));
  const x = (k: number): number => pad.left + ((k - 0) / maxK) * (width - pad.left - pad.right);
  const y = (s: number): number => height - pad.bottom - (s / maxS) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  for (let tick = 0; tick <= maxK; tick += Math.max(1, Math.ceil(maxK / 8))) {
    parts.push(
      `<line class="grid" x1="${x(tick)}" x2="${x(tick)}" y1="${y(0)}" y2="${y(maxS)}"/><text x="${x(tick)}" y="${height - 18}" text-anchor="middle">${tick}</text>`,
    );
  }
  for (let tick = 0; tick <= maxS; tick += Math.max(1, Math.ceil(maxS / 6))) {
    parts.push(
      `<line class="grid" x1="${x(0)}" x2="${x(maxK)}" y1="${y(tick)}" y2="${y(tick)}"/><text x="${pad.left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${x(0)}" y1="${y(0)}" x2="${x(maxK)}" y2="${y(maxK)}" stroke-dasharray="4 4"/>`,
  );
  if (physicalCores !== null && physicalCores < maxK) {
    parts.push(
      `<line stroke="#bf8700" x1="${x(physicalCores)}" x2="${x(physicalCores)}" y1="${y(0)}" y2="${y(maxS)}" stroke-dasharray="2 3"/><text x="${x(physicalCores) + 4}" y="${pad.top + 10}">physical cores</text>`,
    );
  }
  const legend: string[] = [];
  const series = [
    ...runs.map((run) => ({ run, before: false })),
    ...baselineRuns.map((run) => ({ run, before: true })),
  ];
  series.forEach(({ run, before }, index) => {
    const colour = PALETTE[index % PALETTE.length]!;
    const points = [...run.points].sort((a, b) => a.workers - b.workers);
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.workers)},${y(p.speedup.mean)}`).join(' ');
    parts.push(
      `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${before ? ' stroke-dasharray="6 3"' : ''}/>`,
    );
    for (const p of points) {
      parts.push(
        `<line x1="${x(p.workers)}" x2="${x(p.workers)}" y1="${y(p.speedup.ci95[0])}" y2="${y(p.speedup.ci95[1])}" stroke="${colour}"/>` +
          `<circle cx="${x(p.workers)}" cy="${y(p.speedup.mean)}" r="3" fill="${colour}"><title>${text(run.label ?? run.backend)}: k=${p.workers}, S=${fixed(p.speedup.mean)} [${fixed(p.speedup.ci95[0])}, ${fixed(p.speedup.ci95[1])}]</title></circle>`,
      );
    }
    const ly = pad.top + 14 + index * 18;
    legend.push(
      `<line x1="${width - pad.right + 12}" x2="${width - pad.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${before ? ' stroke-dasharray="6 3"' : ''}/><text x="${width - pad.right + 38}" y="${ly}">${text(`${before ? 'before: ' : ''}${run.label ?? run.backend}`.slice(0, 34))}</text>`,
    );
  });
  legend.push(
    `<text x="${width - pad.right + 12}" y="${pad.top + 18 + series.length * 18}">dashed grey: ideal S = k</text>`,
  );
  return `<svg role="img" aria-label="speedup against workers" viewBox="0 0 ${width} ${height}" width="100%">${parts.join('')}${legend.join('')}<text x="${(pad.left + width - pad.right) / 2}" y="${height - 2}" text-anchor="middle">workers</text></svg>`;
}

/** The same rows and columns as the interactive page's table (webview/numbersTable.ts), every cell escaped. */
function numbersTable(runs: Run[]): string {
  const head = TABLE_COLUMNS.map((h) => `<th scope="col">${text(h)}</th>`).join('');
  const rows = tableRows(runs).map(
    (row) => `<tr>${row.map((cell) => `<td>${text(cell)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The comparison's verdicts, as the interactive page's section (webview/sections/verdicts.ts). */
function verdicts(comparison: Comparison): string {
  const head = COMPARISON_COLUMNS.map((column) => `<th scope="col">${text(column)}</th>`).join('');
  const rows = comparison.points.map(
    (point) =>
      `<tr>${comparisonRow(point)
        .map((cell) => `<td>${text(cell)}</td>`)
        .join('')}</tr>`,
  );
  const gate = regressionLine(comparison);
  return `<section><h2>Compared with the baseline</h2><p>${text(verdictLine(comparison))}${gate ? ` · ${text(gate)}` : ''}</p>${messages('Comparison warnings', comparison.warnings, 'warning')}<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function messages(title: string, list: Message[], kind: 'warning' | 'error'): string {
  if (list.length === 0) return '';
  const items = list.map(
    (m) =>
      `<div class="message ${kind}"><code>${text(m.code)}</code> ${text(m.message)}${m.suggestion ? `<div class="fix">fix: ${text(m.suggestion)}</div>` : ''}${m.detail ? `<details><summary>details</summary><pre>${text(m.detail)}</pre></details>` : ''}</div>`,
  );
  return `<section><h2>${title}</h2>${items.join('')}</section>`;
}

function capturedOutput(runs: Run[]): string {
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const run of runs) {
    const output = run.capturedOutput;
    if (!output || output.stdoutBytes + output.stderrBytes === 0) continue;
    const key = `${run.target.file}:${run.target.function}:${run.runtime ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    blocks.push(
      `<details><summary>${text(run.target.function)} · ${text(run.runtime ?? '')}: ${output.stdoutBytes} bytes on stdout, ${output.stderrBytes} on stderr</summary><pre>${text(output.stdout)}</pre>${output.stderr ? `<pre>${text(output.stderr)}</pre>` : ''}</details>`,
    );
  }
  return blocks.length === 0 ? '' : `<section><h2>Captured output</h2>${blocks.join('')}</section>`;
}

/** Escapes a string for HTML text and attribute values. */
export function text(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
