// Merges each worker's tasks that would be narrower than a pixel into one segment, so a timeline of a million
// tasks draws as a few thousand bars and stays smooth; a lone task keeps its own bar. It reads the report's
// task table decoded to columns (protocol/taskTable.ts), whose tasks come grouped by worker and in start order.
import type { TaskColumns } from '../protocol/taskTable';

export interface Segment {
  worker: string;
  start: number;
  end: number;
  /** The first input in the segment, which colours it. */
  input: number;
  count: number;
  lastInput: number;
}

/** `resolution` is how many distinct slots the time axis has (about its width in pixels). */
export function decimateTasks(tasks: TaskColumns, resolution: number): Segment[] {
  const n = tasks.worker.length;
  if (n === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i += 1) {
    first = Math.min(first, tasks.start[i]!);
    last = Math.max(last, tasks.end[i]!);
  }
  const slot = (last - first) / Math.max(1, resolution);
  const segments: Segment[] = [];
  let current: Segment | null = null;
  for (let i = 0; i < n; i += 1) {
    const worker = tasks.workers[tasks.worker[i]!]!;
    const start = tasks.start[i]!;
    const end = tasks.end[i]!;
    const input = tasks.input[i]!;
    const narrow = end - start < slot;
    if (
      current &&
      current.worker === worker &&
      narrow &&
      end - current.start < slot * 2 &&
      start - current.end < slot
    ) {
      current.end = Math.max(current.end, end);
      current.count += 1;
      current.lastInput = input;
      continue;
    }
    if (current) segments.push(current);
    current = { worker, start, end, input, count: 1, lastInput: input };
  }
  if (current) segments.push(current);
  return segments;
}
