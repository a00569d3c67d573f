// Turns a notebook into the module a profile imports: its code cells in order, up to and including the cell that
// defines the function (the last one, as running the notebook top to bottom would leave it), with IPython-only
// lines left out. Markdown and raw cells and the cells after the function's are not in it. Each cell keeps its
// lines, so a line of the module maps back to one line of one cell.
import type { DiscoveredFunction } from '../../protocol/lsp';
import type { Message } from '../../protocol/report';
import { withoutIPython } from './ipythonLines';
import type { NotebookCell } from './notebookFile';

export interface ModuleCell {
  index: number;
  /** 1-based line of the module where the cell's first line is. */
  firstLine: number;
  /** The cell's source as stored (dropped lines included), to quote a line of it. */
  lines: string[];
}

export interface NotebookModule {
  /** The module's Python source. */
  text: string;
  /** The index of the function's cell in the notebook's "cells" array. */
  cell: number;
  cells: ModuleCell[];
  dropped: { cell: number; line: number; text: string }[];
}

/** Discovery on one cell's text (with its IPython-only lines left out). */
export type FindFunctions = (source: string) => Promise<DiscoveredFunction[]>;

export type ModuleBuild = { ok: true; module: NotebookModule } | { ok: false; error: Message };

export async function buildNotebookModule(
  cells: NotebookCell[],
  functionName: string,
  shown: string,
  find: FindFunctions,
): Promise<ModuleBuild> {
  const code = cells
    .filter((cell) => cell.kind === 'code')
    .map((cell) => ({ cell, ...withoutIPython(cell.source) }));
  let target: number | null = null;
  let refused: DiscoveredFunction | null = null;
  const offered: string[] = [];
  for (const [position, { text }] of code.entries()) {
    for (const fn of await find(text)) {
      if (fn.profilable && !offered.includes(fn.name)) offered.push(fn.name);
      if (fn.name !== functionName) continue;
      if (fn.profilable) target = position;
      else if (target === null) refused = fn;
    }
  }
  if (target === null) return { ok: false, error: notFound(functionName, shown, refused, offered) };
  const module: NotebookModule = { text: '', cell: code[target]!.cell.index, cells: [], dropped: [] };
  const parts: string[] = [];
  let line = 1;
  for (const { cell, text, dropped } of code.slice(0, target + 1)) {
    // A comment line before each cell says where it came from, in the module as in a traceback.
    parts.push(`# cell ${cell.index}`);
    line += 1;
    const lines = text.split('\n');
    module.cells.push({ index: cell.index, firstLine: line, lines: cell.source.split('\n') });
    module.dropped.push(...dropped.map((d) => ({ cell: cell.index, ...d })));
    parts.push(...lines);
    line += lines.length;
  }
  module.text = `${parts.join('\n')}\n`;
  return { ok: true, module };
}

function notFound(
  name: string,
  shown: string,
  refused: DiscoveredFunction | null,
  offered: string[],
): Message {
  if (refused) {
    return {
      code: 'function-not-profilable',
      message: `${name} in ${shown} cannot be profiled: ${refused.reason ?? refused.kind}.`,
    };
  }
  return {
    code: 'function-not-found',
    message: `The code cells of ${shown} define no top-level function ${name}; they offer ${offered.join(', ') || 'none'}.`,
  };
}

/** The cell and 1-based line in it of a 1-based module line; null for a line between cells. */
export function cellAt(module: NotebookModule, moduleLine: number): { index: number; line: number } | null {
  for (let at = module.cells.length - 1; at >= 0; at -= 1) {
    const cell = module.cells[at]!;
    if (moduleLine >= cell.firstLine) {
      const line = moduleLine - cell.firstLine + 1;
      return line <= cell.lines.length ? { index: cell.index, line } : null;
    }
  }
  return null;
}

/** The line of a cell as stored, without its line end. */
export function cellLine(module: NotebookModule, index: number, line: number): string {
  return (module.cells.find((cell) => cell.index === index)?.lines[line - 1] ?? '').replace(/\r$/, '');
}
