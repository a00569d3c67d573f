// Writes one output of the CLI (a report, a page): `-` is standard output, anything else the shared atomic
// write (protocol/atomicWrite.ts). A failure is a reason to show, never a throw.
import { writeAtomically } from '../../protocol/atomicWrite';

export const STDOUT = '-';

export type WriteOutcome = { ok: true } | { ok: false; reason: string };

export async function writeOutput(file: string, text: string): Promise<WriteOutcome> {
  if (file === STDOUT) {
    process.stdout.write(text);
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
