// The report's column-wise task tables (protocol/taskTable.ts) and the migration of version 1 reports: exact to
// the stated unit, grouped by worker, a few bytes per task, and version 1 reports read as version 2.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseReport } from '../../protocol/report';
import {
  decodeTasks,
  encodeColumns,
  encodeTasks,
  IntColumn,
  jsonPieces,
  TaskTable,
  summarizeColumns,
  columnsOf,
  taskCount,
  readableJson,
  unitFor,
  type TaskRecord,
} from '../../protocol/taskTable';
import { compareReports } from '../../runner/analysis/compare';
import { largeReport, twoBackendReport } from '../fixtures/reports/synthetic';

const root = path.join(__dirname, '..', '..');
const v1Text = readFileSync(path.join(root, 'test/fixtures/reports/two-backends.json'), 'utf8');

void test('the unit is the power of ten at or above a millionth of the pass, from 1 ns to 1 ms', () => {
  assert.equal(unitFor(1), 1e-6);
  assert.equal(unitFor(0.5), 1e-6);
  assert.equal(unitFor(0.1), 1e-7);
  assert.equal(unitFor(1.5), 1e-5);
  assert.equal(unitFor(1e-6), 1e-9);
  assert.equal(unitFor(1e6), 1e-3);
  assert.equal(unitFor(0), 1e-9);
});

void test('tasks come back within half a unit, grouped by worker and in start order, with CPU', () => {
  const tasks: TaskRecord[] = [
    { worker: 'pid 2', input: 1, start: 0.0102, end: 0.0203, cpu: 0.009 },
    { worker: 'pid 1', input: 0, start: 0.0001, end: 0.01, cpu: 0.0095 },
    { worker: 'pid 1', input: 2, start: 0.0101, end: 0.0207, cpu: 0.01 },
    { worker: 'pid 2', input: 3, start: 0.0204, end: 0.0301, cpu: 0.0097 },
  ];
  const table = encodeTasks(tasks);
  assert.equal(table.unitSeconds, 1e-7);
  assert.deepEqual(table.workers, ['pid 2', 'pid 1'], 'workers in the order of their first task');
  assert.deepEqual(table.counts, [2, 2]);
  assert.deepEqual([...table.input], [1, 2, -3, 2], 'inputs as differences from the previous task');
  const back = decodeTasks(table);
  assert.deepEqual(
    back.map((t) => [t.worker, t.input]),
    [
      ['pid 2', 1],
      ['pid 2', 3],
      ['pid 1', 0],
      ['pid 1', 2],
    ],
  );
  for (const task of back) {
    const original = tasks.find((t) => t.input === task.input)!;
    for (const key of ['start', 'end', 'cpu'] as const) {
      assert.ok(Math.abs(task[key]! - original[key]!) <= 0.5e-7 + 1e-15, `${key} of ${task.input}`);
    }
  }
  assert.equal(encodeTasks([{ worker: 'w', input: 0, start: 0, end: 1 }]).cpu, null);
  assert.equal(taskCount(encodeTasks([])), 0);
});

