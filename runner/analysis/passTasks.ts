// A pass's tasks as columns, whichever way they came: joined from batches (`columns`), or as one object per
// task (older harnesses, tests); and the pass's per-task summary, computed once.
import type { PassMessage } from '../../protocol/harness';
import {
  columnsOf,
  encodeColumns,
  summarizeColumns,
  type TaskColumns,
  type TaskSummary,
  type TaskTable,
} from '../../protocol/taskTable';

const fromTasks = new WeakMap<PassMessage, TaskColumns>();
const summaries = new WeakMap<PassMessage, TaskSummary>();

/** The pass's tasks, times in seconds on the harness's clock. */
export function passColumns(pass: PassMessage): TaskColumns {
  if (pass.columns) return pass.columns;
  let columns = fromTasks.get(pass);
  if (!columns) {
    columns = columnsOf(pass.tasks);
    fromTasks.set(pass, columns);
  }
  return columns;
}

export function passTaskCount(pass: PassMessage): number {
  return pass.columns ? pass.columns.worker.length : pass.tasks.length;
}

export function passSummary(pass: PassMessage): TaskSummary {
  let summary = summaries.get(pass);
  if (!summary) {
    summary = summarizeColumns(passColumns(pass));
    summaries.set(pass, summary);
  }
  return summary;
}

/** The pass's tasks as the report's table, times from its map start (P2). */
export function passTable(pass: PassMessage): TaskTable {
  return encodeColumns(passColumns(pass), { origin: pass.mapStart, typed: true });
}

const byInput = new WeakMap<PassMessage, Float64Array>();

/**
 * Each input's task duration in the pass (0 for an input it did not run), indexed by input: one typed array sized
 * by the largest input, not a JavaScript array grown out of order (a million inputs arriving worker by worker made
 * it sparse, and several times larger).
 */
export function durationsByInput(pass: PassMessage): Float64Array {
  const kept = byInput.get(pass);
  if (kept) return kept;
  const columns = passColumns(pass);
  let inputs = 0;
  for (let i = 0; i < columns.worker.length; i += 1) inputs = Math.max(inputs, columns.input[i]! + 1);
  const durations = new Float64Array(inputs);
  for (let i = 0; i < columns.worker.length; i += 1) {
    const input = columns.input[i]!;
    if (input >= 0) durations[input] = columns.end[i]! - columns.start[i]!;
  }
  return durations;
}

/**
 * Keeps the pass's summary (and, for the serial warm-up, each input's duration: the longest-first order and the
 * what-if predictions use them) and lets its tasks go: a warm-up pass is not in the report.
 */
export function summaryOnly(pass: PassMessage, keepDurations = false): void {
  passSummary(pass);
  if (keepDurations) byInput.set(pass, durationsByInput(pass));
  delete pass.columns;
  pass.tasks = [];
  fromTasks.delete(pass);
}
