// `amdahl profile analysis.ipynb:fn`: a function in a Jupyter notebook, profiled through the CLI on real Python
// process pools under fork, spawn and forkserver, with sleep tasks for exact speedups and errors read as cells.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../protocol/report';
import { repoRoot, runCli } from './cliRunner';

const notebooks = path.join(repoRoot, 'test', 'fixtures', 'notebooks');
const quick = ['--workers', '1,2', '--repeat', '2', '--timeout', '60'];

function runOf(report: Report, backend: string, startMethod?: string) {
  const run = report.runs.find(
    (r) => r.backend === backend && (startMethod === undefined || r.startMethod === startMethod),
  );
  assert.ok(run, `no ${backend} ${startMethod ?? ''} run in ${report.runs.map((r) => r.backend).join(', ')}`);
  return run;
}

void test('sleep tasks in a notebook scale exactly on fork and spawn pools; the report names the cell and the dropped lines', async () => {
  const result = await runCli([
    `${path.join(notebooks, 'magics.ipynb')}:nap`,
    '--backends',
    'process',
    '--start-method',
    'fork,spawn',
    '--workers',
    '1,5',
    '--repeat',
    '3',
    '--timeout',
    '60',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  for (const method of ['fork', 'spawn']) {
    const run = runOf(report, 'process', method);
    assert.equal(run.target.cell, 6);
    assert.equal(run.target.file, 'test/fixtures/notebooks/magics.ipynb');
    const five = run.points.find((p) => p.workers === 5)!;
    // 10 naps of 100 ms on 5 workers: S(5) = 10 / ceil(10 / 5) = 5 (a few percent lost to hand-offs on 2 cores;
    // 100 ms naps keep a busy machine's wake-up delays of a few ms well inside the 10%).
    assert.ok(Math.abs(five.speedup.mean - 5) / 5 < 0.1, `${method}: S(5) = ${five.speedup.mean}`);
  }
  assert.deepEqual(
    report.runs[0]!.target.droppedLines?.map((d) => `${d.cell}:${d.line}`),
    ['1:1', '1:3', '1:4', '3:1', '4:1', '4:2', '4:3', '5:4'],
  );
  const dropped = report.warnings.find((w) => w.code === 'ipython-lines-dropped');
  assert.match(dropped?.message ?? '', /cell 1, line 1: %matplotlib inline; cell 1, line 3: !echo hello/);
  assert.match(result.stdout, /ipython-lines-dropped/);
  assert.match(result.stdout, /^nap \(test\/fixtures\/notebooks\/magics\.ipynb, cell 6\)/m);
  assert.deepEqual(result.leftovers, []);
});

void test('under spawn and forkserver, workers import the module: imports and files beside the notebook resolve as in Jupyter', async () => {
  const result = await runCli([
    `${path.join(notebooks, 'beside.ipynb')}:scaled`,
    '--backends',
    'process,futures-process',
    '--start-method',
    'spawn,forkserver',
    ...quick,
  ]);
  assert.equal(result.code, 0, result.stderr);
  for (const method of ['spawn', 'forkserver']) {
    for (const backend of ['process', 'futures-process']) {
      const run = runOf(result.report!, backend, method);
      assert.equal(run.target.cell, 1);
      assert.equal(run.points.length, 2);
    }
  }
  assert.deepEqual(result.report!.errors, []);
  assert.deepEqual(result.leftovers, []);
});

void test("a task that raises in a spawned worker is read as the cell and line, with the cell's source line", async () => {
  const result = await runCli([
    `${path.join(notebooks, 'failing.ipynb')}:only_in_workers`,
    '--backends',
    'process',
    '--start-method',
    'spawn',
    ...quick,
  ]);
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'task-raised');
  assert.ok(error, JSON.stringify(result.report!.errors));
  assert.match(
    error.message,
    /ValueError: raised in a pool worker .*Cell 4, line 7: raise ValueError\('raised in a pool worker'\)/,
  );
  assert.deepEqual(error.cell, { index: 4, line: 7 });
  assert.match(error.detail ?? '', /File "failing\.ipynb", cell 4, line 7, in only_in_workers/);
  const generated = /amdahl-notebook-|failing\.ipynb\.py/.exec(JSON.stringify(result.report));
  assert.equal(generated, null, 'the report names the generated module nowhere');
  assert.match(result.stderr, /Cell 4, line 7/);
  // The serial baseline ran in the harness, where the function does not raise: it was measured.
  assert.equal(runOf(result.report!, 'serial').points.length, 1);
  assert.deepEqual(result.leftovers, []);
});

void test('a cell that fails while the module is built is named, with the error, and nothing is left running', async () => {
  const result = await runCli([`${path.join(notebooks, 'reads_missing.ipynb')}:count`, ...quick]);
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'import-failed');
  assert.match(
    error?.message ?? '',
    /^Importing reads_missing\.ipynb raised FileNotFoundError: .*no-such-data\.csv.*\. Cell 2, line 1: with open\('no-such-data\.csv'\) as f:$/,
  );
  assert.deepEqual(error?.cell, { index: 2, line: 1 });
  assert.deepEqual(result.leftovers, []);
});

