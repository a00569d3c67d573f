// A pass's tasks in batches (protocol/taskBatches.ts): what the harnesses send and the runner joins into columns,
// sized once from the batches' total, or grown where an older harness sends none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PassMessage, TaskTiming } from '../../protocol/harness';
import { batchedPass, TaskBatchCollector, taskBatches } from '../../protocol/taskBatches';

function passOf(n: number): { pass: PassMessage; tasks: TaskTiming[] } {
  const tasks: TaskTiming[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = 10 + i * 1e-3;
    tasks.push({ worker: `pid ${i % 3}`, input: i, start, end: start + 5e-4, cpu: 4e-4 });
  }
  const pass = {
    type: 'pass',
    id: 'p',
    sample: 1,
    mapStart: 10,
    resultsIn: 11,
    tasks,
  } as unknown as PassMessage;
  return { pass, tasks };
}

for (const withTotal of [true, false]) {
  void test(`40,000 tasks in batches join into the same columns ${withTotal ? 'with' : 'without'} a total`, () => {
    const { pass, tasks } = passOf(40_000);
    const collector = new TaskBatchCollector();
    for (const batch of taskBatches(pass)) {
      assert.equal(batch.total, 40_000);
      if (!withTotal) delete batch.total;
      assert.equal(collector.add(batch), null);
    }
    const sent = batchedPass(pass);
    assert.equal(collector.attach(sent), null);
    const columns = sent.columns!;
    assert.equal(columns.worker.length, 40_000);
    for (const i of [0, 1, 16_383, 16_384, 39_999]) {
      const task = tasks[i]!;
      assert.equal(columns.workers[columns.worker[i]!], task.worker);
      assert.equal(columns.input[i], task.input);
      assert.ok(Math.abs(columns.start[i]! - task.start) < 1e-9);
      assert.ok(Math.abs(columns.end[i]! - task.end) < 1e-9);
      assert.ok(Math.abs(columns.cpu![i]! - task.cpu!) < 1e-9);
    }
  });
}

void test('a batch missing from a pass is named, not joined', () => {
  const { pass } = passOf(20_000);
  const collector = new TaskBatchCollector();
  const batches = [...taskBatches(pass)];
  collector.add(batches[0]!);
  assert.match(
    collector.attach(batchedPass(pass)) ?? '',
    /1 task batches of 16384 tasks came, the pass said 2/,
  );
});