void test('a table the runner writes holds its columns typed and writes them as JSON arrays, on one line in --json', () => {
  const typed = (tasks: TaskRecord[]): TaskTable => encodeColumns(columnsOf(tasks), { typed: true });
  const table = typed([
    { worker: 'a', input: 0, start: 0.001, end: 0.5, cpu: 0.4 },
    { worker: 'b', input: 1, start: 0.002, end: 0.9, cpu: 0.8 },
  ]);
  for (const column of [table.input, table.gap, table.duration, table.cpu])
    assert.ok(column instanceof IntColumn);
  // Any other table (a migration's, a test's) holds plain arrays, as JSON gives them.
  assert.ok(Array.isArray(encodeTasks([{ worker: 'a', input: 0, start: 0, end: 1 }]).gap));
  const read = JSON.parse(JSON.stringify({ tasks: table })) as { tasks: Record<string, unknown> };
  for (const key of ['input', 'gap', 'duration', 'cpu']) assert.ok(Array.isArray(read.tasks[key]), key);
  assert.deepEqual(decodeTasks(TaskTable.parse(read.tasks)), decodeTasks(table));
  // Written straight from the typed arrays, the text is what JSON.stringify gives (through IntColumn.toJSON).
  const value = { tasks: table, empty: encodeTasks([]), note: '<&>' };
  assert.equal([...jsonPieces(value)].join(''), JSON.stringify(value));
  // A column longer than a piece comes in several, joined the same.
  const long = typed(
    Array.from({ length: 70_000 }, (_, i) => ({
      worker: 'w',
      input: i,
      start: i * 1e-3,
      end: i * 1e-3 + 5e-4,
    })),
  );
  assert.ok([...jsonPieces(long)].length > 20);
  assert.equal([...jsonPieces(long)].join(''), JSON.stringify(long));
  const text = readableJson({ report: { tasks: table } });
  assert.equal(text.split('\n').filter((line) => line.includes('"gap"')).length, 1, text);
  assert.match(text, /"gap":\[\d+,\d+\]/);
  // A column whose values could pass 2^31 units (CPU of 10^4 s in microsecond units) stays a plain array.
  const wide = typed([{ worker: 'a', input: 0, start: 0, end: 1, cpu: 1e4 }]);
  assert.ok(wide.gap instanceof IntColumn);
  assert.ok(Array.isArray(wide.cpu));
  assert.deepEqual(wide.cpu, [1e10]);
});

void test("a table counts from the pass's map start without a shifted copy of its columns", () => {
  const columns = columnsOf([
    { worker: 'a', input: 0, start: 100.25, end: 100.5 },
    { worker: 'a', input: 1, start: 100.5, end: 101 },
  ]);
  const shifted = decodeTasks(encodeColumns(columns, { origin: 100 }));
  assert.deepEqual(
    shifted.map((t) => [t.start, t.end]),
    [
      [0.25, 0.5],
      [0.5, 1],
    ],
  );
});

void test('rounding does not add up along a worker: the last of 100,000 tasks ends where it did', () => {
  const tasks: TaskRecord[] = [];
  let t = 0;
  for (let i = 0; i < 100_000; i += 1) {
    tasks.push({ worker: 'serial', input: i, start: t + 0.37e-6, end: t + 1.13e-6 });
    t += 1.53e-6;
  }
  const table = encodeTasks(tasks);
  const last = decodeTasks(table).at(-1)!;
  assert.ok(Math.abs(last.end - tasks.at(-1)!.end) <= table.unitSeconds / 2 + 1e-12);
});

void test('a million tiny tasks on two configurations take well under 20 MB', () => {
  // The shape of the bound: 1,000,000 tasks of ~1 us on a serial loop and on 2 processes; measured here
  // on 200,000 tasks each and scaled, so the unit suite stays quick (bench/scale.bench.ts measures a million).
  const n = 200_000;
  let bytes = 0;
  for (const workers of [1, 2]) {
    const tasks: TaskRecord[] = [];
    const free = new Array<number>(workers).fill(0);
    for (let i = 0; i < n; i += 1) {
      const w = i % workers;
      const start = free[w]! + 0.4e-6 + ((i * 7919) % 5) * 0.1e-6;
      const end = start + 0.8e-6 + ((i * 104729) % 7) * 0.1e-6;
      free[w] = end;
      tasks.push({ worker: `pid ${w}`, input: i, start, end, cpu: end - start });
    }
    bytes += JSON.stringify(encodeTasks(tasks)).length;
  }
  const perTask = bytes / (2 * n);
  assert.ok(perTask * 2_000_000 <= 20e6, `${perTask.toFixed(1)} bytes per task`);
});

