// Hidden parallelism: a "serial" loop whose library (Debian NumPy's OpenBLAS) or task runs threads of its own,
// against what a plain loop of the same work keeps busy on this machine at the same time.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Report, Run } from '../../protocol/report';
import { cliFixtures, point, repoRoot, runCli } from './cliRunner';
import { fromSamples, plainBusyCores } from './plainBurn';

// Debian's NumPy is installed for the system interpreter.
const python = '/usr/bin/python3';
const fixture = path.join(repoRoot, 'test', 'fixtures', 'hidden', 'library_threads.py');
const inputs = Array.from({ length: 8 }, (_, i) => i);

function codes(report: Report): string[] {
  return report.warnings.map((w) => w.code);
}

function serialBusy(report: Report): number {
  const busy = point(report, 'serial', 1).busyCores;
  assert.ok(typeof busy === 'number', 'the serial point has busyCores');
  return busy;
}

function limitedRuns(report: Report): Run[] {
  return report.runs.filter((run) => run.libraryThreads !== undefined);
}

/** Profiles `target` on Debian's Python with the options given, `repeat` counted passes per configuration. */
function profile(
  target: string,
  options: string[],
  repeat: number,
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
) {
  return runCli([target, '--python', python, ...options, '--repeat', String(repeat)], {
    timeoutMs: 300_000,
    env,
    ...(cwd ? { cwd } : {}),
  });
}

/** The plain loop's busy cores around a profile: a few rounds before and after it. */
async function aroundPlain<T>(
  fn: string,
  env: NodeJS.ProcessEnv,
  measure: () => Promise<T>,
): Promise<{ result: T; plain: ReturnType<typeof fromSamples> }> {
  const before = plainBusyCores(python, fixture, fn, inputs, 3, env);
  const result = await measure();
  const after = plainBusyCores(python, fixture, fn, inputs, 3, env);
  return { result, plain: fromSamples([...before, ...after]) };
}

