// The answer's trustworthiness through the CLI: tiny tasks get no fake speedup, a busy machine is measured and
// named (a real CPU hog, another profile at the same time, and its absence checked against the OS's own
// counters), and repetition stops on the decision.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { StopReason } from '../../protocol/codes';
import type { Report } from '../../protocol/report';
import { median } from '../../runner/analysis/stats';
import { point, repoRoot, runCli } from './cliRunner';

const run = promisify(execFile);
const load = path.join(repoRoot, 'test', 'fixtures', 'load');
const spin = path.join(load, 'spin.py');
const plainScript = path.join(repoRoot, 'bench', 'python', 'plain_speedup.py');
const sleepy = path.join(repoRoot, 'samples', 'sleep', 'sleepy.py');

/** Busy CPU seconds of the whole machine (every CPU), from /proc/stat. */
function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/** CPU seconds of this test process and of every child it has reaped (the CLI, its harness and workers). */
function ownAndReapedSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) / 100;
}

/** Other programs' share over the pool points of a run, weighted by their wall time. */
function reportedShare(report: Report, backend: string): number {
  const points = report.runs.find((r) => r.backend === backend)!.points;
  let weighted = 0;
  let seconds = 0;
  for (const p of points) {
    const wall = p.wallSeconds.samples.reduce((a, b) => a + b, 0);
    weighted += (p.otherCpuShare ?? NaN) * wall;
    seconds += wall;
  }
  return weighted / seconds;
}

/** 20 tasks of 20 ms of CPU each on process pools of 1 and 2 workers, `repeat` counted passes. */
function spinning(repeat: number): string[] {
  return [
    `${spin}:spin`,
    '--inputs',
    '[0.02] * 20',
    '--backends',
    'process',
    '--workers',
    '1,2',
    '--repeat',
    `${repeat}`,
  ];
}

function busyWarnings(report: Report): string[] {
  return report.warnings.filter((w) => w.code === 'busy-machine').map((w) => w.message);
}

void test('tiny tasks: S(2) of ident over 100,000 inputs is below 1, as a plain script measures it', async () => {
  const result = await runCli([
    `${spin}:ident`,
    '--inputs',
    'range(100000)',
    '--workers',
    '2',
    '--backends',
    'process',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  // bench/python/plain_speedup.py: a serial list comprehension against Pool(2).map, 7 times each, interleaved.
  const { stdout } = await run('python3', [plainScript, spin, 'ident', '100000', '7']);
  const times = JSON.parse(stdout) as { serial: number[]; pool2: number[] };
  const plain = median(times.serial) / median(times.pool2);
  const measured = point(report, 'process', 2).speedup.mean;
  // Timing each task used to make the serial loop 20-50x slower than a plain one and gave S(2) = 1.8.
  assert.ok(plain < 1, `the plain script's S(2) = ${plain}`);
  assert.ok(measured < 1, `S(2) = ${measured}; the plain script measured ${plain}`);
  assert.ok(Math.abs(Math.log(measured / plain)) < Math.log(3), `S(2) = ${measured}, plain ${plain}`);
  const run0 = report.runs.find((r) => r.backend === 'process')!;
  assert.equal(run0.instrumentation?.countedPasses, 'whole-map');
  assert.equal(run0.instrumentation?.timelinePasses, 'separate');
  assert.match(run0.instrumentation.note, /separate per-task timed passes/);
  assert.ok(point(report, 'process', 2).timelinePasses!.length >= 1);
  assert.ok(point(report, 'process', 2).speedup.estimator);
});

void test('sleep tasks: repetition stops when the decision is settled and precise, and says so', async () => {
  const result = await runCli([
    `${sleepy}:nap`,
    '--backends',
    'thread',
    '--workers',
    '1,2,5',
    '--budget',
    '60',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const threads = result.report!.runs.find((r) => r.backend === 'thread')!;
  assert.equal(threads.stopReason, 'decided');
  assert.ok(StopReason.safeParse(threads.stopReason).success);
  assert.equal(threads.recommendation?.workers, 5);
  assert.equal(threads.instrumentation?.countedPasses, 'per-task');
  const five = point(result.report!, 'thread', 5).speedup;
  assert.ok((five.ci95[1] - five.ci95[0]) / 2 / five.mean <= 0.05, JSON.stringify(five));
});

void test('a CPU hog on one core is measured and named busy-machine', async () => {
  const hog = spawn('python3', ['-c', 'while True: pass'], { stdio: 'ignore' });
  try {
    const result = await runCli(spinning(6));
    assert.equal(result.code, 0, result.stderr);
    const share = reportedShare(result.report!, 'process');
    // The hog alone takes up to one of the two cores: at least a quarter of the usable time even when others share it.
    assert.ok(share >= 0.25, `other programs' share ${share}`);
    const warnings = busyWarnings(result.report!);
    assert.equal(warnings.length, 1, JSON.stringify(result.report!.warnings));
    assert.match(warnings[0]!, /understated/);
  } finally {
    // Wait until it is reaped: its CPU then lands in this process's children's time, not in the next test's.
    const exited = new Promise((resolve) => hog.once('exit', resolve));
    hog.kill('SIGKILL');
    await exited;
  }
});

void test("without a hog, the reported share matches the OS's own counters over the run", async () => {
  // Sleep tasks use no CPU: what the machine did besides this test and its children is other programs'.
  const busy0 = machineBusySeconds();
  const own0 = ownAndReapedSeconds();
  const t0 = Date.now();
  const result = await runCli([
    `${sleepy}:nap`,
    '--backends',
    'thread',
    '--workers',
    '1,2',
    '--repeat',
    '10',
  ]);
  const seconds = (Date.now() - t0) / 1000;
  const independent =
    (machineBusySeconds() - busy0 - (ownAndReapedSeconds() - own0)) / (os.cpus().length * seconds);
  assert.equal(result.code, 0, result.stderr);
  const share = reportedShare(result.report!, 'thread');
  assert.ok(Math.abs(share - independent) < 0.15, `reported ${share}, the OS counters say ${independent}`);
  // The warning follows the measurement: named when the share is 10% or more, absent below.
  const named = busyWarnings(result.report!).length > 0;
  const anyBusy = result.report!.runs.some((r) => r.points.some((p) => (p.otherCpuShare ?? 0) >= 0.1));
  assert.equal(named, anyBusy);
  if (independent < 0.03) assert.equal(named, false, `a quiet machine (${independent}) named busy`);
});

void test('two profiles at once each name the other as a busy machine', async () => {
  const [first, second] = await Promise.all([runCli(spinning(8)), runCli(spinning(8))]);
  for (const result of [first, second]) {
    assert.equal(result.code, 0, result.stderr);
    assert.ok(reportedShare(result.report!, 'process') >= 0.1, JSON.stringify(result.report!.warnings));
    assert.equal(busyWarnings(result.report!).length, 1);
  }
});
