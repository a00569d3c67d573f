// Which passes' tasks the report keeps in full (protocol/report.ts PassRecord): the median pass of each point's
// timeline passes, the passes a noise rule names, or every pass when the report is small; every other per-task
// pass is kept as its summary. Also the report's account of what it kept and summarised.
import type { PassMessage } from '../../protocol/harness';
import type { PassRecord, Run, TaskRetention } from '../../protocol/report';
import { taskCount } from '../../protocol/taskTable';
import { passColumns, passSummary, passTable, passTaskCount } from './passTasks';
import { passSeconds } from './passTime';
import { median } from './stats';

/** Above this many tasks in all counted passes together, only the passes that need them keep their tasks. */
export const MAX_TASKS_WITH_PASSES = 200_000;

export interface Retention {
  /** The pass whose tasks are the point's own `tasks` (not repeated in its record). */
  median: PassMessage | null;
  /** Keep every pass's tasks: the report is small. */
  keepAll: boolean;
  /** Passes a warning points at, by index among `passes`, with why. */
  noted: ReadonlyMap<number, string>;
}

/** The report's record of each pass: wall time, summary, and the tasks where kept in full. */
export function passRecords(passes: readonly PassMessage[], retention: Retention): PassRecord[] {
  return passes.map((pass, index) => {
    const timed = pass.timing !== 'none' && passTaskCount(pass) > 0;
    const note = retention.noted.get(index);
    const record: PassRecord = {
      sample: pass.sample,
      wallSeconds: passSeconds(pass),
      summary: timed ? passSummary(pass) : null,
      ...(note !== undefined ? { note } : {}),
    };
    if (!timed) return record;
    if (pass === retention.median) return { ...record, kept: 'median' };
    if (note !== undefined) return { ...record, kept: 'warning', tasks: passTable(pass) };
    if (retention.keepAll) return { ...record, kept: 'all', tasks: passTable(pass) };
    return record;
  });
}

/** The median task over the passes: exact up to a million tasks, beyond that the median of the passes' medians. */
export function medianTaskOf(passes: readonly PassMessage[]): number | null {
  const total = passes.reduce((sum, p) => sum + passTaskCount(p), 0);
  if (total === 0) return null;
  if (total > 1_000_000) {
    return median(passes.flatMap((p) => passSummary(p).medianTaskSeconds ?? []));
  }
  const durations = new Float64Array(total);
  let at = 0;
  for (const pass of passes) {
    const columns = passColumns(pass);
    for (let i = 0; i < columns.worker.length; i += 1) durations[at++] = columns.end[i]! - columns.start[i]!;
  }
  durations.sort();
  return total % 2 === 1
    ? durations[(total - 1) / 2]!
    : (durations[total / 2 - 1]! + durations[total / 2]!) / 2;
}

/** What the report kept in full and what it summarised, over every point of every run. */
export function taskRetention(runs: readonly Run[], keepAll: boolean): TaskRetention {
  let fullPasses = 0;
  let fullTasks = 0;
  let summarizedPasses = 0;
  let summarizedTasks = 0;
  for (const point of runs.flatMap((run) => run.points)) {
    for (const pass of [...point.passes, ...(point.timelinePasses ?? [])]) {
      if (!pass.summary) continue;
      if (pass.kept) {
        fullPasses += 1;
        fullTasks += pass.kept === 'median' ? taskCount(point.tasks) : taskCount(pass.tasks!);
      } else {
        summarizedPasses += 1;
        summarizedTasks += pass.summary.tasks;
      }
    }
  }
  const count = (n: number, what: string) =>
    `${n.toLocaleString('en')} ${what}${n === 1 ? '' : what.endsWith('s') ? 'es' : 's'}`;
  const note = keepAll
    ? `Every per-task timed pass is kept in full: ${count(fullPasses, 'pass')}, ${count(fullTasks, 'task')} (a report keeps all of them up to ${MAX_TASKS_WITH_PASSES.toLocaleString('en')} tasks).`
    : `Kept in full: ${count(fullPasses, 'pass')}, ${count(fullTasks, 'task')}: the median pass of each point and the passes a noise warning names. Summarised: ${count(summarizedPasses, 'pass')}, ${count(summarizedTasks, 'task')}, each to its task count, busy and CPU seconds, busiest worker and median task.`;
  return { fullPasses, fullTasks, summarizedPasses, summarizedTasks, note };
}
