// --order longest-first through the CLI with real pools and sleep tasks of known lengths: the prediction and the
// measured longest-first run both meet the analytic LPT makespan, and a raising task is the same task-raised error.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { decodeTasks } from '../../protocol/taskTable';
import { assertWithin, cliFixtures, point, repoRoot, runCli } from './cliRunner';

const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');

// Four naps of 0.1 s and one of 0.4 s on 2 workers. Given order: 0.1, 0.1 | 0.1, 0.1 | 0.4 ends at 0.6 s.
// Longest first (LPT): 0.4 on one worker, the four 0.1 on the other: 0.4 s, S = 0.8 / 0.4 = 2.
const DURATIONS = [0.1, 0.1, 0.1, 0.1, 0.4];
const LPT_MAKESPAN = 0.4;

/** The makespan of these task durations taken in this order on k workers, each task to the first one free: what
 * a pool that hands out one task at a time does (written here, apart from the runner's lptMakespan it checks). */
function listSchedule(durations: number[], k: number): number {
  const free = new Array<number>(k).fill(0);
  for (const d of durations) free[free.indexOf(Math.min(...free))]! += d;
  return Math.max(...free);
}

const longestFirst = (durations: number[]): number[] => [...durations].sort((a, b) => b - a);

/**
 * The schedule over each counted pass's own naps, averaged: a nap is never shorter than asked, but on a busy
 * machine it wakes late by the scheduling latency of the moment (busy run 11: four naps of 0.1 s in a row ended
 * 26 ms late), so the exact ground truth is the analytic schedule of the naps as they ran.
 */
function scheduledSeconds(p: ReturnType<typeof point>, order: 'given' | 'longest-first', k: number): number {
  const spans = p.passes.map((pass) => {
    // A small report keeps every pass in full; the median pass's tasks are the point's own table.
    const table = pass.tasks ?? (pass.kept === 'median' ? p.tasks : undefined);
    assert.ok(table, `pass ${pass.sample} kept ${pass.kept}`);
    const tasks = decodeTasks(table).sort((a, b) => a.input - b.input);
    assert.equal(tasks.length, DURATIONS.length);
    const naps = tasks.map((t) => t.end - t.start);
    naps.forEach((nap, i) => assert.ok(nap >= DURATIONS[i]! - table.unitSeconds, `nap ${i}: ${nap} s`));
    return listSchedule(order === 'given' ? naps : longestFirst(naps), k);
  });
  return spans.reduce((a, b) => a + b, 0) / spans.length;
}

void test('longest first: the prediction and the measured run meet the LPT makespan within 5%', async () => {
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    JSON.stringify(DURATIONS),
    '--backends',
    'thread,process',
    '--workers',
    '2',
    '--order',
    'longest-first',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  // The analytic schedules first (0.6 s given, 0.4 s longest first), on naps of exactly their length.
  assertWithin(listSchedule(DURATIONS, 2), 0.6, 1e-9, 'the given schedule');
  assertWithin(listSchedule(longestFirst(DURATIONS), 2), LPT_MAKESPAN, 1e-9, 'the LPT schedule');
  // Both backends' predictions are made from the one serial loop's naps.
  const predicted = scheduledSeconds(point(report, 'serial', 1), 'longest-first', 2);
  for (const backend of ['thread', 'process'] as const) {
    const given = report.runs.find((r) => r.backend === backend && r.taskOrder === undefined)!;
    const sorted = report.runs.find((r) => r.backend === backend && r.taskOrder === 'longest-first');
    assert.ok(sorted, `${backend}: no longest-first run in ${report.runs.map((r) => r.label).join(', ')}`);
    assert.match(sorted.label!, /longest-first/);
    assert.equal(sorted.resultHash, given.resultHash, 'results hash in input order whatever the order');
    const givenPoint = given.points[0]!;
    assertWithin(
      givenPoint.wallSeconds.mean,
      scheduledSeconds(givenPoint, 'given', 2),
      0.05,
      `${backend} given order T(2)`,
    );
    const lpt = given.whatIf?.find((w) => w.scenario === 'longest-first' && w.workers === 2);
    assert.ok(lpt, JSON.stringify(given.whatIf));
    assert.equal(lpt.prediction, true);
    assertWithin(lpt.wallSeconds.mean, predicted, 0.05, `${backend} predicted T(2)`);
    assert.ok(lpt.measured, 'the longest-first run stands beside the prediction');
    const sortedPoint = sorted.points[0]!;
    const measured = scheduledSeconds(sortedPoint, 'longest-first', 2);
    assertWithin(lpt.measured.wallSeconds.mean, measured, 0.05, `${backend} measured T(2)`);
    assertWithin(sortedPoint.wallSeconds.mean, measured, 0.05, `${backend} longest-first run T(2)`);
  }
  const warning = report.warnings.find((w) => w.code === 'load-imbalance' && /thread/.test(w.scope ?? ''));
  assert.ok(warning, JSON.stringify(report.warnings.map((w) => w.code)));
  assert.match(
    warning.suggestion ?? '',
    /Measured with the inputs longest first at 2 workers: S 1\.3\dx → (1\.9\d|2\.0\d)x/,
  );
  assert.match(result.stdout, /What if/);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('without --order the load-imbalance warning carries the predicted gain', async () => {
  const result = await runCli([
    `${sleepy}:uneven_nap`,
    '--inputs',
    JSON.stringify(DURATIONS),
    '--backends',
    'thread',
    '--workers',
    '2',
    '--repeat',
    '3',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const warning = result.report!.warnings.find((w) => w.code === 'load-imbalance');
  assert.ok(warning);
  assert.match(
    warning.suggestion ?? '',
    /Predicted with the inputs longest first .* at 2 workers: S 1\.3\dx → (1\.9\d|2\.0\d)x/,
  );
});

void test('a task that raises under longest-first is the same task-raised error, naming the same input', async () => {
  const messages: string[] = [];
  for (const order of [[], ['--order', 'longest-first']]) {
    const result = await runCli([
      `${path.join(cliFixtures, 'order.py')}:raises_in_pool`,
      '--inputs',
      'range(8)',
      '--backends',
      'process',
      '--workers',
      '2',
      '--repeat',
      '2',
      ...order,
    ]);
    assert.equal(result.code, 1, result.stderr);
    const errors = result.report!.errors.filter((e) => e.code === 'task-raised');
    assert.equal(errors.length, order.length === 0 ? 1 : 2, JSON.stringify(result.report!.errors));
    for (const error of errors) {
      assert.equal(error.input, 3);
      messages.push(error.message.replace(/pid \d+/, 'pid N').replace(/, longest-first/, ''));
    }
    assert.deepEqual(result.leftovers, [], 'processes left behind');
  }
  assert.equal(new Set(messages).size, 1, messages.join('\n'));
  assert.match(
    messages[0]!,
    /raises_in_pool\(3\) raised ValueError: three is not allowed in a worker \(input 3/,
  );
});
