// The table of every number: keyboard reachable (a focusable scroll region), copyable as tab-separated text.
import { button, h } from '../dom';
import { exportFile } from '../host';
import { TABLE_COLUMNS, toCsv } from '../numbersTable';

export function numbersSection(rows: string[][], baselineRowCount: number): HTMLElement {
  const table = h(
    'table',
    { id: 'numbers' },
    h(
      'caption',
      {},
      'Every measured configuration; times are per pass, CI is the 95% bootstrap interval of S(k).',
    ),
    h('thead', {}, h('tr', {}, ...TABLE_COLUMNS.map((column) => h('th', { scope: 'col' }, column)))),
    h(
      'tbody',
      {},
      ...rows.map((row, index) =>
        h(
          'tr',
          index >= rows.length - baselineRowCount ? { class: 'baseline' } : {},
          ...row.map((cell, column) => (column === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell))),
        ),
      ),
    ),
  );
  const status = h('span', { class: 'muted', role: 'status' });
  const copy = button('Copy', 'Copy the table as tab-separated text', () => {
    const text = [TABLE_COLUMNS.join('\t'), ...rows.map((row) => row.join('\t'))].join('\n');
    navigator.clipboard.writeText(text).then(
      () => (status.textContent = 'copied'),
      () => (status.textContent = 'copy is blocked here: select the table and copy'),
    );
  });
  const csv = button('CSV', 'Export the table as CSV', () =>
    exportFile('csv', 'amdahl-numbers.csv', toCsv(TABLE_COLUMNS, rows)),
  );
  return h(
    'div',
    {},
    h('div', { class: 'toolbar' }, copy, csv, status),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'every number' }, table),
  );
}
