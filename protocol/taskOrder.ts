// The order a pool is given the inputs in (--order, amdahl.order): as given, or longest first by the serial loop's
// measured task times, the classic fix for a tail where one worker still runs while the others idle.
import { z } from 'zod';
import type { BackendName } from './backends';

export const TaskOrder = z.enum(['given', 'longest-first']);
export type TaskOrder = z.infer<typeof TaskOrder>;

/** The backends whose harness submits the inputs in an order it is given (dask and ipyparallel do not). */
export const ORDERED_BACKENDS: ReadonlySet<BackendName> = new Set<BackendName>([
  'process',
  'thread',
  'futures-process',
  'joblib',
]);

export type TaskOrderParse = { ok: true; value: TaskOrder } | { ok: false; error: string };

export function parseTaskOrder(text: string, option: string): TaskOrderParse {
  const parsed = TaskOrder.safeParse(text.trim());
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: `${option} must be given or longest-first (got "${text}")` };
}

/** The input indices longest first by their measured seconds; ties keep their given order. */
export function longestFirst(seconds: readonly number[]): number[] {
  return seconds
    .map((s, index) => ({ s, index }))
    .sort((a, b) => b.s - a.s || a.index - b.index)
    .map((entry) => entry.index);
}
