// Writes a file so that no reader ever sees it half-written: the text goes to a temporary file beside it, which
// is then renamed over it (a rename within a folder is atomic). Node only; used by the CLI for --json and --html
// and by the extension for saved reports, which is why it lives here, where both may import it.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Creates the folder if needed; on failure the temporary file is removed and the error is thrown. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
