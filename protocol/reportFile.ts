// A report delivered as a file: the runner writes the whole report where the extension keeps its history, and
// sends the extension host the report without its task tables (a million-task report is 16 MB of JSON, a quarter
// of a second to parse and as long again to pass on). The page reads the file itself.
import { writeAtomically } from './atomicWrite';
import type { Point, Report } from './report';
import { EMPTY_TASK_TABLE, jsonPieces } from './taskTable';

/** The report with every task table emptied: what the extension host needs for lenses, titles and errors. */
export function withoutTaskTables(report: Report): Report {
  const light = (point: Point): Point => ({
    ...point,
    tasks: EMPTY_TASK_TABLE,
    passes: point.passes.map(({ tasks: _tasks, ...pass }) => pass),
    ...(point.timelinePasses
      ? { timelinePasses: point.timelinePasses.map(({ tasks: _tasks, ...pass }) => pass) }
      : {}),
  });
  return { ...report, runs: report.runs.map((run) => ({ ...run, points: run.points.map(light) })) };
}

/** Writes the whole report as compact JSON, in pieces, so that no reader sees it half-written. */
export async function writeReportFile(file: string, report: Report): Promise<void> {
  await writeAtomically(file, jsonPieces(report));
}
