// amdahl record and --inputs @recorded through the CLI, with real programs: a NumPy program and a pytest run recorded
// and profiled (the result hash against the test's own serial run of the same calls), then each bad input with its
// message, and no process left behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { RecordingSummary } from '../../protocol/recording';
import { repoRoot, runCli } from './cliRunner';

const PYTHON = '/usr/bin/python3';
const harnessDir = path.join(repoRoot, 'runner', 'harness', 'python');
const quick = ['--workers', '1,2', '--repeat', '2', '--timeout', '60'];

const projects: string[] = [];
// Recordings hold megabytes of arrays: none is left in the temporary folder.
after(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

/** A project of its own (a pyproject.toml), holding copies of the given files: its .amdahl/ is the test's. */
function project(files: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-record-'));
  projects.push(dir);
  writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "recorded"\n');
  for (const file of files) copyFileSync(file, path.join(dir, path.basename(file)));
  return dir;
}

const etl = (): string =>
  project(
    ['features.py', 'main.py', 'test_features.py'].map((f) => path.join(repoRoot, 'samples', 'etl', f)),
  );
const jobs = (): string =>
  project(['jobs.py', 'run_jobs.py'].map((f) => path.join(repoRoot, 'test', 'fixtures', 'record', f)));

async function record(cwd: string, args: string[]) {
  const result = await runCli(args, { command: 'record', cwd, timeoutMs: 120_000 });
  assert.deepEqual(result.leftovers, [], 'processes left behind');
  return result;
}

function summary(cwd: string, name: string): RecordingSummary {
  return RecordingSummary.parse(
    JSON.parse(readFileSync(path.join(cwd, '.amdahl', 'inputs', `${name}.json`), 'utf8')),
  );
}

void test('a NumPy program recorded, then profiled over its calls: every call, and the same results', async () => {
  const cwd = etl();
  const recorded = await record(cwd, ['features.py:window_features', '--', PYTHON, 'main.py']);
  assert.equal(recorded.code, 0, recorded.stderr);
  assert.match(recorded.stdout, /24 windows/, 'the program ran as usual');
  assert.match(
    recorded.stdout,
    /recorded 24 call\(s\) of window_features .* into \.amdahl\/inputs\/features\.window_features\.pkl/,
  );
  const saved = summary(cwd, 'features.window_features');
  assert.equal(saved.calls, 24);
  assert.equal(saved.stoppedBy, null);
  assert.deepEqual(saved.callSites, [{ site: path.join(cwd, 'main.py') + ':19', calls: 24 }]);
  assert.equal(saved.interpreter.executable, PYTHON);
  assert.ok(readFileSync(path.join(cwd, '.amdahl', '.gitignore'), 'utf8').includes('*'));

  const profiled = await runCli(
    ['features.py:window_features', '--inputs', '@recorded', '--backends', 'process,thread', ...quick],
    { cwd },
  );
  assert.equal(profiled.code, 0, profiled.stderr);
  const report = profiled.report!;
  // The test's own serial run of the same calls: the program's batches, applied as main.py applies them.
  const expected = execFileSync(
    PYTHON,
    [
      '-c',
      'import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]\n' +
        'from amdahl_harness.result_hash import result_hash\n' +
        'from features import window_features\nfrom main import batches\n' +
        'print(result_hash([window_features(s, w, smooth=k) for s, w, k in batches()]))',
      harnessDir,
      cwd,
    ],
    { encoding: 'utf8' },
  ).trim();
  for (const run of report.runs) {
    assert.equal(run.inputCount, 24, run.backend);
    assert.equal(run.recording?.calls, 24);
    assert.equal(run.recording?.stale, false);
    assert.equal(run.resultHash, expected, `${run.backend}: not the results of the recorded calls`);
    assert.match(run.runtime ?? '', /^CPython 3\.11\.2/, 'the recording interpreter is the default --python');
  }
  assert.ok(!report.warnings.some((w) => w.code === 'results-differ' || w.code.startsWith('recording-')));
});

void test('a pytest run as the recorded command', async () => {
  const cwd = etl();
  const recorded = await record(cwd, [
    'features.py:window_features',
    '--',
    PYTHON,
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    'test_features.py',
  ]);
  assert.equal(recorded.code, 0, recorded.stderr);
  assert.match(recorded.stdout, /2 passed/);
  const saved = summary(cwd, 'features.window_features');
  assert.equal(saved.calls, 3);
  assert.deepEqual(
    [...new Set(saved.callSites.map((s) => s.site.replace(/:\d+$/, '')))],
    [path.join(cwd, 'test_features.py')],
  );
  const profiled = await runCli(
    ['features.py:window_features', '--inputs', '@recorded', '--backends', 'thread', ...quick],
    { cwd },
  );
  assert.equal(profiled.code, 0, profiled.stderr);
  assert.equal(profiled.report!.runs[0]!.inputCount, 3);
});

void test('keywords applied as called, an unpicklable argument named and skipped, and --max-calls', async () => {
  const cwd = jobs();
  const recorded = await record(cwd, ['jobs.py:work', '--max-calls', '2', '--', PYTHON, 'run_jobs.py']);
  assert.equal(recorded.code, 0, recorded.stderr);
  assert.match(recorded.stdout, /raised as before/);
  assert.match(recorded.stdout, /returned as before/);
  assert.match(
    recorded.stdout,
    /run_jobs\.py:6 was skipped: keyword lock \(a _thread\.lock\) cannot be pickled/,
  );
  const saved = summary(cwd, 'jobs.work');
  assert.equal(saved.calls, 2);
  assert.equal(saved.stoppedBy, 'max-calls');
  const profiled = await runCli(
    ['jobs.py:work', '--inputs', '@recorded', '--backends', 'process', ...quick],
    { cwd },
  );
  assert.equal(profiled.code, 0, profiled.stderr);
  const run = profiled.report!.runs[0]!;
  assert.equal(run.inputCount, 2);
  const expected = execFileSync(
    PYTHON,
    [
      '-c',
      'import sys; sys.path.insert(0, sys.argv[1]); from amdahl_harness.result_hash import result_hash; print(result_hash([[1], [6]]))',
      harnessDir,
    ],
    { encoding: 'utf8' },
  ).trim();
  assert.equal(run.resultHash, expected, 'work(1) and work(2, scale=3)');
  const skipped = profiled.report!.warnings.find((w) => w.code === 'recording-skipped');
  assert.match(skipped?.message ?? '', /1 recorded call\(s\) were skipped.*run_jobs\.py:6.*_thread\.lock/);
});

void test('an argument whose pickling calls the function again: that inner call is not recorded, and nothing hangs', async () => {
  const cwd = jobs();
  const script =
    'import jobs\nclass CallsBack(int):\n    def __reduce__(self):\n        jobs.work(0)\n        return (int, (int(self),))\n' +
    'print(jobs.work(1, scale=CallsBack(2)))';
  const result = await record(cwd, ['jobs.py:work', '--', PYTHON, '-c', script]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\[2\]/);
  assert.equal(summary(cwd, 'jobs.work').calls, 1);
});

void test('a failing command: its exit code and last lines, nothing kept, nothing left running', async () => {
  const cwd = jobs();
  const script =
    'import subprocess, sys, jobs\njobs.work(1)\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])\nprint("about to fail")\nsys.exit(3)';
  const result = await record(cwd, ['jobs.py:work', '--', PYTHON, '-c', script]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /failed with exit code 3, so nothing was recorded.*last lines:\n {2}about to fail/s,
  );
  assert.ok(!existsSync(path.join(cwd, '.amdahl', 'inputs', 'jobs.work.pkl')));
  // The process the command left sleeping for 60 s ended with it, and did not hold the record open.
  assert.ok(result.seconds < 30, `${result.seconds} s`);
});

void test('a function never called, a module never imported, a main script: each said, with the modules', async () => {
  const cwd = jobs();
  const imported = await record(cwd, ['jobs.py:work', '--', PYTHON, '-c', 'import jobs']);
  assert.equal(imported.code, 1);
  assert.match(
    imported.stderr,
    /work in jobs\.py was imported but never called by `.*`; nothing was recorded\. The modules of the project it imported: jobs\./,
  );
  const other = await record(cwd, ['jobs.py:work', '--', PYTHON, '-c', 'import json']);
  assert.equal(other.code, 1);
  assert.match(
    other.stderr,
    /never imported jobs\.py, so work was never called; nothing was recorded\. The modules of the project it imported: none/,
  );
  const main = await record(cwd, ['jobs.py:work', '--', PYTHON, 'jobs.py']);
  assert.equal(main.code, 1);
  assert.match(main.stderr, /runs jobs\.py as its main script \(__main__\).*imports it/);
  const missing = await record(cwd, ['jobs.py:nope', '--', PYTHON, 'run_jobs.py']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /has no top-level function nope.*its top-level functions are: work/);
});

void test('--max-bytes stops recording and keeps the calls so far', async () => {
  const cwd = etl();
  // Each call pickles a signal of 120,000 doubles, about 0.96 MB.
  const result = await record(cwd, [
    'features.py:window_features',
    '--max-bytes',
    '3MB',
    '--',
    PYTHON,
    'main.py',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /24 windows/, 'the program itself ran to its end');
  assert.match(result.stdout, /Recording stopped at --max-bytes 3000000: .* the 3 calls before it are kept/);
  const saved = summary(cwd, 'features.window_features');
  assert.equal(saved.calls, 3);
  assert.equal(saved.stoppedBy, 'max-bytes');
  assert.ok(saved.bytes <= 3_000_000);
});

void test('another interpreter version, a file that is not a recording, a changed function', async () => {
  const cwd = jobs();
  assert.equal(
    (await record(cwd, ['jobs.py:work', '--max-calls', '2', '--', PYTHON, 'run_jobs.py'])).code,
    0,
  );
  const pypy = await runCli(
    ['jobs.py:work', '--inputs', '@recorded', '--python', 'pypy3', '--backends', 'thread', ...quick],
    { cwd },
  );
  assert.equal(pypy.code, 1);
  const error = pypy.report!.errors.find((e) => e.code === 'inputs-failed');
  assert.match(
    error?.message ?? '',
    /recorded by CPython 3\.11\.2 \(\/usr\/bin\/python3\) and this profile runs PyPy 3\.\d+.*--python \/usr\/bin\/python3/,
  );

  // A pickle that would run code when loaded: refused before any of it runs.
  const evil = path.join(cwd, 'evil.pkl');
  const touched = path.join(cwd, 'touched');
  execFileSync(PYTHON, [
    '-c',
    'import os, pickle, sys\nclass E:\n    def __reduce__(self): return (os.system, ("touch " + sys.argv[2],))\npickle.dump(E(), open(sys.argv[1], "wb"))',
    evil,
    touched,
  ]);
  const plain = path.join(cwd, 'plain.pkl');
  execFileSync(PYTHON, ['-c', 'import pickle, sys; pickle.dump({"a": 1}, open(sys.argv[1], "wb"))', plain]);
  for (const [file, said] of [
    [
      evil,
      /evil\.pkl is not an Amdahl recording \(its start is not a recording header: it names (posix|os)\.system\)/,
    ],
    [plain, /plain\.pkl is not an Amdahl recording \(it holds a pickled dict\)/],
  ] as const) {
    const result = await runCli(
      ['jobs.py:work', '--inputs', `@${file}`, '--python', PYTHON, '--backends', 'thread', ...quick],
      { cwd },
    );
    assert.equal(result.code, 1);
    assert.match(result.report!.errors.find((e) => e.code === 'inputs-failed')?.message ?? '', said);
    assert.deepEqual(result.leftovers, []);
  }
  assert.ok(!existsSync(touched), 'the pickle ran code');

  // A changed function: profiled over the recording anyway, and said.
  writeFileSync(
    path.join(cwd, 'jobs.py'),
    readFileSync(path.join(cwd, 'jobs.py'), 'utf8').replace('return [x * scale]', 'return [scale * x]'),
  );
  const stale = await runCli(
    [
      'jobs.py:work',
      '--inputs',
      `@${path.join(cwd, '.amdahl', 'inputs', 'jobs.work.pkl')}`,
      '--backends',
      'thread',
      ...quick,
    ],
    { cwd },
  );
  assert.equal(stale.code, 0, stale.stderr);
  assert.equal(stale.report!.runs[0]!.inputCount, 2);
  assert.match(
    stale.report!.warnings.find((w) => w.code === 'recording-stale')?.message ?? '',
    /source changed since its inputs were recorded/,
  );
});

void test('bad usage: no recording yet, --starmap with a recording, no command', async () => {
  const cwd = jobs();
  const none = await runCli(['jobs.py:work', '--inputs', '@recorded'], { cwd });
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /there is no recording of work in jobs\.py; make one with "amdahl record jobs\.py:work -- <command that calls it>"/,
  );
  const starmap = await runCli(['jobs.py:work', '--inputs', '@recorded', '--starmap'], { cwd });
  assert.equal(starmap.code, 2);
  assert.match(starmap.stderr, /--starmap and --inputs @recorded do not go together/);
  const noCommand = await record(cwd, ['jobs.py:work']);
  assert.equal(noCommand.code, 2);
  assert.match(noCommand.stderr, /record needs the command to run after --/);
  const badSize = await record(cwd, ['jobs.py:work', '--max-bytes', 'lots', '--', PYTHON, 'run_jobs.py']);
  assert.equal(badSize.code, 2);
  assert.match(badSize.stderr, /--max-bytes must be a size/);
});
