// The warnings of the ray backend (docs/method.md section 4): tasks too small for Ray's own per-task cost (measured
// with no-op tasks when the pool opened, and quoted), large arguments sent by value with every call, and a map
// whose tasks never ran two at once, which is what calling ray.get inside the submitting loop does.
import type { Message } from '../../protocol/report';
import { bytes, ms, pct, type PointFacts, type RunFacts } from './warnings';

/** Ray tasks shorter than this many times Ray's per-task cost lose more than 10% of each slot to it. */
export const RAY_OVERHEAD_FACTOR = 9;
/** Ray sends an argument inline up to 100 KiB; a larger one is put into its object store on every call. */
export const RAY_INLINE_BYTES = 100 * 1024;
/** The share of a pass its tasks must fill before tasks that never overlap mean a serialized map. */
export const SERIALIZED_BUSY_SHARE = 0.5;
/** The share of a pass that putting arguments must take before it is worth a warning. */
export const RAY_PUT_SHARE = 0.02;

export function rayWarnings(run: RunFacts): Message[] {
  if (run.backend !== 'ray') return [];
  return [rayTaskOverheadWarning(run), rayLargeArgumentsWarning(run), raySerializedWarning(run)].filter(
    (m): m is Message => m !== null,
  );
}

/** The most tasks that ran at the same moment in one pass (task start and end times). */
export function mostAtOnce(tasks: readonly { start: number; end: number }[]): number {
  // Ends sort before starts at the same instant: a task that starts as another ends is not running beside it.
  const events = tasks.flatMap((t): [number, number][] => [
    [t.start, 1],
    [t.end, -1],
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, change] of events) {
    running += change;
    most = Math.max(most, running);
  }
  return most;
}

function stat(point: PointFacts, name: string): number | null {
  const value = point.engineStats?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function largest(points: PointFacts[]): PointFacts | null {
  return points.length === 0 ? null : points.reduce((a, b) => (b.workers > a.workers ? b : a));
}

export function rayTaskOverheadWarning(run: RunFacts): Message | null {
  const small = run.points.filter((p) => {
    const cost = stat(p, 'perTaskOverheadSeconds');
    const task = p.medianTaskSeconds;
    return cost !== null && task !== null && task * (p.chunksize ?? 1) < RAY_OVERHEAD_FACTOR * cost;
  });
  const point = largest(small);
  if (point === null) return null;
  const cost = stat(point, 'perTaskOverheadSeconds')!;
  const task = point.medianTaskSeconds!;
  const chunk = point.chunksize ?? 1;
  const perRayTask = task * chunk;
  const needed = Math.ceil((RAY_OVERHEAD_FACTOR * cost) / Math.max(task, 1e-9));
  // One call per worker is the most any batching can do.
  const most = Math.max(1, Math.ceil(point.taskCount / point.workers));
  const suggestion =
    needed <= most
      ? `Give each remote call at least ${Math.max(chunk + 1, needed)} inputs (a list per call, e.g. f.remote(batch)) ` +
        `so a Ray task lasts ${RAY_OVERHEAD_FACTOR}x Ray's cost or more.`
      : `Even one call per worker (${most} inputs each) would run ${duration(task * most)} of work against ` +
        `${duration(cost)} of Ray's: tasks this small run faster serially or on the process backend than through Ray.`;
  return {
    code: 'ray-task-overhead',
    message:
      `${run.scope}: Ray's own cost per task here is ${duration(cost)} (no-op tasks on ${point.workers} slots), ` +
      `and a Ray task runs ${duration(perRayTask)} of work (${chunk} input${chunk === 1 ? '' : 's'} of ` +
      `${duration(task)}), so each slot spends up to ${pct(cost / (cost + perRayTask))} of its time on Ray ` +
      'rather than on the function.',
    scope: run.scope,
    suggestion,
  };
}

/** Seconds as µs below a millisecond (the tasks this warns about can be that short), else as ms() writes them. */
function duration(seconds: number): string {
  return seconds < 1e-3 ? `${(seconds * 1e6).toFixed(seconds < 1e-5 ? 1 : 0)} µs` : ms(seconds);
}

export function rayLargeArgumentsWarning(run: RunFacts): Message | null {
  const calibration = run.calibration;
  const point = largest(run.points);
  if (!calibration || point === null || calibration.argumentBytes < RAY_INLINE_BYTES) return null;
  const put = stat(point, 'argumentPutSeconds');
  if (put === null || !(point.seconds > 0)) return null;
  const perPass = put * point.taskCount;
  const share = perPass / point.seconds;
  if (share < RAY_PUT_SHARE) return null;
  return {
    code: 'ray-large-arguments',
    message:
      `${run.scope}: every call passes its argument by value (${bytes(calibration.argumentBytes)} on average), so ` +
      `Ray serializes it into its object store on each call: ray.put of one took ${ms(put)}, about ` +
      `${ms(perPass)} per pass, ${pct(share)} of the ${ms(point.seconds)} pass at ${point.workers} workers.`,
    scope: run.scope,
    suggestion:
      'Put data that the calls share into the object store once (ref = ray.put(data)) and pass the ObjectRef ' +
      'instead of the data: Ray hands it to the workers without serializing it again for every call.',
  };
}

export function raySerializedWarning(run: RunFacts): Message | null {
  // Tasks far shorter than Ray's dispatch never overlap either: only a pass that is mostly task time counts.
  const serial = run.points.filter(
    (p) =>
      p.workers >= 2 &&
      p.taskCount >= 2 &&
      p.mostAtOnce === 1 &&
      p.overhead.computeSeconds >= SERIALIZED_BUSY_SHARE * p.seconds,
  );
  if (serial.length === 0) return null;
  return {
    code: 'ray-serialized',
    message:
      `${run.scope}: no two tasks ever ran at once (at ${serial.map((p) => p.workers).join(', ')} workers): the ` +
      'map ran one task after another, which is what calling ray.get on each call inside the loop that submits ' +
      'them does.',
    scope: run.scope,
    suggestion:
      'Submit every call first and wait once: refs = [f.remote(x) for x in xs], then ray.get(refs) (or ray.wait to ' +
      'take results as they finish); inside a task, do not ray.get another task per input.',
  };
}
