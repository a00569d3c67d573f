// Saved reports in the extension's workspace storage. Each report is two files, both written atomically
// (temporary file, then rename): the whole report (`<stamp>-<function>.report.json`, usually written by the
// runner itself, protocol/reportFile.ts) and a small entry beside it (`<stamp>-<function>.json`) that names it, so
// listing the history reads a few hundred bytes per report, not megabytes. Reports saved before kept the entry
// and the report in one file; they are listed and read as before.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomically } from '../protocol/atomicWrite';
import { parseReport, type Report, type ReportParse } from '../protocol/report';
import { writeReportFile } from '../protocol/reportFile';

export interface HistoryEntry {
  /** The entry's own file. */
  file: string;
  /** The whole report's file, which the page reads (for a report saved before: the entry's own file). */
  reportFile: string;
  /** The profiled file's URI and function, for the lens and the history list. */
  uri: string;
  function: string;
  title: string;
  createdAt: string;
  partial: boolean;
}

type EntryFields = Omit<HistoryEntry, 'file' | 'reportFile'>;

/** An entry file: the report's file name beside it, or (saved before) the report itself. */
interface Stored {
  entry: EntryFields;
  reportFile?: string;
  report?: unknown;
}

const REPORT_SUFFIX = '.report.json';

export class History {
  constructor(private readonly folder: string) {}

  /** A new report file's path, for the runner to write the whole report to before `save` records it. */
  reserve(fn: string): string {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return path.join(this.folder, `${stamp}-${fn.replace(/[^\w-]/g, '_')}${REPORT_SUFFIX}`);
  }

  /**
   * Records a report. `reportFile`: the runner has written the whole report there (`report` may then lack its
   * task tables); without it, `report` is whole and is written here.
   */
  async save(entry: EntryFields, report: Report, reportFile?: string): Promise<HistoryEntry> {
    const whole = reportFile ?? this.reserve(entry.function);
    if (reportFile === undefined) await writeReportFile(whole, report);
    const file = `${whole.slice(0, -REPORT_SUFFIX.length)}.json`;
    const stored: Stored = { entry, reportFile: path.basename(whole) };
    await writeAtomically(file, JSON.stringify(stored));
    return { ...entry, file, reportFile: whole };
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
      .filter((n) => n.endsWith('.json') && !n.endsWith(REPORT_SUFFIX))
      .sort()
      .reverse()) {
      const file = path.join(this.folder, name);
      try {
        const stored = JSON.parse(await readFile(file, 'utf8')) as Stored;
        const reportFile = stored.reportFile
          ? path.join(this.folder, path.basename(stored.reportFile))
          : file;
        entries.push({ ...stored.entry, file, reportFile });
      } catch {
        continue;
      }
    }
    return entries;
  }

  async read(entry: HistoryEntry): Promise<ReportParse> {
    try {
      const data = JSON.parse(await readFile(entry.reportFile, 'utf8')) as unknown;
      return parseReport(entry.reportFile === entry.file ? (data as Stored).report : data);
    } catch (error) {
      return { ok: false, error: `cannot read ${entry.reportFile}: ${String(error)}` };
    }
  }
}
