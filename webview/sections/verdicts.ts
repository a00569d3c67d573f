// The verdicts of a comparison (`amdahl compare`, "Amdahl: Compare Reports..."): per matched point the ratio of
// the new time to the old with its 95% interval and faster / slower / no change; every string set as text.
import type { Comparison } from '../../protocol/comparison';
import { COMPARISON_COLUMNS, comparisonRow, regressionLine, verdictLine } from '../comparisonTable';
import { h } from '../dom';
import { messageList } from './messages';

export function verdictSection(comparison: Comparison): HTMLElement {
  const verdictColumn = COMPARISON_COLUMNS.length - 1;
  const gate = regressionLine(comparison);
  return h(
    'section',
    { class: 'verdicts', 'aria-label': 'comparison with the baseline' },
    h('h2', {}, 'Compared with the baseline'),
    h('p', {}, verdictLine(comparison), gate ? ` · ${gate}` : ''),
    comparison.warnings.length > 0 ? messageList(comparison.warnings, 'warning') : null,
    h(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'verdicts' },
      h(
        'table',
        { id: 'verdicts' },
        h('caption', {}, 'new/base: the ratio of mean wall times; above 1 is slower.'),
        h('thead', {}, h('tr', {}, ...COMPARISON_COLUMNS.map((column) => h('th', { scope: 'col' }, column)))),
        h(
          'tbody',
          {},
          ...comparison.points.map((point) =>
            h(
              'tr',
              { 'data-verdict': point.verdict },
              ...comparisonRow(point).map((cell, column) =>
                column === 0
                  ? h('th', { scope: 'row' }, cell)
                  : h(
                      'td',
                      column === verdictColumn ? { class: `verdict ${point.verdict.replace(' ', '-')}` } : {},
                      cell,
                    ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
