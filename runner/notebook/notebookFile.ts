// Reads a Jupyter notebook (nbformat 4): its cells in the order stored, each with its kind and source text.
// A file that is not one is a value naming the problem in one sentence, never a throw.

export type CellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCell {
  /** The cell's index in the notebook's "cells" array (0-based, markdown and raw cells counted). */
  index: number;
  kind: CellKind;
  source: string;
}

export type NotebookRead = { ok: true; cells: NotebookCell[] } | { ok: false; problem: string };

/** `shown` names the file in the sentence, e.g. "analysis.ipynb". */
export function parseNotebook(text: string, shown: string): NotebookRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `${shown} is not a notebook: it is not valid JSON (${firstLine(error)}).` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problem: `${shown} is not a notebook: its JSON is not an object with "cells".` };
  }
  const { nbformat, cells } = data as { nbformat?: unknown; cells?: unknown };
  if (nbformat !== 4) {
    const found = nbformat === undefined ? 'has no "nbformat"' : `has nbformat ${JSON.stringify(nbformat)}`;
    return {
      ok: false,
      problem: `${shown} is not an nbformat 4 notebook: it ${found} (save it from Jupyter or VS Code to convert it).`,
    };
  }
  if (!Array.isArray(cells)) {
    return { ok: false, problem: `${shown} is not an nbformat 4 notebook: it has no "cells" list.` };
  }
  const language = kernelLanguage(data);
  if (language !== null && language.toLowerCase() !== 'python') {
    return {
      ok: false,
      problem: `${shown} is a notebook in ${language} (its kernel's language); Amdahl profiles Python notebooks.`,
    };
  }
  const read: NotebookCell[] = [];
  for (const [index, cell] of cells.entries()) {
    const { cell_type: kind, source } = (cell ?? {}) as { cell_type?: unknown; source?: unknown };
    const text =
      Array.isArray(source) && source.every((s) => typeof s === 'string') ? source.join('') : source;
    if ((kind !== 'code' && kind !== 'markdown' && kind !== 'raw') || typeof text !== 'string') {
      return {
        ok: false,
        problem: `${shown} is not an nbformat 4 notebook: cell ${index} has no cell_type of code, markdown or raw with a source text.`,
      };
    }
    read.push({ index, kind, source: text });
  }
  return { ok: true, cells: read };
}

/** The language the notebook's kernel runs, as Jupyter writes it in the metadata; null where it says none. */
function kernelLanguage(data: object): string | null {
  const { metadata } = data as {
    metadata?: { language_info?: { name?: unknown }; kernelspec?: { language?: unknown } };
  };
  const language = metadata?.language_info?.name ?? metadata?.kernelspec?.language;
  return typeof language === 'string' && language !== '' ? language : null;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/\.$/, '');
}
