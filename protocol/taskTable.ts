// One pass's tasks as the report stores them (schemaVersion 2): column-wise, grouped by worker and ordered by
// start, times as whole units of `unitSeconds`, each start given as the gap since the worker's previous task
// ended, so that a million tiny tasks cost a few bytes each. Encoding and decoding live here, beside the schema,
// so the runner that writes tables and every reader (page, CLI, extension) agree on one definition.
import { z } from 'zod';

const int = z.number().int();

/**
 * An integer column of a table the runner writes: 4 bytes a value in a typed array, off the JavaScript heap,
 * where a plain array takes 8 on it (a million-task pass has four such columns). JSON writes it as an array, so
 * every report on disk, on the page and over the language server protocol reads back as plain arrays.
 */
export class IntColumn extends Int32Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

/**
 * A column as read from JSON: checked in one loop and kept as it is. z.array(z.number().int()) parses each value on
 * its own and copies the array; at a million tasks that took 0.7 s of the report page's first paint.
 */
const intArray = z.custom<number[]>(
  (value) => Array.isArray(value) && value.every((v) => Number.isSafeInteger(v)),
  'expected an array of integers',
);
/** A table's column: plain numbers as read from JSON, or the runner's IntColumn before it is written. */
const column = z.union([intArray, z.instanceof(IntColumn)]);
/** The most an IntColumn holds; a column that could go beyond is written as a plain array. */
const INT32_MAX = 2 ** 31 - 1;

export const TaskTable = z.object({
  /** Worker names, in the order their tasks follow one another in the columns below. */
  workers: z.array(z.string()),
  /** How many tasks each worker ran (the worker column, run-length encoded): one count per name above. */
  counts: z.array(int),
  /** Seconds per unit of `gap`, `duration` and `cpu`: a power of ten near a millionth of the pass. */
  unitSeconds: z.number().positive(),
  /** The task's input index less the previous task's (the first task's: less 0). */
  input: column,
  /** Units from the end of the worker's previous task (its first task: from the start of the pass, P2) to W3. */
  gap: column,
  /** W4 - W3 in units, both rounded to a unit first, so that no rounding adds up along a worker's row. */
  duration: column,
  /** CPU time of the task in units; null where the runtime did not report it for every task. */
  cpu: column.nullable(),
});
export type TaskTable = z.infer<typeof TaskTable>;

/** One task with times in seconds from the start of the pass, as readers use it. */
export interface TaskRecord {
  worker: string;
  input: number;
  start: number;
  end: number;
  cpu?: number;
}

/** The decoded table: one entry per task in the table's order (by worker, then start), times in seconds from P2. */
export interface TaskColumns {
  workers: readonly string[];
  /** Index into `workers`. */
  worker: Int32Array;
  input: Int32Array | Float64Array;
  start: Float64Array;
  end: Float64Array;
  cpu: Float64Array | null;
  /** P3 of each task's input, where the harness sent it (runner side only: the report keeps none). */
  result?: Float64Array;
}

export const EMPTY_TASK_TABLE: TaskTable = {
  workers: [],
  counts: [],
  unitSeconds: 1e-6,
  input: [],
  gap: [],
  duration: [],
  cpu: null,
};

export function taskCount(table: TaskTable): number {
  return table.input.length;
}

/**
 * The unit for a pass that spans `spanSeconds`: the power of ten at or above a millionth of the span, between a
 * nanosecond and a millisecond. A timeline is drawn at most a few thousand pixels wide, so it loses nothing it
 * could show; the report's sums and medians come from the full-precision times, not from this table.
 */
export function unitFor(spanSeconds: number): number {
  if (!(spanSeconds > 0)) return 1e-9;
  const exponent = Math.ceil(Math.log10(spanSeconds / 1e6) - 1e-9);
  // 1e-5 as a literal: 10 ** -5 is 0.000009999999999999999.
  return Number(`1e${Math.min(-3, Math.max(-9, exponent))}`);
}

/** Encodes tasks whose times are seconds from the start of the pass; any order, ties kept in input order. */
export function encodeTasks(tasks: readonly TaskRecord[], unitSeconds?: number): TaskTable {
  return encodeColumns(columnsOf(tasks), { unitSeconds });
}

