// A notebook as a profile target: read and checked, built into a module (notebookModule.ts) and written to a
// folder of its own for the harness and its workers to import; errors are mapped back to cells.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '../../protocol/report';
import { discoverFunctions } from '../discovery/discover';
import { Grammars } from '../discovery/grammars';
import { parseNotebook } from './notebookFile';
import { notebookMessage } from './notebookErrors';
import { buildNotebookModule, type NotebookModule } from './notebookModule';

export type Built<T> = { ok: true; value: T } | { ok: false; error: Message };

/** Reads the notebook and builds the module for the function; every failure is one message. */
export async function notebookModuleFor(file: string, functionName: string): Promise<Built<NotebookModule>> {
  const shown = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : (error as Error).message;
    return { ok: false, error: { code: 'file-not-found', message: `Cannot profile ${file}: ${reason}.` } };
  }
  const read = parseNotebook(text, shown);
  if (!read.ok) return { ok: false, error: { code: 'notebook-invalid', message: read.problem } };
  const grammars = await Grammars.shared();
  const built = await buildNotebookModule(read.cells, functionName, shown, (source) =>
    discoverFunctions(grammars, 'python', 'cell.py', source),
  );
  return built.ok ? { ok: true, value: built.module } : built;
}

export interface NotebookTarget {
  module: NotebookModule;
  /** The module's file, which the harness imports (and pool workers under spawn and forkserver). */
  generated: string;
  /** The notebook's folder: a Jupyter kernel's working folder and first import path entry. */
  folder: string;
  /** A message about the generated module, in the notebook's terms. */
  message: (message: Message) => Message;
  /** Removes the module's folder once nothing imports it any more. */
  dispose: () => Promise<void>;
}

/** Module folders not removed yet: a CLI that quits at once (a second Ctrl-C) removes them as it exits. */
const written = new Set<string>();
process.on('exit', () => {
  for (const folder of written) rmSync(folder, { recursive: true, force: true });
});

export async function prepareNotebook(file: string, functionName: string): Promise<Built<NotebookTarget>> {
  const built = await notebookModuleFor(file, functionName);
  if (!built.ok) return built;
  const module = built.value;
  // Made and recorded in one synchronous step, so an exit at any moment after it removes the folder. realpath:
  // tracebacks name the file as Python resolved it (macOS's /var is /private/var).
  const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'amdahl-notebook-')));
  written.add(folder);
  const shown = path.basename(file);
  const generated = path.join(folder, `${shown}.py`);
  await writeFile(generated, module.text);
  return {
    ok: true,
    value: {
      module,
      generated,
      folder: path.dirname(path.resolve(file)),
      message: (message) => notebookMessage(message, module, { generated, shown }),
      dispose: async () => {
        await rm(folder, { recursive: true, force: true });
        written.delete(folder);
      },
    },
  };
}
