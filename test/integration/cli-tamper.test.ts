// Targets that tamper with the interpreter when imported: they replace the time module's clocks, or empty sys.path.
// The profile still measures, within --timeout, and the report says what the module did.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from './cliRunner';

const hostile = path.join(repoRoot, 'test', 'fixtures', 'hostile');

void test('a module that replaces time.monotonic and perf_counter: measured within --timeout, and said', async () => {
  const target = `${path.join(hostile, 'clock_tamper.py')}:nap`;
  const result = await runCli(
    [target, '--inputs', '[1, 2, 3, 4]', '--workers', '1,2', '--repeat', '1', '--timeout', '20'],
    { timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  assert.deepEqual(report.errors, []);
  assert.ok(result.seconds < 25, `took ${result.seconds} s under --timeout 20`);
  const codes = report.warnings.map((w) => w.code);
  assert.ok(!codes.includes('no-measurable-time'), JSON.stringify(report.warnings));
  const clock = report.warnings.find((w) => w.code === 'clock-replaced');
  assert.ok(clock, JSON.stringify(codes));
  assert.match(clock.message, /time\.monotonic, time\.perf_counter/);
  // Four 50 ms sleeps: the serial pass is measured with the real clock.
  const serial = report.runs.find((r) => r.backend === 'serial')!.points[0]!;
  assert.ok(serial.wallSeconds.mean >= 0.2 && serial.wallSeconds.mean < 0.6, `${serial.wallSeconds.mean} s`);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('a module that empties sys.path: every start method still profiles', async () => {
  const target = `${path.join(hostile, 'clears_path.py')}:nap`;
  const result = await runCli(
    [
      target,
      '--inputs',
      '[1, 2, 3, 4]',
      '--workers',
      '1,2',
      '--repeat',
      '1',
      '--backends',
      'thread,process,futures-process',
      '--start-method',
      'fork,spawn',
    ],
    { timeoutMs: 120_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  assert.deepEqual(report.errors, []);
  const measured = report.runs.filter((r) => r.backend !== 'serial').map((r) => r.points.length);
  assert.deepEqual(measured, [2, 2, 2, 2, 2]);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('a module that breaks the import function: the error says the module did it', async () => {
  const target = `${path.join(hostile, 'breaks_imports.py')}:nap`;
  const result = await runCli([target, '--inputs', '[1, 2]', '--workers', '1,2', '--repeat', '1'], {
    timeoutMs: 60_000,
  });
  const errors = result.report!.errors;
  assert.ok(errors.length > 0, 'the process pool cannot open');
  for (const error of errors) {
    assert.equal(error.code, 'import-failed', error.message);
    assert.match(error.message, /Importing breaks_imports\.py replaced the import function/);
    assert.doesNotMatch(error.message, /harness failed/);
  }
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('more workers than inputs: clamped to the input count, with a note', async () => {
  const target = `${path.join(repoRoot, 'test', 'fixtures', 'python', 'targets.py')}:nap`;
  const result = await runCli(
    [target, '--inputs', 'range(4)', '--workers', '1,2,6,8', '--repeat', '1', '--backends', 'thread'],
    { timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const thread = report.runs.find((r) => r.backend === 'thread')!;
  assert.deepEqual(
    thread.points.map((p) => p.workers),
    [1, 2, 4],
  );
  const note = report.warnings.find((w) => w.code === 'workers-clamped');
  assert.ok(note, JSON.stringify(report.warnings.map((w) => w.code)));
  assert.match(note.message, /6, 8 worker\(s\) were asked for, but there are only 4 inputs/);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});
