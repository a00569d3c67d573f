// Hostile targets and faults through the CLI: processes that outlive the function, a CLI killed mid-pass. Every
// case ends with no process of the run left behind, in bounded time.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Report } from '../../protocol/report';
import { markedPids, repoRoot, runCli } from './cliRunner';

const hostile = path.join(repoRoot, 'test', 'fixtures', 'hostile');
const escapesPy = path.join(hostile, 'escapes.py');
const escapesJs = path.join(hostile, 'escapes.mjs');
const once = ['--workers', '1,2', '--repeat', '1', '--timeout', '30'];

for (const [target, backends] of [
  [`${escapesPy}:new_session_child`, 'thread,process'],
  [`${escapesPy}:double_fork`, 'thread,process'],
  [`${escapesJs}:detachedInherit`, 'piscina'],
  [`${escapesJs}:detachedIgnore`, 'piscina'],
] as const) {
  void test(`${path.basename(target)}: the CLI exits after the report and no process it started is left`, async () => {
    const result = await runCli([target, '--backends', backends, '--inputs', '[1, 2]', ...once], {
      timeoutMs: 90_000,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.report, 'the report is written');
    assert.ok(result.seconds < 45, `took ${result.seconds} s`);
    assert.deepEqual(result.leftovers, [], 'processes left behind');
  });
}

void test('a JS task that starts a detached child: the escaped processes are named and ended', async () => {
  const result = await runCli([`${escapesJs}:detachedInherit`, '--inputs', '[1]', ...once]);
  const warning = result.report!.warnings.find((w) => w.code === 'escaped-processes');
  assert.ok(warning, JSON.stringify(result.report!.warnings));
  assert.match(warning.message, /sleep 1000.*they were ended/);
});

/** Starts the CLI on a task that stays busy, SIGKILLs the CLI mid-pass, and says how long its processes took to go. */
async function killCliMidPass(target: string): Promise<{ before: number[]; after: number[] }> {
  const marker = randomUUID();
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'amdahl.js'),
      'profile',
      target,
      '--inputs',
      '[1]',
      '--workers',
      '1',
      '--no-progress',
    ],
    { cwd: repoRoot, env: { ...process.env, AMDAHL_TEST_MARKER: marker }, stdio: 'ignore' },
  );
  const closed = new Promise((resolve) => child.on('close', resolve));
  // The harness is up and busy in the serial warm-up pass well within this.
  await new Promise((resolve) => setTimeout(resolve, 6000));
  const before = markedPids(marker);
  child.kill('SIGKILL');
  await closed;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = markedPids(marker);
  return { before, after };
}

for (const target of [`${escapesPy}:busy`, `${escapesJs}:busy`]) {
  void test(`SIGKILL to the CLI during a long pass of ${path.basename(target)}: the harness is gone within a second`, async () => {
    const { before, after } = await killCliMidPass(target);
    assert.ok(before.length >= 2, 'the CLI and its harness were running');
    assert.deepEqual(after, [], 'processes still running a second after the CLI died');
  });
}

void test('SIGTERM during a long pass ends the CLI at once, with the report of what was measured', async () => {
  const result = await runCli([`${escapesPy}:busy`, '--inputs', '[1]', '--workers', '1'], {
    interruptAfterMs: 5000,
    interruptSignal: 'SIGTERM',
  });
  assert.equal(result.code, 1, result.stderr);
  assert.ok(result.seconds < 15, `took ${result.seconds} s`);
  assert.ok(result.report?.errors.some((e) => e.code === 'cancelled'));
  assert.deepEqual(result.leftovers, []);
});

