// The POP efficiency tables (docs/method.md section 8): one per run, rows metrics, columns k, under 0.8 marked.
import { POP_LOW, POP_NAMING_NOTE, popTable } from '../../protocol/pop';
import type { Run } from '../../protocol/report';
import { h } from '../dom';
import { runLabel, seriesGroup } from '../runLabel';

/** What each row measures, for its tooltip. */
const ROW_HELP: Record<string, string> = {
  globalEfficiency: 'GE = PE x CompS = C(1) / (k T): tracks S(k)/k.',
  parallelEfficiency: 'PE = LB x CommE = sum of useful time / (k T).',
  loadBalance: 'LB = mean / max of the workers’ useful (in-task) time.',
  communicationEfficiency: 'CommE = busiest worker’s useful time / T = SerE x TE.',
  serializationEfficiency:
    'SerE = busiest worker’s useful time / T_ideal: waiting on the feeder’s order even with free transfers. Not pickling.',
  transferEfficiency:
    'TE = T_ideal / T: T_ideal replays the measured tasks on their workers with zero dispatch and zero (de)serialization. Pickling is here.',
  computationScalability: 'CompS = useful time of the serial reference / useful time at k.',
  cpuUsefulRatio:
    'CPU seconds per useful second (not an efficiency): falling with k means tasks wait off-CPU (GIL, oversubscription).',
};

export function popSection(runs: readonly Run[]): HTMLElement | null {
  const tables = runs.map(popBox).filter((box): box is HTMLElement => box !== null);
  if (tables.length === 0) return null;
  return h(
    'div',
    { class: 'pop' },
    h('p', { class: 'note muted', title: POP_NAMING_NOTE }, POP_NAMING_NOTE),
    ...tables,
  );
}

function popBox(run: Run): HTMLElement | null {
  const table = popTable(run.points);
  if (table.workers.length === 0) return null;
  const box = h(
    'div',
    { class: 'table-wrap pop-table' },
    h(
      'table',
      { 'data-pop': runLabel(run) },
      h('caption', { title: POP_NAMING_NOTE }, `POP efficiency: ${runLabel(run)}`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'metric'),
          ...table.workers.map((k) => h('th', { scope: 'col' }, `k = ${k}`)),
        ),
      ),
      h(
        'tbody',
        {},
        ...table.rows.map((row) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row', class: `indent-${row.indent}`, title: ROW_HELP[row.key] ?? '' },
              row.name,
            ),
            ...row.cells.map((cell) =>
              cell.low
                ? h('td', { class: 'low', title: `under ${POP_LOW}: worth a look` }, `${cell.text}*`)
                : h('td', {}, cell.text),
            ),
          ),
        ),
      ),
    ),
  );
  box.dataset.group = seriesGroup(run, false);
  return box;
}
