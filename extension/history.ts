// Saved reports in the extension's workspace storage: each written atomically (temporary file, then rename),
// listed newest first, read back through the schema.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../protocol/atomicWrite';
import { parseReport, type Report } from '../protocol/report';

export interface HistoryEntry {
  file: string;
  /** The profiled file's URI and function, for the lens and the history list. */
  uri: string;
  function: string;
  title: string;
  createdAt: string;
  partial: boolean;
}

interface Stored {
  entry: Omit<HistoryEntry, 'file'>;
  report: Report;
}

export class History {
  constructor(private readonly folder: string) {}

  async save(entry: Omit<HistoryEntry, 'file'>, report: Report): Promise<HistoryEntry> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeName = entry.function.replace(/[^\w-]/g, '_');
    const file = path.join(this.folder, `${stamp}-${safeName}.json`);
    const stored: Stored = { entry, report };
    await writeAtomically(file, JSON.stringify(stored));
    return { ...entry, file };
  }

  /** Newest first; files that cannot be read are left out (a half-written file is never renamed into place). */
  async list(): Promise<HistoryEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch {
      return [];
    }
    const entries: HistoryEntry[] = [];
    for (const name of names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse()) {
      const file = path.join(this.folder, name);
      try {
        const stored = JSON.parse(await readFile(file, 'utf8')) as Stored;
        entries.push({ ...stored.entry, file });
      } catch {
        continue;
      }
    }
    return entries;
  }

  async read(entry: HistoryEntry): Promise<{ ok: true; value: Report } | { ok: false; error: string }> {
    try {
      const stored = JSON.parse(await readFile(entry.file, 'utf8')) as Stored;
      return parseReport(stored.report);
    } catch (error) {
      return { ok: false, error: `cannot read ${entry.file}: ${String(error)}` };
    }
  }
}
