// The what-if predictions (runs[].whatIf): a table per pool run, each row labelled a prediction with its band and
// the measurement beside it where a run measured the scenario; and S "on a machine with N cores" from the run's
// fitted model, N entered on the page.
import type { Report, Run, WhatIf } from '../../protocol/report';
import { modelSpeedup } from '../../protocol/scalingModel';
import { h } from '../dom';

const SCENARIO: Record<WhatIf['scenario'], string> = {
  'longest-first': 'inputs longest first (tail imbalance removed)',
  'free-dispatch': 'dispatch and serialization free',
  extrapolated: 'more workers than this machine has (fitted model)',
};

const band = (b: { mean: number; ci95: [number, number] }): string =>
  `${b.mean.toFixed(2)}x [${b.ci95[0].toFixed(2)}, ${b.ci95[1].toFixed(2)}]`;

export function whatIfSection(report: Report): HTMLElement[] {
  const runs = report.runs.filter((run) => (run.whatIf?.length ?? 0) > 0 || run.scalingModel);
  if (runs.length === 0) return [];
  return [
    h('h2', {}, 'What if (predictions)'),
    h(
      'p',
      { class: 'note muted' },
      'Predictions from the measured split, not measurements: each with its 95% bootstrap band, and the measured speedup beside it where a run measured the same thing.',
    ),
    ...runs.map(runBox),
  ];
}

function runBox(run: Run): HTMLElement {
  const label = run.label ?? run.backend;
  const rows = (run.whatIf ?? []).map((w) =>
    h(
      'tr',
      { 'data-scenario': w.scenario, 'data-workers': String(w.workers) },
      h('th', { scope: 'row' }, SCENARIO[w.scenario]),
      h('td', {}, String(w.workers)),
      h('td', { class: 'prediction', title: w.note }, `${band(w.speedup)} (prediction)`),
      h('td', { class: 'measured' }, w.measured ? band(w.measured.speedup) : '–'),
    ),
  );
  return h(
    'div',
    { class: 'what-if' },
    h(
      'div',
      { class: 'table-wrap pop-table' },
      h(
        'table',
        { 'data-what-if': label },
        h('caption', {}, `What if: ${label}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['scenario', 'k', 'predicted S [band]', 'measured S [95% CI]'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
    run.scalingModel ? machineInput(run, label) : null,
  );
}

/** "On a machine with N cores": S(N) from the run's model and its refits, recomputed as N is typed. */
function machineInput(run: Run, label: string): HTMLElement {
  const model = run.scalingModel!;
  const input = h('input', {
    type: 'number',
    min: '1',
    max: '4096',
    step: '1',
    value: String(Math.max(...run.points.map((p) => p.workers)) * 4),
    'aria-label': `Cores of another machine, for ${label}`,
  }) as HTMLInputElement;
  const answer = h('output', { class: 'prediction' });
  const update = (): void => {
    const n = Number(input.value);
    answer.textContent =
      Number.isInteger(n) && n >= 1
        ? `S(${n}) ≈ ${band(modelSpeedup(model, n))} (prediction from the model fitted up to ${Math.max(...run.points.map((p) => p.workers))} workers)`
        : 'enter a whole number of cores';
  };
  input.addEventListener('input', update);
  update();
  return h('p', { class: 'machine' }, 'On a machine with ', input, ' cores: ', answer);
}
