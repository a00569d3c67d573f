// The printed what-if predictions of each pool run: scenario, k, the predicted S with its band, and the measured
// S beside it where a run measured the scenario. Every row is labelled a prediction.
import type { Run, WhatIf } from '../../protocol/report';
import { alignColumns } from './table';

const SCENARIO: Record<WhatIf['scenario'], string> = {
  'longest-first': 'inputs longest first',
  'free-dispatch': 'dispatch and serialization free',
  extrapolated: 'more workers (fitted model)',
};

const band = (b: { mean: number; ci95: [number, number] }): string =>
  `${b.mean.toFixed(2)} [${b.ci95[0].toFixed(2)}, ${b.ci95[1].toFixed(2)}]`;

export function whatIfLines(runs: readonly Run[]): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    const whatIf = run.whatIf ?? [];
    if (whatIf.length === 0) continue;
    const rows = [['scenario', 'k', 'predicted S [band]', 'measured S [95% CI]']];
    for (const w of whatIf) {
      rows.push([
        SCENARIO[w.scenario],
        String(w.workers),
        band(w.speedup),
        w.measured ? band(w.measured.speedup) : '–',
      ]);
    }
    lines.push(
      '',
      `What if (predictions, not measurements), ${run.label ?? run.backend}:`,
      ...alignColumns(rows, 1),
    );
  }
  return lines;
}
