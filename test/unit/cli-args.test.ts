// The command line of docs/contract.md: defaults, lists, and usage errors that name the option.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { parseCommandLine, UsageError } from '../../runner/cli/args';

const root = path.resolve(__dirname, '..', '..');
const seed = 'samples/seed/complex_operation.py:complex_operation';

void test('defaults follow docs/contract.md', () => {
  const request = parseCommandLine(['profile', seed], root);
  assert.ok(typeof request === 'object' && request.command === 'profile');
  const { options } = request;
  assert.equal(options.targets[0]!.file, path.join(root, 'samples/seed/complex_operation.py'));
  assert.equal(options.targets[0]!.function, 'complex_operation');
  assert.equal(options.targets[0]!.language, 'python');
  assert.equal(options.inputs, null);
  assert.equal(options.workers, null);
  assert.equal(options.backends, null);
  assert.equal(options.repeat, null);
  assert.deepEqual(options.pythons, []);
  assert.equal(request.json, null);
});

void test("a notebook is a Python target; its backends are checked as Python's", () => {
  const request = parseCommandLine(['profile', 'samples/notebook/seed.ipynb:complex_operation'], root);
  assert.ok(typeof request === 'object' && request.command === 'profile');
  assert.deepEqual(request.options.targets[0], {
    file: path.join(root, 'samples/notebook/seed.ipynb'),
    function: 'complex_operation',
    language: 'python',
  });
  assert.throws(
    () =>
      parseCommandLine(
        ['profile', 'samples/notebook/seed.ipynb:complex_operation', '--backends', 'piscina'],
        root,
      ),
    (error: unknown) => error instanceof UsageError && /seed\.ipynb \(python\)/.test(error.message),
  );
});

void test('lists, repeated --python and engine options are parsed', () => {
  const request = parseCommandLine(
    [
      'profile',
      seed,
      seed.replace(':complex_operation', ':complex_operation_numpy'),
      '--workers',
      '4,1,2,2',
      '--backends',
      'serial,process,thread',
      '--start-method',
      'fork,spawn',
      '--python',
      'python3',
      '--python',
      'pypy3',
      '--repeat',
      '7',
      '--budget',
      '12.5',
      '--timeout',
      '9',
      '--dask-scheduler',
      'tcp://127.0.0.1:8786',
      '--ray-address',
      'auto',
      '--ray-mode',
      'actors',
      '--json',
      'out/r.json',
    ],
    root,
  );
  assert.ok(typeof request === 'object' && request.command === 'profile');
  assert.equal(request.options.targets.length, 2);
  assert.deepEqual(request.options.workers, [1, 2, 4]);
  assert.deepEqual(request.options.backends, ['process', 'thread']);
  assert.deepEqual(request.options.startMethods, ['fork', 'spawn']);
  assert.deepEqual(request.options.pythons, ['python3', 'pypy3']);
  assert.equal(request.options.repeat, 7);
  assert.equal(request.options.budgetSeconds, 12.5);
  assert.equal(request.options.timeoutSeconds, 9);
  assert.equal(request.options.engineOptions.daskScheduler, 'tcp://127.0.0.1:8786');
  assert.equal(request.options.engineOptions.rayAddress, 'auto');
  assert.equal(request.options.engineOptions.rayMode, 'actors');
  assert.equal(request.json, path.join(root, 'out/r.json'));
});

void test('usage errors name what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [[], /no command given/],
    [['run', seed], /unknown command "run"/],
    [['profile'], /no target given/],
    [['profile', 'samples/seed/complex_operation.py'], /<file>:<function>/],
    [['profile', 'README.md:x'], /\.md is not a Python, JavaScript or TypeScript file/],
    [['profile', 'missing.py:f'], /no such file/],
    [['profile', seed, '--workers', '1,x'], /--workers must be a list of positive integers/],
    [['profile', seed, '--workers', ''], /--workers must be a list of positive integers/],
    [['profile', seed, '--repeat', '0'], /--repeat must be a positive integer/],
    [['profile', seed, '--budget=-1'], /--budget must be a positive number/],
    [['profile', seed, '--timeout', 'soon'], /--timeout must be a positive number/],
    [
      ['profile', seed, '--backends', 'gpu'],
      /unknown backend "gpu" \(known: process, thread, futures-process, piscina, joblib, dask, ipyparallel, ray\)/,
    ],
    [
      ['profile', seed, '--backends', 'process,ray', '--ray-mode', 'pool'],
      /--ray-mode must be tasks or actors/,
    ],
    [['profile', seed, '--backends', 'piscina'], /no backend for complex_operation\.py \(python\)/],
    [['profile', seed, '--start-method', 'vfork'], /--start-method must be fork, spawn or forkserver/],
    [['profile', seed, '--compare', 'old.json'], /--compare .* give --html or --markdown too/],
    [['profile', seed, '--frobnicate'], /frobnicate/],
  ];
  for (const [argv, pattern] of cases) {
    assert.throws(
      () => parseCommandLine(argv, root),
      (error: unknown) => error instanceof UsageError && pattern.test(error.message),
      argv.join(' '),
    );
  }
});

void test('help and version', () => {
  assert.equal(parseCommandLine(['--help'], root), 'help');
  assert.equal(parseCommandLine(['-v'], root), 'version');
});
