// Reads an `amdahl: inputs=...` comment from the comment lines right above a definition.
const INPUTS = /amdahl:\s*inputs\s*=\s*(.+?)\s*(\*\/)?\s*$/;

/** `lines` are the file's lines; `line` is the definition's first line (its first decorator). */
export function inputsAbove(lines: string[], line: number, commentPrefix: RegExp): string | undefined {
  for (let index = line - 1; index >= 0; index -= 1) {
    const text = (lines[index] ?? '').trim();
    if (!commentPrefix.test(text)) return undefined;
    const match = INPUTS.exec(text);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

export const PYTHON_COMMENT = /^#/;
export const JS_COMMENT = /^(\/\/|\/\*|\*)/;
