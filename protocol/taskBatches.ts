// A pass's task timings in batches (protocol/harness.ts TaskBatchMessage): the Node harness splits a pass into
// them, and the runner joins them into columns without an object per task, so a million tasks stay a few arrays.
import { TASK_BATCH_SIZE, type PassMessage, type TaskBatchMessage, type TaskTiming } from './harness';
import type { TaskColumns } from './taskTable';

const NS = 1e9;

/** The batches of a pass's tasks, in order, with `origin` the pass's map start (P2). */
export function* taskBatches(
  pass: Pick<PassMessage, 'id' | 'sample' | 'mapStart' | 'resultTimes'> & { tasks: readonly TaskTiming[] },
): Generator<TaskBatchMessage> {
  const { id, sample, mapStart: origin, tasks } = pass;
  const withCpu = tasks.every((t) => t.cpu !== undefined);
  const received = pass.resultTimes ? new Map(pass.resultTimes) : null;
  const withResults = received !== null && tasks.every((t) => received.has(t.input));
  for (let from = 0; from < tasks.length; from += TASK_BATCH_SIZE) {
    const part = tasks.slice(from, from + TASK_BATCH_SIZE);
    const names = [...new Set(part.map((t) => t.worker))];
    const rank = new Map(names.map((name, index) => [name, index]));
    yield {
      type: 'tasks',
      id,
      sample,
      origin,
      total: tasks.length,
      workers: names,
      worker: part.map((t) => rank.get(t.worker)!),
      input: part.map((t) => t.input),
      start: part.map((t) => Math.round((t.start - origin) * NS)),
      duration: part.map((t) => Math.round((t.end - t.start) * NS)),
      cpu: withCpu ? part.map((t) => Math.round(t.cpu! * NS)) : null,
      ...(withResults ? { result: part.map((t) => Math.round((received.get(t.input)! - origin) * NS)) } : {}),
    };
  }
}

/** The pass message that follows its batches: no tasks of its own, the batch and task counts instead. */
export function batchedPass<P extends Pick<PassMessage, 'tasks' | 'resultTimes'>>(pass: P): P {
  const batches = Math.ceil(pass.tasks.length / TASK_BATCH_SIZE);
  const { resultTimes: _dropped, ...rest } = pass;
  return { ...rest, tasks: [], taskBatches: batches, taskCount: pass.tasks.length } as unknown as P;
}

/** Joins the batches of one pass into growing typed columns. */
class ColumnBuilder {
  readonly names: string[] = [];
  private readonly rank = new Map<string, number>();
  length = 0;
  batches = 0;
  withCpu = true;
  worker = new Int32Array(1024);
  input = new Int32Array(1024);
  start = new Float64Array(1024);
  end = new Float64Array(1024);
  cpu = new Float64Array(1024);
  result: Float64Array | null = new Float64Array(1024);

  add(batch: TaskBatchMessage): void {
    const n = batch.input.length;
    this.reserve(Math.max(this.length + n, batch.total ?? 0));
    const ranks = batch.workers.map((name) => {
      let r = this.rank.get(name);
      if (r === undefined) {
        r = this.names.length;
        this.names.push(name);
        this.rank.set(name, r);
      }
      return r;
    });
    if (batch.cpu === null) this.withCpu = false;
    if (batch.result === undefined) this.result = null;
    for (let i = 0; i < n; i += 1) {
      const at = this.length + i;
      const start = batch.origin + batch.start[i]! / NS;
      this.worker[at] = ranks[batch.worker[i]!] ?? -1;
      this.input[at] = batch.input[i]!;
      this.start[at] = start;
      this.end[at] = start + batch.duration[i]! / NS;
      if (batch.cpu) this.cpu[at] = batch.cpu[i]! / NS;
      if (this.result && batch.result) this.result[at] = batch.origin + batch.result[i]! / NS;
    }
    this.length += n;
    this.batches += 1;
  }

  /** Views of the arrays, not copies: a copy would double a million-task pass for a moment. */
  finish(): TaskColumns {
    const n = this.length;
    return {
      workers: this.names,
      worker: this.worker.subarray(0, n),
      input: this.input.subarray(0, n),
      start: this.start.subarray(0, n),
      end: this.end.subarray(0, n),
      cpu: this.withCpu ? this.cpu.subarray(0, n) : null,
      ...(this.result && this.batches > 0 ? { result: this.result.subarray(0, n) } : {}),
    };
  }

  private reserve(size: number): void {
    if (size <= this.worker.length) return;
    // The first batch says the pass's total: one allocation of the exact size. Without it, double.
    let capacity = this.length === 0 ? size : this.worker.length;
    while (capacity < size) capacity *= 2;
    this.worker = grow(this.worker, new Int32Array(capacity));
    this.input = grow(this.input, new Int32Array(capacity));
    this.start = grow(this.start, new Float64Array(capacity));
    this.end = grow(this.end, new Float64Array(capacity));
    this.cpu = grow(this.cpu, new Float64Array(capacity));
    if (this.result) this.result = grow(this.result, new Float64Array(capacity));
  }
}

function grow<T extends Int32Array | Float64Array>(old: T, into: T): T {
  into.set(old);
  return into;
}

/** The runner's side: batches by (id, sample) until the pass they belong to arrives. */
export class TaskBatchCollector {
  private readonly open = new Map<string, ColumnBuilder>();

  add(batch: TaskBatchMessage): string | null {
    if (
      batch.worker.length !== batch.input.length ||
      batch.start.length !== batch.input.length ||
      batch.duration.length !== batch.input.length ||
      (batch.cpu !== null && batch.cpu.length !== batch.input.length) ||
      (batch.result !== undefined && batch.result.length !== batch.input.length) ||
      batch.worker.some((w) => w < 0 || w >= batch.workers.length)
    ) {
      return `a task batch of ${batch.id} sample ${batch.sample} whose columns do not match`;
    }
    const key = `${batch.id}\u0000${batch.sample}`;
    let builder = this.open.get(key);
    if (!builder) {
      builder = new ColumnBuilder();
      this.open.set(key, builder);
    }
    builder.add(batch);
    return null;
  }

  /**
   * Attaches the batches of the pass to it (as `columns`), or says what does not match: the pass's own counts
   * are the check that no batch went missing. A pass sent without batches is left as it is.
   */
  attach(pass: PassMessage): string | null {
    const key = `${pass.id}\u0000${pass.sample}`;
    const builder = this.open.get(key);
    this.open.delete(key);
    if (pass.taskBatches === undefined) {
      return builder ? `task batches for ${pass.id} sample ${pass.sample}, whose pass said none` : null;
    }
    const batches = builder?.batches ?? 0;
    const count = builder?.length ?? 0;
    if (batches !== pass.taskBatches || count !== (pass.taskCount ?? count)) {
      return `${pass.id} sample ${pass.sample}: ${batches} task batches of ${count} tasks came, the pass said ${pass.taskBatches} of ${pass.taskCount ?? '?'}`;
    }
    pass.columns = builder?.finish() ?? new ColumnBuilder().finish();
    return null;
  }

  /** Drops batches of a pass that will not come (its command failed). */
  clear(): void {
    this.open.clear();
  }
}
