// The extension's saved reports (extension/history.ts): the whole report in a file of its own (the runner's, or
// written here), a small entry beside it that listing reads, and entries saved in the earlier one-file form.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { History } from '../../extension/history';
import { withoutTaskTables, writeReportFile } from '../../protocol/reportFile';
import { taskCount } from '../../protocol/taskTable';
import { largeReport, twoBackendReport } from '../fixtures/reports/synthetic';

const entry = (fn: string, createdAt: string) => ({
  uri: 'file:///w/work.py',
  function: fn,
  title: `${fn}: 1.9x on 2 workers`,
  createdAt,
  partial: false,
});

function withFolder(body: (folder: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'amdahl-history-'));
    try {
      await body(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };
}

void test(
  'a report the runner wrote is recorded by a small entry, listed without reading the report, and read whole',
  withFolder(async (folder) => {
    const history = new History(folder);
    const report = largeReport(20_000);
    const file = history.reserve('work');
    await writeReportFile(file, report);
    const saved = await history.save(entry('work', report.createdAt), withoutTaskTables(report), file);
    assert.equal(saved.reportFile, file);
    assert.ok(statSync(saved.file).size < 1000, 'the entry is small');
    assert.ok(statSync(file).size > 100_000, 'the report file is whole');
    const [listed, ...more] = await history.list();
    assert.equal(more.length, 0, 'the report file is not listed as an entry');
    assert.deepEqual(listed, saved);
    const read = await history.read(listed);
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.equal(
      taskCount(read.value.runs[0]!.points[0]!.tasks),
      taskCount(report.runs[0]!.points[0]!.tasks),
      'read back with its tasks',
    );
  }),
);

void test(
  'a report without a runner file is written whole beside its entry',
  withFolder(async (folder) => {
    const history = new History(folder);
    const report = twoBackendReport();
    const saved = await history.save(entry('work', report.createdAt), report);
    assert.deepEqual(
      readdirSync(folder).sort(),
      [path.basename(saved.file), path.basename(saved.reportFile)].sort(),
    );
    const read = await history.read(saved);
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.deepEqual(JSON.parse(JSON.stringify(read.value)), JSON.parse(JSON.stringify(report)));
  }),
);

void test(
  'an entry saved in the earlier one-file form is listed and read, and a broken file is left out',
  withFolder(async (folder) => {
    const report = twoBackendReport();
    const legacy = path.join(folder, '2026-01-01T00-00-00-000Z-old.json');
    writeFileSync(legacy, JSON.stringify({ entry: entry('old', '2026-01-01T00:00:00.000Z'), report }));
    writeFileSync(path.join(folder, '2026-01-02T00-00-00-000Z-broken.json'), '{"entry": ');
    const history = new History(folder);
    const newer = await history.save(entry('new', report.createdAt), report);
    const listed = await history.list();
    assert.deepEqual(
      listed.map((e) => e.function),
      ['new', 'old'],
      'newest first, the broken one left out',
    );
    assert.equal(listed[0]!.reportFile, newer.reportFile);
    assert.equal(listed[1]!.reportFile, legacy, 'the one-file form is its own report file');
    const read = await history.read(listed[1]!);
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.equal(read.value.createdAt, report.createdAt);
    assert.match(
      readFileSync(newer.file, 'utf8'),
      /"reportFile":"[^"/]+\.report\.json"/,
      'named, not a path',
    );
  }),
);

void test('without task tables, every point and pass of the report is kept but its tasks', () => {
  const report = largeReport(2_000);
  // A pass kept in full (a warning names it), and separate timeline passes, carry tables of their own.
  const point = report.runs[0]!.points[0]!;
  point.passes[1] = { ...point.passes[1]!, kept: 'warning', note: 'the slowest sample', tasks: point.tasks };
  point.timelinePasses = [{ ...point.passes[1] }];
  const light = withoutTaskTables(report);
  const points = light.runs.flatMap((run) => run.points);
  assert.ok(points.length > 0);
  for (const each of points) {
    assert.equal(taskCount(each.tasks), 0);
    assert.ok([...each.passes, ...(each.timelinePasses ?? [])].every((pass) => pass.tasks === undefined));
  }
  assert.equal(light.runs[0]!.points[0]!.passes[1]!.kept, 'warning', 'the pass is still marked kept');
  const bare = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v: unknown) => (key === 'tasks' && typeof v === 'object' ? undefined : v)),
    );
  assert.deepEqual(bare(light), bare(report), 'the same report otherwise');
  assert.ok(taskCount(report.runs[0]!.points[0]!.tasks) > 0, 'the report itself is not changed');
});