void test('a kernel-only name (get_ipython) is an import-failed naming the cell and why', async () => {
  const result = await runCli([`${path.join(notebooks, 'kernel_only.ipynb')}:work`, ...quick]);
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'import-failed');
  assert.match(
    error?.message ?? '',
    /NameError: name 'get_ipython' is not defined\. Cell 1, line 1: ip = get_ipython\(\)\. get_ipython exists only inside a Jupyter kernel/,
  );
  assert.match(error?.suggestion ?? '', /after the function's cell/);
  assert.deepEqual(result.leftovers, []);
});

void test('a syntax error in an earlier cell reads as that cell and line', async () => {
  const result = await runCli([`${path.join(notebooks, 'syntax_error.ipynb')}:later`, ...quick]);
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'import-failed');
  assert.match(error?.message ?? '', /SyntaxError at cell 2, line 1: .*Cell 2, line 1: def broken\(x:/);
  assert.deepEqual(result.leftovers, []);
});

void test('a notebook that is not JSON, or not nbformat 4, is one sentence and no harness starts', async () => {
  for (const [name, sentence] of [
    ['not_json.ipynb', /^amdahl: not_json\.ipynb is not a notebook: it is not valid JSON \([^\n]*\)\.$/m],
    [
      'nbformat3.ipynb',
      /^amdahl: nbformat3\.ipynb is not an nbformat 4 notebook: it has nbformat 3 [^\n]*\.$/m,
    ],
  ] as const) {
    const result = await runCli([`${path.join(notebooks, name)}:f`, ...quick]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, sentence);
    assert.equal(result.report!.errors.length, 1);
    assert.equal(result.report!.errors[0]!.code, 'notebook-invalid');
    assert.deepEqual(result.report!.runs, []);
  }
});

void test('a function that is not in the notebook, or that a pool cannot run, is refused with the reason', async () => {
  const missing = await runCli([`${path.join(notebooks, 'conditional.ipynb')}:nope`, ...quick]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /define no top-level function nope; they offer when, outer/);
  const nested = await runCli([`${path.join(notebooks, 'conditional.ipynb')}:inner`, ...quick]);
  assert.equal(nested.code, 1);
  assert.equal(nested.report!.errors[0]!.code, 'function-not-profilable');
  assert.match(nested.stderr, /inner in conditional\.ipynb cannot be profiled: a nested function/);
});

const SYSTEM_PYTHON = '/usr/bin/python3';
const hasNumpy = ((): boolean => {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

void test(
  'NumPy in a notebook, on a spawn process pool',
  { skip: hasNumpy ? false : `${SYSTEM_PYTHON} has no NumPy` },
  async () => {
    const result = await runCli([
      `${path.join(notebooks, 'numpy_sum.ipynb')}:total`,
      '--python',
      SYSTEM_PYTHON,
      '--backends',
      'process',
      '--start-method',
      'spawn',
      ...quick,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const run = runOf(result.report!, 'process', 'spawn');
    assert.equal(run.target.cell, 2);
    assert.equal(run.points.length, 2);
    assert.ok(
      !result.report!.warnings.some((w) => w.code === 'results-differ'),
      'same results in the workers',
    );
    assert.deepEqual(result.leftovers, []);
  },
);

void test('the module built from a notebook is removed after the run, after a cancel, and when a second Ctrl-C quits at once', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'amdahl-nb-tmp-'));
  const modules = (): string[] => readdirSync(tmp).filter((name) => name.startsWith('amdahl-notebook-'));
  const env = { TMPDIR: tmp };
  try {
    const done = await runCli([`${path.join(notebooks, 'beside.ipynb')}:scaled`, ...quick], { env });
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(modules(), [], 'after a run');
    const slow = `${path.join(notebooks, 'slow.ipynb')}:slow`;
    const cancelled = await runCli([slow, '--backends', 'thread', ...quick], { env, interruptAfterMs: 3000 });
    assert.equal(cancelled.code, 1, cancelled.stderr);
    assert.deepEqual(modules(), [], 'after a cancel');
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'amdahl.js'), 'profile', slow, ...quick],
      {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      },
    );
    // Listened for at once: the child may exit before the second Ctrl-C's wait is over.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    const deadline = Date.now() + 30_000;
    while (modules().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(modules().length, 1, 'the module is written while the profile runs');
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    child.kill('SIGINT');
    const code = await exited;
    // 130: the second Ctrl-C quit at once; 1: on a quiet machine the cancel the first one asked for can finish
    // first. The module must be gone either way.
    assert.ok(code === 130 || code === 1, `exit ${code}`);
    assert.deepEqual(modules(), [], 'after a second Ctrl-C');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
