// IPython-only lines in a notebook cell: %line magics, %%cell magics and !shell commands (also `x = !ls`,
// `t = %time f()`). Python cannot run them, so the module leaves them out: each becomes `pass` at its indentation
// (an empty block stays a block) and the cell keeps its line count, so line N of the cell is line N in the module.

export interface DroppedLine {
  /** 1-based line in the cell. */
  line: number;
  text: string;
}

/** Cell magics whose body is Python run as is (timed, captured, profiled): only the magic line is dropped. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit']);

const LINE_MAGIC_OR_SHELL = /^(\s*)[%!]/;
/** `x = !ls`, `a, b = %sx cmd`: an assignment from a magic or the shell. */
const ASSIGNED_MAGIC = /^(\s*)[\p{L}_][\p{L}\p{N}_.]*(\s*,\s*[\p{L}_][\p{L}\p{N}_.]*)*\s*=\s*[%!]/u;
const CELL_MAGIC = /^\s*%%\s*([\w.-]*)/;

/** The cell's source with its IPython-only lines replaced, and the lines that were. */
export function withoutIPython(source: string): { text: string; dropped: DroppedLine[] } {
  const lines = source.split('\n');
  const dropped: DroppedLine[] = [];
  const first = lines.findIndex((line) => line.trim() !== '');
  const cellMagic = first === -1 ? null : CELL_MAGIC.exec(lines[first] ?? '');
  if (cellMagic && !PYTHON_BODY_CELL_MAGICS.has(cellMagic[1] ?? '')) {
    // %%bash, %%html, %%writefile...: the body is not Python either, so the whole cell is left out.
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      dropped.push({ line: index + 1, text: line });
      lines[index] = '';
    }
    return { text: lines.join('\n'), dropped };
  }
  const scanner = new StatementScanner();
  for (const [index, line] of lines.entries()) {
    const match = scanner.atStart() ? (LINE_MAGIC_OR_SHELL.exec(line) ?? ASSIGNED_MAGIC.exec(line)) : null;
    if (!match) {
      scanner.feed(line);
      continue;
    }
    dropped.push({ line: index + 1, text: line.replace(/\r$/, '') });
    lines[index] = `${match[1] ?? ''}pass`;
  }
  return { text: lines.join('\n'), dropped };
}

/**
 * Whether the next line starts a statement: not inside brackets, a string or after a backslash. `% b)` on the
 * line after `x = (a` is Python's modulo, and a `!` inside a triple-quoted string is text.
 */
class StatementScanner {
  private depth = 0;
  private quote: string | null = null;
  private continued = false;

  atStart(): boolean {
    return this.depth === 0 && this.quote === null && !this.continued;
  }

  feed(line: string): void {
    this.continued = false;
    const text = line.replace(/\r$/, '');
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i]!;
      if (this.quote !== null) {
        if (c === '\\') i += 1;
        else if (text.startsWith(this.quote, i)) {
          i += this.quote.length - 1;
          this.quote = null;
        }
      } else if (c === '#') break;
      else if (c === '"' || c === "'") {
        this.quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
        i += this.quote.length - 1;
      } else if ('([{'.includes(c)) this.depth += 1;
      else if (')]}'.includes(c)) this.depth = Math.max(0, this.depth - 1);
      else if (c === '\\' && i === text.length - 1) this.continued = true;
    }
    if (this.quote?.length === 1) this.quote = null; // a short string does not go on past its line
  }
}
