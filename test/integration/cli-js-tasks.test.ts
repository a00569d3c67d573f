// JavaScript tasks that return, drop or load what plain values do not: a SharedArrayBuffer result, a rejection
// nobody awaits, top-level await. Each profiles (or fails as the task's own fault) through the real CLI.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, runCli } from './cliRunner';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'js');
const hardening = path.join(fixtures, 'hardening.mjs');
const once = ['--workers', '1,2', '--repeat', '1', '--timeout', '30'];

void test('a SharedArrayBuffer result is measured as shared: its reference crosses, not its 1 KiB', async () => {
  const result = await runCli([`${hardening}:shared`, '--inputs', '[1, 2, 3]', ...once]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.leftovers, []);
  const run = result.report!.runs.find((r) => r.backend === 'piscina')!;
  const calibration = run.calibration!;
  assert.ok(calibration.resultBytes > 0 && calibration.resultBytes < 1024, JSON.stringify(calibration));
  assert.ok(calibration.resultDeserializeSeconds > 0, JSON.stringify(calibration));
  assert.equal(result.report!.errors.length, 0, JSON.stringify(result.report!.errors));
});

for (const [fn, input, reason] of [
  ['dropsRejection', 1, 'boom 2'],
  ['asyncDropsRejection', 2, 'late 3'],
] as const) {
  void test(`${fn}: a rejection no handler took is task-raised for input ${input}, with its reason`, async () => {
    const result = await runCli([`${hardening}:${fn}`, '--inputs', '[1, 2, 3]', ...once]);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(result.leftovers, []);
    const error = result.report!.errors.find((e) => e.code === 'task-raised');
    assert.ok(error, JSON.stringify(result.report!.errors));
    assert.match(error.message, new RegExp(`input ${input} .*Error: ${reason} \\(a promise rejection`));
    assert.match(error.message, /hardening\.mjs:\d+/);
  });
}

for (const engine of ['native', 'wasm'] as const) {
  for (const file of ['topLevelAwait.mjs', 'topLevelAwaitTs.mts']) {
    void test(`${file} (${engine} esbuild): top-level await profiles as an ES module, and leaves no bundle behind`, async () => {
      const target = path.join(fixtures, file);
      const result = await runCli([`${target}:triple`, '--inputs', '[1, 2, 3]', ...once], {
        env: { AMDAHL_ESBUILD: engine },
      });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.leftovers, []);
      assert.deepEqual(result.report!.runs.map((r) => `${r.backend}`).sort(), ['piscina', 'serial']);
      assert.equal(
        result.report!.warnings.find((w) => w.code === 'results-differ'),
        undefined,
      );
      assert.deepEqual(
        readdirSync(fixtures).filter((name) => name.startsWith('.amdahl-')),
        [],
        'the ES module bundle is removed',
      );
    });
  }
}

void test('a task of a top-level-await module that throws: task-raised at the line of the user file', async () => {
  const target = path.join(fixtures, 'topLevelAwait.mjs');
  const result = await runCli([`${target}:fails`, '--inputs', '[1, 2]', ...once]);
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'task-raised');
  assert.ok(error, JSON.stringify(result.report!.errors));
  assert.match(error.message, /input 0 .*Error: no 1 at .*topLevelAwait\.mjs:9\./);
  assert.deepEqual(
    readdirSync(fixtures).filter((name) => name.startsWith('.amdahl-')),
    [],
    'each thread removes its ES module file once loaded, even when the run then fails',
  );
});
