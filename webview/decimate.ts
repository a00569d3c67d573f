// Merges each worker's tasks that would be narrower than a pixel into one segment, so a timeline of tens of
// thousands of tasks draws as a few thousand bars and stays smooth; a lone task keeps its own bar.
import type { TaskRecord } from '../protocol/report';

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
export function decimateTasks(tasks: TaskRecord[], resolution: number): Segment[] {
  if (tasks.length === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (const task of tasks) {
    first = Math.min(first, task.start);
    last = Math.max(last, task.end);
  }
  const slot = (last - first) / Math.max(1, resolution);
  const byWorker = new Map<string, TaskRecord[]>();
  for (const task of tasks) {
    const list = byWorker.get(task.worker);
    if (list) list.push(task);
    else byWorker.set(task.worker, [task]);
  }
  const segments: Segment[] = [];
  for (const [worker, list] of byWorker) {
    list.sort((a, b) => a.start - b.start);
    let current: Segment | null = null;
    for (const task of list) {
      const narrow = task.end - task.start < slot;
      if (current && narrow && task.end - current.start < slot * 2 && task.start - current.end < slot) {
        current.end = Math.max(current.end, task.end);
        current.count += 1;
        current.lastInput = task.input;
        continue;
      }
      if (current) segments.push(current);
      current = {
        worker,
        start: task.start,
        end: task.end,
        input: task.input,
        count: 1,
        lastInput: task.input,
      };
    }
    if (current) segments.push(current);
  }
  return segments;
}
