// Makes a string from user code (an exception message, a file or function name, captured output) safe to show on
// a terminal or in a text channel: control characters are written as escapes (`\x1b`, `\r`), so an ESC sequence
// cannot retitle the terminal or clear the screen, and a carriage return cannot overwrite a line. Every text
// surface uses it: the CLI's stdout and stderr, the extension's output channel, the runner's log lines.

const NAMED: Record<string, string> = { '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0' };

/**
 * C0 controls (all but tab and, when kept, newline), DEL, C1 controls, and the Unicode bidirectional overrides
 * and isolates, which can make text read in another order than it is.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEPING_NEWLINES =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with its control characters escaped; newlines are kept (for multi-line text) or escaped too. */
export function escapeControl(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines ? CONTROL_KEEPING_NEWLINES : CONTROL;
  return text.replace(pattern, (c) => {
    if (c === '\n') return '\\n';
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
