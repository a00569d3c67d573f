// Writes one output of the CLI (a report, a page): `-` is standard output, anything else the shared atomic
// write (protocol/atomicWrite.ts). A failure is a reason to show, never a throw.
import { writeAtomically } from '../../protocol/atomicWrite';
import { escapeControl } from '../../protocol/terminalText';

export const STDOUT = '-';

export type WriteOutcome = { ok: true } | { ok: false; reason: string };

/** Text whole, or in pieces written one after another (a large report's JSON is never one string). */
export type OutputText = string | Iterable<string>;

export async function writeOutput(file: string, text: OutputText): Promise<WriteOutcome> {
  if (file === STDOUT) {
    for (const piece of typeof text === 'string' ? [text] : text) process.stdout.write(piece);
    return { ok: true };
  }
  try {
    await writeAtomically(file, text);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeWriteError(error as NodeJS.ErrnoException) };
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'the folder does not exist and cannot be created',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ENAMETOOLONG: 'the name is too long',
};

function describeWriteError(error: NodeJS.ErrnoException): string {
  const reason = error.code ? REASONS[error.code] : undefined;
  return reason ? `${reason} (${error.code})` : error.message;
}

/** One output of a command: what it is ("report", "page"), where it goes (null: not asked for), how to make it. */
export type Output = [what: string, file: string | null, render: () => OutputText];

/**
 * Writes each asked-for output, saying where with `say` and why not on stderr; true when every one was written.
 * An output that fails does not stop the others.
 */
export async function writeOutputs(outputs: Output[], say: (text: string) => void): Promise<boolean> {
  let allWritten = true;
  for (const [what, file, render] of outputs) {
    if (file === null) continue;
    const written = await writeOutput(file, render());
    if (written.ok) {
      if (file !== STDOUT) say(`${what}: ${escapeControl(file)}\n`);
    } else {
      allWritten = false;
      process.stderr.write(
        `amdahl: the ${what} could not be written to ${escapeControl(file)}: ${written.reason}.\n`,
      );
    }
  }
  return allWritten;
}

/**
 * Where a command's messages go: standard output, unless an output is written there (`-`), which then carries
 * that output alone and the messages go to stderr.
 */
export function sayer(outputs: (string | null)[]): (text: string) => void {
  const toStdout = outputs.includes(STDOUT);
  return (text) => void (toStdout ? process.stderr.write(text) : process.stdout.write(text));
}