void test('a --python wrapper that hangs is stopped at the bound of the check itself, with the whole process group', async () => {
  const result = await runCli([
    `${escapesPy}:double_fork`,
    '--python',
    path.join(hostile, 'hanging_python'),
    '--timeout',
    '5',
  ]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /hanging_python" did not answer when asked for its version within 15 s/);
  assert.equal(result.report?.errors[0]?.code, 'interpreter-not-found');
  assert.ok(result.seconds < 25, `took ${result.seconds} s`);
  assert.deepEqual(result.leftovers, []);
});

const square = [
  `${path.join(repoRoot, 'test', 'fixtures', 'cli', 'bad_targets.py')}:square`,
  '--workers',
  '1',
  '--repeat',
  '1',
  '--backends',
  'thread',
];

void test('an unwritable --json: one sentence naming the path and why, the page still written, no temporary file, exit 2', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-out-'));
  try {
    writeFileSync(path.join(dir, 'plain'), 'a file, not a folder');
    for (const [json, reason] of [
      [`/proc/amdahl-${randomUUID()}/report.json`, /does not exist and cannot be created/],
      [dir, /it is a folder/],
      [path.join(dir, 'plain', 'report.json'), /not a folder/],
    ] as const) {
      const page = path.join(dir, `page-${randomUUID()}.html`);
      const result = await runCli([...square, '--json', json, '--html', page], { readReport: false });
      assert.equal(result.code, 2, result.stderr);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0]!.startsWith(`amdahl: the report could not be written to ${json}: `), lines[0]);
      assert.match(lines[0]!, reason);
      assert.ok(existsSync(page), 'the page is written');
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.endsWith('.tmp')),
        [],
        'temporary files',
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('special files are written in place, never replaced; - is standard output', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-out-'));
  try {
    const device = path.join(dir, 'null');
    execFileSync('mknod', [device, 'c', '1', '3']);
    const written = await runCli([...square, '--json', device], { readReport: false });
    assert.equal(written.code, 0, written.stderr);
    assert.ok(statSync(device).isCharacterDevice(), 'the device node is still a device node');

    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const piped = await runCli([...square, '--json', fifo], { readReport: false });
    await readerDone;
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(statSync(fifo).isFIFO(), 'the FIFO is still a FIFO');
    assert.equal((JSON.parse(read) as Report).schemaVersion, 2);

    const stdout = await runCli([...square, '--json', '-'], { readReport: false });
    assert.equal(stdout.code, 0, stdout.stderr);
    assert.equal((JSON.parse(stdout.stdout) as Report).runs[0]?.target.function, 'square');
    assert.match(stdout.stderr, /serial/, 'the summary goes to stderr');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a cancel keeps the passes that completed, with their baseline, and the message fits the cancel', async () => {
  const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');
  const result = await runCli(
    [
      `${sleepy}:nap`,
      '--inputs',
      'range(40)',
      '--workers',
      '1,2',
      '--backends',
      'process,thread',
      '--repeat',
      '3',
    ],
    { interruptAfterMs: 16_000 },
  );
  assert.equal(result.code, 1, result.stderr);
  const report = result.report!;
  assert.equal(report.partial, true);
  assert.ok(report.errors.some((e) => e.code === 'cancelled'));
  const serial = report.runs.find((r) => r.backend === 'serial');
  assert.ok(serial && serial.points[0]!.wallSeconds.samples.length >= 1, 'the serial baseline is kept');
  // 40 naps of 50 ms: the serial pass is 2 s, whatever else was measured is divided by it.
  assert.ok(Math.abs(serial.points[0]!.wallSeconds.mean - 2) < 0.3, `${serial.points[0]!.wallSeconds.mean}`);
  assert.ok(!report.warnings.some((w) => w.code === 'no-baseline'), JSON.stringify(report.warnings));
  assert.doesNotMatch(result.stdout + result.stderr, /Fix the error the serial run reported/);
  assert.ok(!report.warnings.some((w) => w.code === 'escaped-processes'), 'pool workers are not escaped');
  assert.deepEqual(result.leftovers, []);
});

void test('worker counts past a sane limit, or far past the cores without --allow-oversubscription, are bad usage', async () => {
  const cores = os.availableParallelism();
  for (const [workers, pattern] of [
    ['99999999999999999999', /--workers 100000000000000000000 is more than 1024 workers/],
    ['1025', /--workers 1025 is more than 1024 workers/],
    [String(4 * cores + 1), /more than 4x the \d+ usable cores; add --allow-oversubscription/],
  ] as const) {
    const result = await runCli([...square, '--workers', workers]);
    assert.equal(result.code, 2, `${workers}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.equal(result.report, null, 'nothing was started');
  }
  const allowed = await runCli([
    ...square,
    '--workers',
    String(4 * cores + 1),
    '--allow-oversubscription',
    '--inputs',
    `range(${4 * cores + 1})`,
  ]);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.deepEqual(allowed.leftovers, []);
});

void test('control characters from user code reach the terminal escaped', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-escapes-'));
  try {
    const file = path.join(dir, 'evil\x1b[2J\r.py');
    writeFileSync(file, readFileSync(path.join(hostile, 'hostile_strings.py')));
    const result = await runCli([`${file}:raises_escapes`, '--workers', '1', '--repeat', '1'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /[\x1b\x07\r\u202e]/, 'a raw control character');
    assert.match(result.stderr, /\\x1b\]0;pwned\\x07\\x1b\[2J\\rall good \\u202e/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