void test('NumPy SVD: the serial loop keeps the cores busy through BLAS threads: hidden-parallelism, no gil-bound, a row with 1 BLAS thread', async (t) => {
  const { result, plain } = await aroundPlain('svd', {}, () =>
    profile(
      `${fixture}:svd`,
      ['--inputs', 'range(8)', '--workers', '1,2', '--backends', 'thread,process', '--start-method', 'fork'],
      5,
    ),
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const busy = serialBusy(report);
  t.diagnostic(
    `serial busyCores ${busy.toFixed(2)}; a plain loop ${plain.mean.toFixed(2)} ± ${plain.standardError.toFixed(2)}`,
  );
  // The profiler's serial loop keeps as many cores busy as a plain loop does on this machine now; where the
  // machine gives the plain loop nearly both cores, that is at least 1.5.
  assert.ok(
    Math.abs(busy - plain.mean) <= Math.max(0.3, 3 * plain.standardError),
    `${busy} vs plain ${plain.mean}`,
  );
  if (plain.mean >= 1.6) assert.ok(busy >= 1.5, `serial busyCores ${busy}`);
  else t.diagnostic('the machine is too busy to give a plain loop two cores: the 1.5 bound is not checked');

  assert.ok(codes(report).includes('hidden-parallelism'), JSON.stringify(report.warnings));
  const hidden = report.warnings.find((w) => w.code === 'hidden-parallelism')!;
  assert.match(hidden.message, /OpenBLAS/);
  assert.ok(!codes(report).includes('gil-bound'), JSON.stringify(report.warnings));
  // Two workers of two BLAS threads each on two cores, from the measured thread count (no threadpoolctl here).
  const over = report.warnings.find(
    (w) => w.code === 'oversubscription' && w.scope?.includes('process (fork)'),
  );
  assert.ok(over, JSON.stringify(report.warnings));

  // The configuration with the libraries limited is measured as its own run, and its loop uses one core per worker.
  const limited = limitedRuns(report);
  assert.equal(limited.length, 1, JSON.stringify(report.runs.map((r) => r.label)));
  const run = limited[0]!;
  assert.equal(run.backend, 'process');
  assert.equal(run.libraryThreads, 1);
  assert.match(run.label ?? '', /process \(fork, 1 BLAS thread\)/);
  assert.deepEqual(
    run.points.map((p) => p.workers),
    [1, 2],
  );
  const one = run.points.find((p) => p.workers === 1)!;
  // The worker's own CPU: the harness's busyCores share can carry its BLAS threads spinning on after the serial
  // pass just before (OpenBLAS busy-waits a while for more work), which is not this worker's.
  const workerCpu = Object.values(one.workerCpuSeconds ?? {});
  assert.equal(workerCpu.length, 1, JSON.stringify(one.workerCpuSeconds));
  const workerCores = workerCpu[0]! / one.wallSeconds.mean;
  assert.ok(
    workerCores <= 1.1,
    `one worker with 1 BLAS thread: ${workerCores} cores (busyCores ${one.busyCores})`,
  );
  if (run.recommendation) assert.match(run.recommendation.reason, /with 1 BLAS thread each/);
  // The CLI shows it as its own row.
  assert.match(result.stdout, /process \(fork, 1 BLAS thread\)\s+1 /);
  assert.deepEqual(result.leftovers, []);
});

void test('NumPy SVD with OPENBLAS_NUM_THREADS=1: one busy core, no hidden-parallelism, no limited row', async (t) => {
  const env = { OPENBLAS_NUM_THREADS: '1' };
  const { result, plain } = await aroundPlain('svd', env, () =>
    profile(
      `${fixture}:svd`,
      ['--inputs', 'range(8)', '--workers', '2', '--backends', 'thread,process'],
      5,
      env,
    ),
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const busy = serialBusy(report);
  t.diagnostic(`serial busyCores ${busy.toFixed(2)}; a plain loop ${plain.mean.toFixed(2)}`);
  assert.ok(busy <= 1.1, `serial busyCores ${busy}`);
  assert.ok(!codes(report).includes('hidden-parallelism'), JSON.stringify(report.warnings));
  assert.deepEqual(limitedRuns(report), []);
  assert.deepEqual(result.leftovers, []);
});

void test('a task that starts its own ThreadPoolExecutor of two hashing threads is hidden parallelism', async () => {
  const result = await profile(
    `${path.join(repoRoot, 'test', 'fixtures', 'hidden', 'own_threads.py')}:hash_on_two_threads`,
    ['--inputs', 'range(6)', '--workers', '2', '--backends', 'process'],
    3,
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  const hidden = report.warnings.find((w) => w.code === 'hidden-parallelism');
  assert.ok(hidden, JSON.stringify(report.warnings));
  assert.match(hidden.message, /the tasks start threads of their own \(\d+ during the loop\)/);
  assert.doesNotMatch(hidden.message, /the library runs/);
  // Limiting the libraries' threads would not touch the task's own: no such run.
  assert.deepEqual(limitedRuns(report), []);
  assert.deepEqual(result.leftovers, []);
});

void test('pure-Python CPU work on threads keeps its gil-bound verdict and shows no hidden parallelism', async (t) => {
  const result = await profile(
    `${path.join(cliFixtures, 'cpu.py')}:spin`,
    ['--backends', 'thread', '--workers', '1,2', '--inputs', 'range(8)'],
    5,
  );
  assert.equal(result.code, 0, result.stderr);
  const report = result.report!;
  assert.ok(!codes(report).includes('hidden-parallelism'), JSON.stringify(report.warnings));
  assert.ok(serialBusy(report) <= 1.1, `serial busyCores ${serialBusy(report)}`);
  // As in the speedup tests: the verdict needs a serial loop that got at least half a core.
  const serial = point(report, 'serial', 1);
  const share = serial.cpuSeconds! / serial.wallSeconds.mean;
  if (share >= 0.5) assert.ok(codes(report).includes('gil-bound'), JSON.stringify(report.warnings));
  else t.diagnostic(`the serial loop got ${share.toFixed(2)} of a core: too busy to call it CPU-bound`);
});

void test('the limited configuration runs with one BLAS thread in every worker, read back from inside the workers', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-readback-'));
  try {
    const readback = path.join(dir, 'threads');
    mkdirSync(readback);
    const target = path.join(dir, 'library_threads.py');
    const text = readFileSync(fixture, 'utf8').replace(
      'READBACK = None',
      `READBACK = ${JSON.stringify(readback)}`,
    );
    writeFileSync(target, text);
    const result = await profile(
      `${target}:svd_and_report`,
      ['--inputs', 'range(8)', '--workers', '2', '--backends', 'process', '--start-method', 'fork,spawn'],
      2,
      {},
      dir,
    );
    assert.equal(result.code, 0, result.stderr);
    const report = result.report!;
    const threadsOf = new Map(
      readdirSync(readback).map((pid) => [Number(pid), readFileSync(path.join(readback, pid), 'utf8')]),
    );
    const pids = (run: Run) => run.points.flatMap((p) => (p.workerInfo ?? []).map((w) => w.pid!));
    const limited = limitedRuns(report);
    assert.deepEqual(limited.map((r) => r.startMethod).sort(), ['fork', 'spawn']);
    for (const run of limited) {
      assert.equal(pids(run).length, 2, run.label);
      for (const pid of pids(run)) assert.equal(threadsOf.get(pid), '1', `${run.label}: worker ${pid}`);
    }
    // The pools as the user runs them keep the library's own count (two on two cores).
    for (const run of report.runs.filter((r) => r.backend === 'process' && r.libraryThreads === undefined)) {
      for (const pid of pids(run))
        assert.equal(threadsOf.get(pid), String(os.availableParallelism()), run.label);
    }
    assert.deepEqual(result.leftovers, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
