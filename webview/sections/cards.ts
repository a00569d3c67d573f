// Summary cards, one per run: best speedup with its CI, the recommended worker count and why, the serial
// fraction, the predicted ceiling, and the change against the baseline when there is one.
import type { Run } from '../../protocol/report';
import { predictedCeiling } from '../curves';
import { fixed, h } from '../dom';
import { runKey, runLabel } from '../runLabel';

function best(run: Run) {
  return run.points.reduce<Run['points'][number] | undefined>(
    (top, point) => (top === undefined || point.speedup.mean > top.speedup.mean ? point : top),
    undefined,
  );
}

function figure(value: string, label: string, extra?: Node | null): HTMLElement {
  return h(
    'div',
    { class: 'figure' },
    h('div', { class: 'value' }, value),
    h('div', { class: 'label' }, label),
    extra,
  );
}

/** The cores the serial loop of the run's target kept busy (hidden parallelism shows here), where measured. */
function serialCores(run: Run, all: readonly Run[]): number | null {
  const serial = all.find(
    (r) =>
      r.backend === 'serial' &&
      r.target.file === run.target.file &&
      r.target.function === run.target.function &&
      r.runtime === run.runtime,
  );
  return serial?.points[0]?.busyCores ?? null;
}

export function summaryCards(
  runs: { run: Run; colour: string }[],
  baselineRuns: Run[],
  allRuns: readonly Run[] = [],
): HTMLElement {
  const baselineByKey = new Map(baselineRuns.map((run) => [runKey(run), run]));
  return h(
    'div',
    { class: 'cards' },
    ...runs.map(({ run, colour }) => {
      const top = best(run);
      const before = baselineByKey.get(runKey(run));
      const beforeTop = before ? best(before) : undefined;
      let delta: HTMLElement | null = null;
      if (top && beforeTop) {
        const change = top.speedup.mean / beforeTop.speedup.mean - 1;
        delta = h(
          'div',
          { class: change >= 0 ? 'delta-up' : 'delta-down' },
          `${change >= 0 ? '▲' : '▼'} ${(Math.abs(change) * 100).toFixed(1)}% vs before (${fixed(beforeTop.speedup.mean)}×)`,
        );
      }
      const fraction = run.fit.serialFraction;
      const cores = serialCores(run, allRuns);
      const ceiling = predictedCeiling(run);
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = colour;
      return h(
        'section',
        { class: 'card', 'aria-label': `summary of ${runLabel(run)}` },
        h(
          'div',
          { class: 'title' },
          swatch,
          runLabel(run),
          run.partial ? h('span', { class: 'badge' }, 'partial') : null,
        ),
        h(
          'div',
          { class: 'figures' },
          figure(
            top ? `${fixed(top.speedup.mean)}×` : '–',
            top
              ? `best speedup, k = ${top.workers} (95% CI ${fixed(top.speedup.ci95[0])}–${fixed(top.speedup.ci95[1])})`
              : 'best speedup',
            delta,
          ),
          figure(run.recommendation ? String(run.recommendation.workers) : '–', 'recommended workers'),
          figure(fraction === null ? '–' : `${fixed(fraction * 100, 1)}%`, 'serial fraction (fit)'),
          figure(
            ceiling ? `${fixed(ceiling.speedup, 1)}×` : '–',
            ceiling?.workers ? `predicted ceiling, at k ≈ ${fixed(ceiling.workers, 0)}` : 'predicted ceiling',
          ),
        ),
        cores === null ? null : h('div', { class: 'serial-cores' }, `serial uses ${fixed(cores, 1)} cores`),
        h(
          'div',
          { class: 'why' },
          run.recommendation ? run.recommendation.reason : 'No recommendation for this run.',
        ),
      );
    }),
  );
}