/** Records as columns, exactly (no rounding); the order is kept. */
export function columnsOf(tasks: readonly TaskRecord[]): TaskColumns {
  const names = [...new Set(tasks.map((t) => t.worker))];
  const rank = new Map(names.map((name, index) => [name, index]));
  const withCpu = tasks.length > 0 && tasks.every((t) => t.cpu !== undefined);
  return {
    workers: names,
    worker: Int32Array.from(tasks, (t) => rank.get(t.worker)!),
    input: Float64Array.from(tasks, (t) => t.input),
    start: Float64Array.from(tasks, (t) => t.start),
    end: Float64Array.from(tasks, (t) => t.end),
    cpu: withCpu ? Float64Array.from(tasks, (t) => t.cpu!) : null,
  };
}

export interface EncodeOptions {
  /** The table's unit; by default unitFor the pass's span. */
  unitSeconds?: number;
  /** The start of the pass on the columns' clock (its map start, P2); 0 where they already count from it. */
  origin?: number;
  /**
   * IntColumns rather than plain arrays, for a table the runner writes at once (its JSON is the same). Only the
   * runner asks: anything that may clone the report or hand it on as an object (a migration in the extension,
   * which posts it to the page) keeps plain arrays.
   */
  typed?: boolean;
}

/**
 * Encodes columns whose times are seconds from the start of the pass, without a shifted copy of them where
 * they count from elsewhere; any order, ties kept in input order.
 */
export function encodeColumns(columns: TaskColumns, options: EncodeOptions = {}): TaskTable {
  const n = columns.worker.length;
  if (n === 0) return EMPTY_TASK_TABLE;
  const { origin = 0, typed = false } = options;
  let span = 0;
  let inputs = 0;
  let cpu = 0;
  for (let i = 0; i < n; i += 1) {
    span = Math.max(span, Math.abs(columns.end[i]! - origin), Math.abs(columns.start[i]! - origin));
    inputs = Math.max(inputs, Math.abs(columns.input[i]!));
    if (columns.cpu) cpu = Math.max(cpu, columns.cpu[i]!);
  }
  const unit = options.unitSeconds ?? unitFor(span);
  const { order } = byWorkerThenStart(columns);
  // Names in the order of the sorted columns; names without a task are left out.
  const used: number[] = [];
  // A gap or a duration is at most twice the span; an input's difference at most twice the largest input.
  const times = 2 * Math.ceil(span / unit) + 1;
  const table: TaskTable = {
    workers: [],
    counts: [],
    unitSeconds: unit,
    input: intColumn(n, typed ? 2 * inputs : Infinity),
    gap: intColumn(n, typed ? times : Infinity),
    duration: intColumn(n, typed ? times : Infinity),
    cpu: columns.cpu ? intColumn(n, typed ? Math.ceil(cpu / unit) + 1 : Infinity) : null,
  };
  let previousWorker = -1;
  let previousEnd = 0;
  let previousInput = 0;
  for (let position = 0; position < n; position += 1) {
    const index = order[position]!;
    const worker = columns.worker[index]!;
    if (worker !== previousWorker) {
      used.push(worker);
      table.counts.push(0);
      previousEnd = 0;
      previousWorker = worker;
    }
    table.counts[table.counts.length - 1]! += 1;
    const start = Math.round((columns.start[index]! - origin) / unit);
    const end = Math.round((columns.end[index]! - origin) / unit);
    const input = columns.input[index]!;
    table.input[position] = input - previousInput;
    table.gap[position] = start - previousEnd;
    table.duration[position] = end - start;
    if (table.cpu) table.cpu[position] = Math.round(columns.cpu![index]! / unit);
    previousInput = input;
    previousEnd = end;
  }
  table.workers = used.map((w) => columns.workers[w]!);
  return table;
}

/** An IntColumn where every value is known to fit (bound), else a plain array. */
function intColumn(n: number, bound: number): IntColumn | number[] {
  return bound <= INT32_MAX ? new IntColumn(n) : new Array<number>(n);
}

