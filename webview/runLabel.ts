// The name a run goes by in legends, tables and exports, and the key that matches a live point to its run.
import type { Run } from '../protocol/report';

export function runLabel(run: Run): string {
  return run.label ?? `${run.target.function} · ${run.backend}${run.runtime ? ` · ${run.runtime}` : ''}`;
}

export function runKey(run: Run): string {
  // Runs of a --sizes sweep differ only in their input size.
  return [
    run.target.file,
    run.target.function,
    run.backend,
    run.startMethod ?? '',
    run.libraryThreads ?? '',
    run.runtime ?? '',
    run.inputSize ?? '',
  ].join('\u0000');
}

/** The group a series' datasets carry in every chart, so one toggle shows or hides a run everywhere. */
export function seriesGroup(run: Run, before: boolean): string {
  return `${before ? 'before' : 'now'}\u0000${runKey(run)}`;
}
