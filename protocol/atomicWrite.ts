// Writes a file so that no reader ever sees it half-written: the text goes to a temporary file beside it, which
// is then renamed over it (a rename within a folder is atomic). Node only; used by the CLI for --json and --html
// and by the extension for saved reports, which is why it lives here, where both may import it.
// Only regular files and new paths are replaced that way: a special file (a character device such as /dev/null,
// a FIFO) is written in place, never replaced, and a link stays a link (the file it points to is replaced).
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates the folder if needed; on failure the temporary file is removed and the error is thrown. The text may
 * come in pieces, written one after another.
 */
export async function writeAtomically(file: string, text: string | Iterable<string>): Promise<void> {
  const existing = await stat(file).catch(() => null);
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    await writeFile(file, text);
    return;
  }
  const target = existing ? await realpath(file) : file;
  await makeFolders(path.dirname(target));
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * mkdir's recursive mode, one level at a time: Node 20's own loops for ever on a path under /proc, where mkdir
 * answers ENOENT for a parent that exists.
 */
async function makeFolders(folder: string): Promise<void> {
  if (await stat(folder).catch(() => null)) return;
  const parent = path.dirname(folder);
  if (parent !== folder) await makeFolders(parent);
  await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
    // Made meanwhile by another writer: fine.
    if (error.code !== 'EEXIST') throw error;
  });
}
