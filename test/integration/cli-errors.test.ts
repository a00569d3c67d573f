// Bad input through the CLI: exit status 1, one clear sentence on stderr, the error code in the report, the rest
// still measured, within the timeout, and no process of the run left behind.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cliFixtures, point, runCli } from './cliRunner';

const bad = path.join(cliFixtures, 'bad_targets.py');
const quick = ['--workers', '1,2', '--repeat', '2', '--timeout', '30'];

async function expectFailure(args: string[], code: string, pattern: RegExp) {
  const result = await runCli([...args, ...quick]);
  assert.equal(result.code, 1, `exit ${result.code}\n${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.ok(result.report, 'the report is written even when the target fails');
  const error = result.report.errors.find((e) => e.code === code);
  assert.ok(error, `no ${code} in ${JSON.stringify(result.report.errors)}`);
  assert.match(error.message, pattern);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
  return { result, error, report: result.report };
}

void test('a syntax error names the file and line', async () => {
  await expectFailure(
    [`${path.join(cliFixtures, 'syntax_error.py')}:broken`],
    'import-failed',
    /syntax_error\.py.*line 1|syntax_error\.py:1/i,
  );
});

void test('an import error names the missing module', async () => {
  await expectFailure(
    [`${path.join(cliFixtures, 'import_error.py')}:fn`],
    'import-failed',
    /module_that_does_not_exist_anywhere/,
  );
});

void test('a missing function lists the ones that exist', async () => {
  await expectFailure([`${bad}:no_such_function`], 'function-not-found', /no_such_function.*square/s);
});

void test('a method, a nested function and a lambda are refused with the reason', async () => {
  await expectFailure([`${bad}:Holder.method`], 'function-not-found', /Holder\.method/);
  await expectFailure([`${bad}:lambda_function`], 'function-not-found', /lambda/i);
});

void test('coroutine and generator functions are refused with what to do', async () => {
  await expectFailure([`${bad}:a_coroutine`], 'unsupported-function', /coroutine|async/i);
  await expectFailure([`${bad}:a_generator`], 'unsupported-function', /generator/i);
});

void test('inputs that raise, and empty inputs', async () => {
  await expectFailure([`${bad}:square`, '--inputs', '1/0'], 'inputs-failed', /ZeroDivisionError/);
  await expectFailure([`${bad}:square`, '--inputs', '[]'], 'inputs-failed', /empty/);
});

void test('a task that raises names the input and keeps the traceback', async () => {
  const { error } = await expectFailure(
    [`${bad}:raises_on_three`],
    'task-raised',
    /raises_on_three\(3\).*ValueError.*three is not allowed/,
  );
  assert.equal(error.input, 3);
  assert.match(error.detail ?? '', /Traceback/);
});

void test('a pool worker that calls os._exit: worker-died with the exit code and input; the rest is measured', async () => {
  const { error, report } = await expectFailure(
    [`${bad}:exits_in_pool_worker`, '--backends', 'process,thread'],
    'worker-died',
    /exit code 7|exitcode 7|code 7/,
  );
  assert.equal(error.input, 2);
  assert.ok(point(report, 'serial', 1).wallSeconds.samples.length >= 2, 'the serial baseline is kept');
  assert.ok(point(report, 'thread', 2).wallSeconds.samples.length >= 2, 'threads are still measured');
});

void test('os._exit in the serial loop kills the harness: reported with the input it was running', async () => {
  const { error } = await expectFailure(
    [`${bad}:exits_in_worker`],
    'worker-died',
    /exited with code 7 while running input 2/,
  );
  assert.equal(error.input, 2);
});

void test('a pool that kills the harness while it starts: a fresh harness measures the other backends', async () => {
  const { report } = await expectFailure(
    [`${bad}:exits_in_thread`, '--backends', 'thread,process'],
    'worker-died',
    /on thread, [12] workers?: the python3 process running the function exited with code 7/,
  );
  // Pools open when first sampled, in the shuffled order of the rounds: either thread pool may fail first.
  const died = report.errors
    .filter((e) => e.code === 'worker-died')
    .map((e) => e.scope)
    .sort();
  assert.deepEqual(died, ['exits_in_thread on thread, 1 worker', 'exits_in_thread on thread, 2 workers']);
  assert.equal(point(report, 'serial', 1).wallSeconds.samples.length, 2, 'the serial baseline is kept');
  for (const k of [1, 2]) {
    assert.equal(point(report, 'process', k).wallSeconds.samples.length, 2, `process k=${k} is measured`);
  }
});

void test('a worker that segfaults is reported as killed by SIGSEGV', async () => {
  await expectFailure([`${bad}:segfaults`, '--backends', 'process'], 'worker-died', /SIGSEGV|signal 11|-11/);
});

void test('a return value that cannot be pickled: not-serializable, and the thread backend is still measured', async () => {
  const { report } = await expectFailure(
    [`${bad}:returns_lock`, '--backends', 'process,thread'],
    'not-serializable',
    /lock/i,
  );
  assert.ok(
    point(report, 'thread', 2).wallSeconds.samples.length >= 2,
    'threads need no pickling and are measured',
  );
});

void test('an argument that cannot be pickled names the input', async () => {
  await expectFailure(
    [`${bad}:takes_anything`, '--inputs', '[1, 2, threading.Lock()]', '--backends', 'process'],
    'not-serializable',
    /input 2|lock/i,
  );
});

void test('a task that never returns is killed at --timeout with every process', async () => {
  const result = await runCli([`${bad}:never_returns`, '--workers', '2', '--repeat', '2', '--timeout', '3']);
  assert.equal(result.code, 1);
  assert.ok(
    result.report!.errors.some((e) => e.code === 'timeout'),
    JSON.stringify(result.report!.errors),
  );
  assert.match(result.stderr, /3 s timeout/);
  assert.ok(result.seconds < 30, `took ${result.seconds} s`);
  assert.deepEqual(result.leftovers, []);
});

void test('Ctrl-C cancels: the report keeps what was measured, marked partial, and no process is left', async () => {
  const sleepy = path.join(cliFixtures, '..', '..', '..', 'samples', 'sleep', 'sleepy.py');
  const result = await runCli(
    [`${sleepy}:nap`, '--backends', 'process,thread', '--workers', '1,2', '--repeat', '50'],
    {
      interruptAfterMs: 6000,
    },
  );
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /cancel/i);
  const report = result.report!;
  assert.equal(report.partial, true);
  assert.ok(
    report.errors.some((e) => e.code === 'cancelled'),
    JSON.stringify(report.errors),
  );
  assert.ok(point(report, 'serial', 1).wallSeconds.samples.length >= 1, 'what was measured is kept');
  assert.ok(result.seconds < 20, `took ${result.seconds} s`);
  assert.deepEqual(result.leftovers, []);
});

void test('a task that prints megabytes is measured, its output kept bounded', async () => {
  const result = await runCli([
    `${bad}:chatty`,
    '--backends',
    'thread',
    '--workers',
    '2',
    '--repeat',
    '2',
    '--inputs',
    'range(2)',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const output = result.report!.runs[0]!.capturedOutput!;
  assert.ok(output.stdoutBytes > 10_000_000, `counted ${output.stdoutBytes} bytes`);
  assert.ok(output.stdout.length < 100_000, 'kept output is bounded');
  assert.doesNotMatch(result.stdout, /xxxxxxxxxx/, "the user's output never reaches the CLI's stdout");
});

void test('a module without a __main__ guard is imported once per worker under spawn, never more', async () => {
  const result = await runCli([
    `${path.join(cliFixtures, 'unguarded.py')}:work`,
    '--backends',
    'process',
    '--start-method',
    'spawn',
    '--workers',
    '1,2',
    '--repeat',
    '2',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const imports = (result.report!.runs[0]!.capturedOutput!.stdout.match(/imported in/g) ?? []).length;
  assert.equal(imports, 1 + 1 + 2, 'the harness, then one import per worker of the k=1 and k=2 pools');
  assert.deepEqual(result.leftovers, []);
});

void test('a module that starts processes at import is refused, not multiplied', async () => {
  const result = await runCli([
    `${path.join(cliFixtures, 'spawns_at_import.py')}:square`,
    '--backends',
    'process',
    '--start-method',
    'spawn',
    '--workers',
    '2',
    '--repeat',
    '2',
    '--timeout',
    '20',
  ]);
  assert.equal(result.code, 1);
  assert.ok(
    result.report!.errors.some((e) => e.code === 'import-failed' || e.code === 'timeout'),
    JSON.stringify(result.report!.errors),
  );
  assert.deepEqual(result.leftovers, []);
});

void test('a missing interpreter, one that is not Python, and Python 2', async () => {
  const missing = await expectFailure(
    [`${bad}:square`, '--python', '/nonexistent/python3'],
    'interpreter-not-found',
    /was not found/,
  );
  assert.equal(missing.report.runs.length, 0);
  await expectFailure(
    [`${bad}:square`, '--python', '/bin/ls'],
    'interpreter-not-found',
    /not a Python interpreter/,
  );
  await expectFailure(
    [`${bad}:square`, '--python', path.join(cliFixtures, 'fake_python2')],
    'interpreter-unsupported',
    /Python 2\.7\.18.*3\.8 or newer/,
  );
});

void test('one failing interpreter does not lose the other', async () => {
  const result = await runCli([
    `${bad}:square`,
    '--python',
    '/nonexistent/python3',
    '--python',
    'python3',
    ...quick,
  ]);
  assert.equal(result.code, 1);
  assert.ok(result.report!.runs.some((r) => r.backend === 'process' && r.points.length === 2));
});

void test('bad usage exits 2 with the option named', async () => {
  for (const [args, pattern] of [
    [[`${bad}:square`, '--workers', '0,2'], /--workers must be a list of positive integers/],
    [[`${bad}:square`, '--backends', 'piscina'], /no backend for bad_targets\.py/],
    [[`${bad}:square`, '--start-method', 'vfork'], /--start-method/],
    [['nothing.py:fn'], /no such file/],
    [[`${bad}`], /<file>:<function>/],
  ] as const) {
    const result = await runCli([...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});
