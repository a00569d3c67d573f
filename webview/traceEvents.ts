// The timeline as a Chrome trace event file (JSON object format), which Perfetto and chrome://tracing open:
// a process per (run, k), a thread per worker, a complete ("X") event per task in microseconds.
import type { Report } from '../protocol/report';
import { decodeTasks, taskCount } from '../protocol/taskTable';
import { runLabel } from './runLabel';

interface TraceEvent {
  name: string;
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

export function toTraceEvents(report: Report): { traceEvents: TraceEvent[]; displayTimeUnit: 'ms' } {
  const traceEvents: TraceEvent[] = [];
  let pid = 0;
  for (const run of report.runs) {
    for (const point of [...run.points].sort((a, b) => a.workers - b.workers)) {
      if (taskCount(point.tasks) === 0) continue;
      pid += 1;
      traceEvents.push({
        name: 'process_name',
        ph: 'M',
        pid,
        tid: 0,
        args: { name: `${runLabel(run)} · k = ${point.workers}` },
      });
      traceEvents.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
      const threads = new Map<string, number>();
      for (const task of decodeTasks(point.tasks)) {
        let tid = threads.get(task.worker);
        if (tid === undefined) {
          tid = threads.size + 1;
          threads.set(task.worker, tid);
          traceEvents.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: task.worker } });
        }
        traceEvents.push({
          name: `input ${task.input}`,
          cat: 'task',
          ph: 'X',
          pid,
          tid,
          ts: task.start * 1e6,
          dur: (task.end - task.start) * 1e6,
          args: { input: task.input, ...(task.cpu === undefined ? {} : { cpuSeconds: task.cpu }) },
        });
      }
    }
  }
  return { traceEvents, displayTimeUnit: 'ms' };
}