void test('a summary sums task time per worker and finds the busiest and the median task', () => {
  const summary = summarizeColumns(
    columnsOf([
      { worker: 'a', input: 0, start: 0, end: 1, cpu: 0.5 },
      { worker: 'b', input: 1, start: 0, end: 3, cpu: 1 },
      { worker: 'a', input: 2, start: 1, end: 3, cpu: 2 },
    ]),
  );
  assert.deepEqual(summary, {
    tasks: 3,
    busySeconds: 6,
    busiestSeconds: 3,
    cpuSeconds: 3.5,
    medianTaskSeconds: 2,
    workers: 2,
  });
});

void test('a version 1 report is read as version 2: its tasks column-wise, its samples as passes', () => {
  const v1 = JSON.parse(v1Text) as {
    schemaVersion: number;
    runs: { points: { tasks: TaskRecord[]; wallSeconds: { samples: number[] } }[] }[];
  };
  assert.equal(v1.schemaVersion, 1, 'the fixture is a version 1 report');
  const parsed = parseReport(v1);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const report = parsed.value;
  assert.equal(report.schemaVersion, 2);
  assert.match(report.taskRetention!.note, /schemaVersion 1/);
  report.runs.forEach((run, r) =>
    run.points.forEach((point, p) => {
      const before = v1.runs[r]!.points[p]!;
      const after = decodeTasks(point.tasks);
      assert.equal(after.length, before.tasks.length);
      for (const task of after) {
        const original = before.tasks.find((t) => t.input === task.input)!;
        assert.equal(task.worker, original.worker);
        assert.ok(Math.abs(task.end - original.end) <= point.tasks.unitSeconds / 2 + 1e-12);
      }
      assert.deepEqual(
        point.passes.map((pass) => pass.wallSeconds),
        before.wallSeconds.samples,
      );
    }),
  );
});

void test('a version 1 report compares with a version 2 report of the same measurements', () => {
  // two-backends.json is what the synthetic model wrote as version 1; the model now writes version 2.
  const v1 = parseReport(JSON.parse(v1Text));
  assert.ok(v1.ok);
  const outcome = compareReports(
    { file: 'old.json', report: v1.value },
    { file: 'new.json', report: twoBackendReport() },
  );
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  assert.equal(outcome.value.points.length, 9);
  assert.ok(outcome.value.points.every((p) => p.verdict === 'no change' && p.ratio === 1));
});

void test('readable JSON indents the report but keeps each task table on one line, and reads back the same', () => {
  const report = twoBackendReport();
  const text = readableJson(report);
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(report)));
  assert.match(text, /\n {2}"runs": \[/, 'indented');
  assert.match(text, /"tasks": \{"workers":\[/, 'a table on one line');
  const large = largeReport(20_000);
  const compact = readableJson(large).length;
  const indented = JSON.stringify(large, null, 2).length;
  assert.ok(compact < indented / 4, `${compact} bytes against ${indented} indented throughout`);
});

void test('a table read from JSON keeps its columns as they are and refuses a value that is not an integer', () => {
  const tasks = Array.from({ length: 50 }, (_, i): TaskRecord => ({
    worker: `pid ${i % 2}`,
    input: i,
    start: i * 0.01,
    end: i * 0.01 + 0.008,
  }));
  const table = encodeTasks(tasks);
  const read = JSON.parse(JSON.stringify(table)) as { input: number[]; gap: unknown[] };
  const parsed = TaskTable.parse(read);
  assert.equal(parsed.input, read.input, 'the column is the array read, not a copy');
  assert.ok(
    TaskTable.safeParse({ ...read, gap: [...read.gap.slice(1), 0.5] }).success === false,
    'a fraction',
  );
  assert.ok(TaskTable.safeParse({ ...read, gap: [...read.gap.slice(1), '3'] }).success === false, 'a string');
  assert.ok(TaskTable.safeParse({ ...read, gap: [...read.gap.slice(1), null] }).success === false, 'a null');
  assert.ok(TaskTable.safeParse({ ...read, gap: 'gaps' }).success === false, 'not an array');
  assert.ok(
    TaskTable.safeParse({ ...table, input: new IntColumn(read.input) }).success,
    "the runner's IntColumn",
  );
});
