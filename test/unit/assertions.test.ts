// --assert: the expressions docs/contract.md names, checked at the conservative end of the 95% interval, and bad
// ones (or ones naming what will not be measured) refused as usage errors before anything runs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { checkAssertions, parseAssertion, type Assertion } from '../../runner/analysis/assertions';
import { parseCommandLine, UsageError } from '../../runner/cli/args';
import { twoBackendReport } from '../fixtures/reports/synthetic';

const root = path.resolve(__dirname, '..', '..');
const sleepy = 'samples/sleep/sleepy.py:nap';

function parsed(expression: string): Assertion {
  const result = parseAssertion(expression);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

void test('the three forms of the issue parse', () => {
  assert.deepEqual(parsed('process:speedup>=1.8@2'), {
    expression: 'process:speedup>=1.8@2',
    backend: 'process',
    metric: 'speedup',
    op: '>=',
    threshold: 1.8,
    workers: 2,
  });
  assert.equal(parsed('thread:efficiency>=0.7@4').metric, 'efficiency');
  assert.equal(parsed('process:recommended>=4').workers, null);
  assert.equal(parsed('thread:speedup<=1.2@8').op, '<=');
});

void test('malformed expressions say what is wrong', () => {
  for (const [expression, pattern] of [
    ['process:speedup>=1.8', /add @k/],
    ['process:recommended>=4@2', /takes no @k/],
    ['proces:speedup>=1.8@2', /unknown backend "proces"/],
    ['process:speedup>=fast@2', /"fast" is not a number/],
    ['process:speedup>=1.8@0', /not a positive worker count/],
    ['process:latency>=1@2', /is not <backend>/],
    ['speedup>=1.8@2', /is not <backend>/],
  ] as const) {
    const result = parseAssertion(expression);
    assert.ok(!result.ok, expression);
    assert.match(result.error, pattern, expression);
  }
});

void test('an assertion holds only at the conservative end of the interval', () => {
  const report = twoBackendReport();
  // process at k = 2: S = 1.80 [1.75, 1.86]; at k = 4: [3.10, 3.22]; recommended 4. thread at 2: [1.00, 1.03].
  const check = (expression: string) => checkAssertions(report, [parsed(expression)]);
  const [mean] = check('process:speedup>=1.8@2');
  assert.equal(mean!.passed, false, 'the mean passes, the lower bound 1.75 does not');
  assert.ok(mean!.value! >= 1.79 && mean!.ci95![0] < 1.8);
  assert.equal(check('process:speedup>=1.7@2')[0]!.passed, true);
  assert.equal(check('process:speedup<=1.85@2')[0]!.passed, false, 'the upper bound 1.86 is above 1.85');
  assert.equal(check('process:speedup<=1.9@2')[0]!.passed, true);
  // Efficiency's interval is the speedup's over k.
  const [efficiency] = check('process:efficiency>=0.75@4');
  assert.equal(efficiency!.passed, true);
  assert.ok(Math.abs(efficiency!.ci95![0] - 3.1 / 4) < 0.01, String(efficiency!.ci95));
  assert.equal(check('process:efficiency>=0.8@4')[0]!.passed, false);
  assert.deepEqual(check('process:recommended>=4')[0], {
    expression: 'process:recommended>=4',
    scope: 'complex_operation · process (fork) · CPython 3.11.2',
    passed: true,
    value: 4,
    ci95: null,
  });
  assert.equal(check('process:recommended>=5')[0]!.passed, false);
  assert.equal(
    check('thread:speedup<1@2')[0]!.passed,
    false,
    'thread at 2: the upper bound 1.03 is not below 1',
  );
  assert.equal(check('thread:speedup<1.1@2')[0]!.passed, true);
});

void test('a point or backend missing from the report fails with the reason, never passes', () => {
  const report = twoBackendReport();
  const [missing] = checkAssertions(report, [parsed('process:speedup>=1@3')]);
  assert.deepEqual(
    { passed: missing!.passed, value: missing!.value, reason: missing!.reason },
    { passed: false, value: null, reason: 'nothing measured at 3 workers' },
  );
  const [absent] = checkAssertions(report, [parsed('piscina:speedup>=1@2')]);
  assert.equal(absent!.passed, false);
  assert.match(absent!.reason!, /no piscina run/);
});

void test('--assert naming a backend or a worker count that is not measured is bad usage', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--workers', '1,2', '--assert', 'thread:speedup>=1.8@4'],
      /4 workers are not measured \(measured: 1, 2\)/,
    ],
    [['--backends', 'thread', '--assert', 'process:speedup>=1.8@2'], /process backend is not measured/],
    [['--assert', 'piscina:speedup>=1@1'], /piscina backend is not measured/],
    [['--assert', 'thread:speedup=>2@2'], /is not <backend>/],
    [['--assert', 'serial:speedup>=1@2'], /2 workers are not measured \(measured: 1\)/],
  ];
  for (const [args, pattern] of cases) {
    assert.throws(
      () => parseCommandLine(['profile', sleepy, ...args], root),
      (error: unknown) => error instanceof UsageError && pattern.test(error.message),
      args.join(' '),
    );
  }
  const request = parseCommandLine(
    [
      'profile',
      sleepy,
      '--workers',
      '1,2',
      '--assert',
      'thread:speedup>=1.8@2',
      '--assert',
      'process:recommended>=2',
    ],
    root,
  );
  assert.ok(typeof request === 'object' && request.command === 'profile');
  assert.deepEqual(
    request.assertions.map((a) => a.expression),
    ['thread:speedup>=1.8@2', 'process:recommended>=2'],
  );
});
