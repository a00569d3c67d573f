// Writes one output of the CLI (a report, a page): `-` is standard output; a regular file or a new path is
// written beside and renamed over, so it is never left half-written; a special file (a character device such as
// /dev/null, a FIFO) is written in place, never replaced. A failure is a reason to show, never a throw.
import { mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const STDOUT = '-';

export type WriteOutcome = { ok: true } | { ok: false; reason: string };

export function writeOutput(file: string, text: string): WriteOutcome {
  if (file === STDOUT) {
    process.stdout.write(text);
    return { ok: true };
  }
  let temporary: string | null = null;
  try {
    const existing = statSync(file, { throwIfNoEntry: false });
    if (existing?.isDirectory()) return { ok: false, reason: 'it is a folder' };
    if (existing && !existing.isFile()) {
      writeFileSync(file, text);
      return { ok: true };
    }
    // A link to a report is kept a link: the file it points to is the one replaced.
    const target = existing ? realpathSync(file) : file;
    makeFolders(path.dirname(target));
    temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
    temporary = null;
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeWriteError(error as NodeJS.ErrnoException) };
  } finally {
    if (temporary) rmSync(temporary, { force: true });
  }
}

/**
 * mkdirSync's recursive mode, one level at a time: Node 20's own loops for ever on a path under /proc, where
 * mkdir answers ENOENT for a parent that exists.
 */
function makeFolders(folder: string): void {
  if (statSync(folder, { throwIfNoEntry: false })) return;
  const parent = path.dirname(folder);
  if (parent !== folder) makeFolders(parent);
  mkdirSync(folder);
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
