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
