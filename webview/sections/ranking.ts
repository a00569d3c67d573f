// The ranking across targets (report.ranking): per group of targets with equal results, the headline and every
// configuration by wall time with its interval; a note where other targets compute different things.
import type { Report } from '../../protocol/report';
import { h } from '../dom';

export function rankingSection(report: Report): HTMLElement[] {
  const ranking = report.ranking ?? [];
  if (ranking.length === 0) return [];
  return [
    h('h2', {}, 'Fastest way to the same results'),
    ...(report.rankingHeadlines ?? []).map((headline) => {
      const entries = ranking.filter((e) => e.group === headline.group);
      return h(
        'div',
        { class: 'ranking' },
        h('p', { class: 'ranking-headline' }, headline.text),
        headline.note ? h('p', { class: 'note muted' }, headline.note) : null,
        h(
          'div',
          { class: 'table-wrap pop-table' },
          h(
            'table',
            { 'data-ranking': String(headline.group) },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['#', 'target', 'backend', 'k', 'wall s [95% CI]'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...entries.map((e) =>
                h(
                  'tr',
                  {},
                  h('td', {}, String(e.rank)),
                  h('th', { scope: 'row' }, e.target),
                  h('td', {}, e.label.split(' · ')[1] ?? e.backend),
                  h('td', {}, String(e.workers)),
                  h(
                    'td',
                    {},
                    `${e.wallSeconds.mean.toFixed(4)} [${e.wallSeconds.ci95[0].toFixed(4)}, ${e.wallSeconds.ci95[1].toFixed(4)}]`,
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    }),
  ];
}