/** The table's tasks as columns of seconds from the start of the pass, without an object per task. */
export function decodeColumns(table: TaskTable): TaskColumns {
  const n = table.input.length;
  const columns: TaskColumns = {
    workers: table.workers,
    worker: new Int32Array(n),
    input: new Float64Array(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
    cpu: table.cpu ? new Float64Array(n) : null,
  };
  const unit = table.unitSeconds;
  let position = 0;
  let input = 0;
  table.counts.forEach((count, worker) => {
    let end = 0;
    for (let i = 0; i < count && position < n; i += 1, position += 1) {
      input += table.input[position]!;
      const start = end + table.gap[position]!;
      end = start + table.duration[position]!;
      columns.worker[position] = worker;
      columns.input[position] = input;
      columns.start[position] = start * unit;
      columns.end[position] = end * unit;
      if (columns.cpu) columns.cpu[position] = table.cpu![position]! * unit;
    }
  });
  return columns;
}

/** The table's tasks as records, for readers that want one object per task (small tables, exports). */
export function decodeTasks(table: TaskTable): TaskRecord[] {
  const columns = decodeColumns(table);
  const tasks = new Array<TaskRecord>(columns.worker.length);
  for (let i = 0; i < tasks.length; i += 1) {
    tasks[i] = {
      worker: columns.workers[columns.worker[i]!]!,
      input: columns.input[i]!,
      start: columns.start[i]!,
      end: columns.end[i]!,
      ...(columns.cpu ? { cpu: columns.cpu[i]! } : {}),
    };
  }
  return tasks;
}

/** The per-task figures of one pass that the report keeps for every pass (protocol/report.ts PassSummary). */
export interface TaskSummary {
  tasks: number;
  busySeconds: number;
  busiestSeconds: number;
  cpuSeconds: number | null;
  medianTaskSeconds: number | null;
  workers: number;
}

/** Sums, busiest worker and median task of columns (times on any one clock). */
export function summarizeColumns(columns: TaskColumns): TaskSummary {
  const n = columns.worker.length;
  const durations = new Float64Array(n);
  const busy = new Float64Array(columns.workers.length);
  let total = 0;
  let cpu = 0;
  for (let i = 0; i < n; i += 1) {
    const duration = columns.end[i]! - columns.start[i]!;
    durations[i] = duration;
    busy[columns.worker[i]!]! += duration;
    total += duration;
    if (columns.cpu) cpu += columns.cpu[i]!;
  }
  durations.sort();
  let busiest = 0;
  let workers = 0;
  const ran = new Uint8Array(columns.workers.length);
  for (let i = 0; i < n; i += 1) ran[columns.worker[i]!] = 1;
  busy.forEach((seconds, w) => {
    busiest = Math.max(busiest, seconds);
    workers += ran[w]!;
  });
  const middle =
    n === 0 ? null : n % 2 === 1 ? durations[(n - 1) / 2]! : (durations[n / 2 - 1]! + durations[n / 2]!) / 2;
  return {
    tasks: n,
    busySeconds: total,
    busiestSeconds: busiest,
    cpuSeconds: columns.cpu && n > 0 ? cpu : null,
    medianTaskSeconds: middle,
    workers,
  };
}

/**
 * The tasks' order by worker (in the order of `workers`), then by start, then by input, as positions into the
 * columns, with where each worker's tasks begin (`offsets[w]` to `offsets[w + 1]`). A counting sort by worker
 * keeps a worker's tasks in the order they came, which is their start order but for rare exceptions; only a
 * worker whose tasks are out of order is sorted. A million tasks take milliseconds, not a comparison sort's second.
 */
export function byWorkerThenStart(columns: TaskColumns): { order: Uint32Array; offsets: Uint32Array } {
  const n = columns.worker.length;
  const k = columns.workers.length;
  const offsets = new Uint32Array(k + 1);
  for (let i = 0; i < n; i += 1) offsets[columns.worker[i]! + 1]! += 1;
  for (let w = 0; w < k; w += 1) offsets[w + 1]! += offsets[w]!;
  const next = offsets.slice(0, k);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[next[columns.worker[i]!]!++] = i;
  const before = (a: number, b: number): number =>
    columns.start[a]! - columns.start[b]! || columns.input[a]! - columns.input[b]!;
  for (let w = 0; w < k; w += 1) {
    const segment = order.subarray(offsets[w], offsets[w + 1]);
    for (let j = 1; j < segment.length; j += 1) {
      if (before(segment[j - 1]!, segment[j]!) > 0) {
        segment.sort(before);
        break;
      }
    }
  }
  return { order, offsets };
}

/**
 * The tasks' order by start, then end, over all workers: each worker's run merged with the others' (a heap of k
 * heads), as positions into the columns.
 */
export function byStart(columns: TaskColumns): Uint32Array {
  const { order, offsets } = byWorkerThenStart(columns);
  const k = columns.workers.length;
  const head = offsets.slice(0, k);
  const earlier = (v: number, w: number): boolean => {
    const a = order[head[v]!]!;
    const b = order[head[w]!]!;
    const d = columns.start[a]! - columns.start[b]!;
    return (
      d < 0 ||
      (d === 0 && (columns.end[a]! < columns.end[b]! || (columns.end[a] === columns.end[b] && v < w)))
    );
  };
  const heap: number[] = [];
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      const swapped = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = swapped;
      i = m;
    }
  };
  for (let w = 0; w < k; w += 1) if (offsets[w]! < offsets[w + 1]!) heap.push(w);
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i -= 1) down(i);
  const merged = new Uint32Array(order.length);
  for (let at = 0; heap.length > 0; at += 1) {
    const w = heap[0]!;
    merged[at] = order[head[w]!]!;
    head[w]! += 1;
    if (head[w]! === offsets[w + 1]!) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    down(0);
  }
  return merged;
}

