// The task-raised error: which input raised what, with the stack as the source map gives it.
import { inspect } from 'node:util';
import { HarnessError, type ErrorData } from './failures';

export function taskRaised(
  input: number,
  error: ErrorData,
  inputs: unknown[] | null,
  file: string,
): HarnessError {
  const shown = inputs && input < inputs.length ? ` (${describeInput(inputs[input])})` : '';
  const at = userLine(error.stack, file);
  return new HarnessError(
    'task-raised',
    `The task for input ${input}${shown} raised ${error.name}: ${error.message}${at ? ` at ${at}` : ''}.`,
    { detail: error.stack, input, recoverable: true },
  );
}

function describeInput(value: unknown): string {
  const text = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 60 });
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The first frame in a file that is neither Node's nor a package's nor Amdahl's own. */
function userLine(stack: string, file: string): string | null {
  let fallback: string | null = null;
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^()]*?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!match) continue;
    const path = match[1]!.replace(/^file:\/\//, '');
    if (path.includes('node_modules') || path.includes('/dist/js-') || path.includes('/.amdahl-')) continue;
    const where = `${path}:${match[2]}`;
    if (path.endsWith(file.replace(/^\.\//, ''))) return where;
    fallback ??= where;
  }
  return fallback;
}
