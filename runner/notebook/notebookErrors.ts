// Errors of a notebook's target read in the notebook's terms: a traceback frame or a syntax error in the module
// built from it becomes "cell 3, line 2" with that cell's line, and a name only a Jupyter kernel defines is
// explained.
import type { Message } from '../../protocol/report';
import { cellAt, cellLine, type NotebookModule } from './notebookModule';

/** Names an IPython kernel defines and plain Python does not, with what to do instead. */
const KERNEL_ONLY: Record<string, string> = {
  display: 'import it: `from IPython.display import display`',
  get_ipython: "move the code that uses it into a cell after the function's cell",
  In: "move the code that uses it into a cell after the function's cell",
  Out: "move the code that uses it into a cell after the function's cell",
  _ih: "move the code that uses it into a cell after the function's cell",
  _oh: "move the code that uses it into a cell after the function's cell",
};

export interface NotebookNames {
  /** The absolute path of the module built from the notebook. */
  generated: string;
  /** How messages name the notebook, e.g. "analysis.ipynb". */
  shown: string;
}

export function notebookMessage(message: Message, module: NotebookModule, names: NotebookNames): Message {
  const path = escapeRegExp(names.generated);
  const frame = new RegExp(`File "${path}", line (\\d+)`, 'g');
  const syntax = new RegExp(`at ${path}:(\\d+) \\(line \\d+\\)`, 'g');
  const lines = [...(message.detail ?? '').matchAll(frame), ...message.message.matchAll(syntax)].map((m) =>
    Number(m[1]),
  );
  // The deepest frame in the module (the last in a traceback), or the syntax error's line.
  const deepest = lines.length > 0 ? cellAt(module, lines[lines.length - 1]!) : null;
  const inCell = (moduleLine: string): string => {
    const at = cellAt(module, Number(moduleLine));
    return at ? `cell ${at.index}, line ${at.line}` : `line ${moduleLine}`;
  };
  const rename = (text: string): string =>
    text
      .replace(frame, (_, line: string) => `File "${names.shown}", ${inCell(line)}`)
      .replace(syntax, (_, line: string) => `at ${inCell(line)}`)
      .replaceAll(names.generated, names.shown)
      .replaceAll(basename(names.generated), names.shown);
  let text = rename(message.message);
  if (deepest) {
    const source = cellLine(module, deepest.index, deepest.line).trim();
    text = `${text.replace(/\.$/, '')}. Cell ${deepest.index}, line ${deepest.line}: ${source}`;
  }
  const kernelName = /NameError: name '(\w+)' is not defined/.exec(message.message)?.[1];
  const kernelAdvice = kernelName !== undefined ? KERNEL_ONLY[kernelName] : undefined;
  if (kernelAdvice) {
    text = `${text.replace(/\.$/, '')}. ${kernelName} exists only inside a Jupyter kernel (IPython), and Amdahl runs the notebook's cells as a plain Python module.`;
  }
  return {
    ...message,
    message: text,
    ...(message.detail !== undefined ? { detail: rename(message.detail) } : {}),
    ...(message.scope !== undefined ? { scope: rename(message.scope) } : {}),
    ...(kernelAdvice ? { suggestion: `${kernelName}: ${kernelAdvice}.` } : {}),
    ...(deepest ? { cell: deepest } : {}),
  };
}

function basename(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
