// One timed call of the user's function inside a worker thread: W3, W4, the thread's CPU time where Node has
// a per-thread clock, and a throw turned into data with its source-mapped stack.
import { now } from './channel';
import { errorData, type ErrorData } from './failures';

export type TaskOutcome =
  | { ok: true; value: unknown; start: number; end: number; cpu?: number }
  | { ok: false; error: ErrorData; start: number; end: number };

type ThreadCpuUsage = () => { user: number; system: number };
// process.threadCpuUsage arrived in Node 23.9; before it Node has no CPU clock for one thread.
const threadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage?.bind(
  process,
);

export const CPU_TIME_NOTE = threadCpuUsage
  ? 'per-task CPU time from process.threadCpuUsage()'
  : `no per-task CPU time: Node ${process.versions.node} has no per-thread CPU clock (process.threadCpuUsage arrives in Node 23.9; process.cpuUsage counts every thread)`;

function cpuSeconds(): number {
  const usage = threadCpuUsage!();
  return (usage.user + usage.system) / 1e6;
}

/** Calls fn; a returned promise is awaited inside the task, a plain value is not (no extra microtask). */
export function callTask(
  fn: (...args: unknown[]) => unknown,
  arg: unknown,
  starmap: boolean,
): TaskOutcome | Promise<TaskOutcome> {
  const cpu0 = threadCpuUsage ? cpuSeconds() : 0;
  const start = now();
  let returned: unknown;
  try {
    returned = starmap ? fn(...(arg as unknown[])) : fn(arg);
  } catch (error) {
    return { ok: false, error: errorData(error), start, end: now() };
  }
  if (returned !== null && typeof (returned as PromiseLike<unknown>)?.then === 'function') {
    return Promise.resolve(returned).then(
      (value) => finished(value, start, cpu0),
      (error: unknown): TaskOutcome => ({ ok: false, error: errorData(error), start, end: now() }),
    );
  }
  return finished(returned, start, cpu0);
}

/** The same call with no clock read: uninstrumented passes (start and end are 0). */
export function callUntimed(
  fn: (...args: unknown[]) => unknown,
  arg: unknown,
  starmap: boolean,
): TaskOutcome | Promise<TaskOutcome> {
  let returned: unknown;
  try {
    returned = starmap ? fn(...(arg as unknown[])) : fn(arg);
  } catch (error) {
    return { ok: false, error: errorData(error), start: 0, end: 0 };
  }
  if (returned !== null && typeof (returned as PromiseLike<unknown>)?.then === 'function') {
    return Promise.resolve(returned).then(
      (value): TaskOutcome => ({ ok: true, value, start: 0, end: 0 }),
      (error: unknown): TaskOutcome => ({ ok: false, error: errorData(error), start: 0, end: 0 }),
    );
  }
  return { ok: true, value: returned, start: 0, end: 0 };
}

/** What timing one task costs here: callTask against callUntimed on a no-op, the least of a few rounds. */
export function taskTimingSeconds(): number {
  const nothing = (x: unknown): unknown => x;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = now();
    for (let i = 0; i < 2000; i++) void callUntimed(nothing, i, false);
    const t1 = now();
    for (let i = 0; i < 2000; i++) void callTask(nothing, i, false);
    const t2 = now();
    best = Math.min(best, (t2 - t1 - (t1 - t0)) / 2000);
  }
  return Math.max(0, best);
}

function finished(value: unknown, start: number, cpu0: number): TaskOutcome {
  const end = now();
  return threadCpuUsage
    ? { ok: true, value, start, end, cpu: cpuSeconds() - cpu0 }
    : { ok: true, value, start, end };
}