/**
 * A report (or any value holding task tables) as indented JSON for people, with each task table on one line:
 * indenting a million-entry column would put every number on a line of its own, eight times the bytes.
 */
export function readableJson(value: unknown): string {
  return [...jsonPieces(value, 2)].join('');
}

/** readableJson in pieces, ending with a newline, as the CLI writes a report file. */
export function* readableJsonLines(value: unknown): Generator<string> {
  yield* jsonPieces(value, 2);
  yield '\n';
}

/** Values of a column per piece of text: a piece stays well under a megabyte. */
const VALUES_PER_PIECE = 65_536;

/**
 * The JSON of a value holding task tables, in pieces to write one after another: the text around the tables,
 * then each table with its columns a slice at a time, joined straight from their IntColumns. Whole, the text of
 * a million-task report is 16 MB, and JSON.stringify would first copy each column into an array of numbers
 * (8 bytes a value); in pieces, writing it holds one slice at a time. Joined, the pieces are what
 * JSON.stringify(value, null, indent) gives, but for each table on one line.
 */
export function* jsonPieces(value: unknown, indent?: number): Generator<string> {
  const nonce = globalThis.crypto.randomUUID();
  const tables: TaskTable[] = [];
  const text = JSON.stringify(
    value,
    function (this: unknown, _key: string, item: unknown) {
      if (!isTaskTable(item)) return item;
      tables.push(item as TaskTable);
      return `${nonce}:${tables.length - 1}`;
    },
    indent,
  );
  const placeholder = new RegExp(`"${nonce}:(\\d+)"`, 'g');
  let from = 0;
  for (let match = placeholder.exec(text); match !== null; match = placeholder.exec(text)) {
    yield text.slice(from, match.index);
    yield* tablePieces(tables[Number(match[1])]!);
    from = match.index + match[0].length;
  }
  yield text.slice(from);
}

/** One table as compact JSON in pieces, the text JSON.stringify gives it. */
function* tablePieces(table: TaskTable): Generator<string> {
  let separator = '{';
  for (const [key, field] of Object.entries(table)) {
    yield `${separator}${JSON.stringify(key)}:`;
    separator = ',';
    if (!(field instanceof IntColumn)) {
      yield JSON.stringify(field);
      continue;
    }
    yield '[';
    for (let at = 0; at < field.length; at += VALUES_PER_PIECE) {
      yield `${at > 0 ? ',' : ''}${field.subarray(at, at + VALUES_PER_PIECE).join(',')}`;
    }
    yield ']';
  }
  yield separator === '{' ? '{}' : '}';
}

function isTaskTable(item: unknown): boolean {
  return (
    typeof item === 'object' &&
    item !== null &&
    'unitSeconds' in item &&
    'counts' in item &&
    'gap' in item &&
    (Array.isArray((item as TaskTable).gap) || (item as TaskTable).gap instanceof IntColumn)
  );
}
