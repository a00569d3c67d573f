// Memory against worker count, measured on real pools: tasks whose memory is known (an idle task, one that writes
// 100 MB, a 200 MB array shared through fork), the worker count that fits in the available memory, and workers that
// run out of memory (an address-space limit, and where this machine allows, a memory cgroup's OOM killer).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Point, Report, Run } from '../../protocol/report';
import { launchChromium, openReportHtml } from '../fixtures/reports/browser';
import { repoRoot, runCli } from './cliRunner';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'memory');
const MB = 1_000_000;
// Debian's interpreter has joblib; the one on PATH may not.
const python =
  spawnSync('/usr/bin/python3', ['-c', 'import joblib'], { stdio: 'ignore' }).status === 0
    ? '/usr/bin/python3'
    : 'python3';
const linux = process.platform === 'linux';

function runOf(report: Report, backend: string): Run {
  const run = report.runs.find((r) => r.backend === backend);
  assert.ok(run, `no ${backend} run in ${report.runs.map((r) => r.label).join(', ')}`);
  return run;
}

function pointAt(run: Run, workers: number): Point {
  const point = run.points.find((p) => p.workers === workers);
  assert.ok(point?.memory, `${run.label}: no memory at ${workers} workers`);
  return point;
}

function within(actual: number, expected: number, share: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= share * expected,
    `${what}: ${(actual / MB).toFixed(1)} MB, expected ${(expected / MB).toFixed(1)} MB within ${share * 100}%`,
  );
}

/** MemAvailable, read here, independently of the runner. */
function memAvailable(): number {
  const line = readFileSync('/proc/meminfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('MemAvailable:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

const BACKENDS = 'process,futures-process,joblib,thread';

/** The CLI's arguments for one fixture function: four inputs, one counted pass per point unless told. */
function fixtureArgs(target: string, workers: string, ...more: string[]): string[] {
  return [
    path.join(fixtures, target),
    '--inputs',
    '[0, 1, 2, 3]',
    '--workers',
    workers,
    ...(more.includes('--repeat') ? [] : ['--repeat', '1']),
    ...more,
  ];
}

void test(
  'a task that writes 100 MB: each worker peaks 100 MB over an idle worker, in RSS and in unique memory',
  { skip: !linux && 'smaps_rollup and VmHWM are Linux-only' },
  async () => {
    const args = (fn: string): string[] =>
      fixtureArgs(`touch.py:${fn}`, '1,2', '--backends', BACKENDS, '--python', python);
    const idle = await runCli(args('idle'), { timeoutMs: 180_000 });
    assert.equal(idle.code, 0, idle.stderr);
    const touched = await runCli(args('touch_100mb'), { timeoutMs: 180_000 });
    assert.equal(touched.code, 0, touched.stderr);
    const backends = ['process', 'futures-process', 'joblib'];
    if (python !== '/usr/bin/python3') backends.pop();
    for (const backend of backends) {
      const before = pointAt(runOf(idle.report!, backend), 2).memory!;
      const after = pointAt(runOf(touched.report!, backend), 2).memory!;
      assert.equal(after.basis, 'per-worker');
      within(after.peakRssBytes.max, before.peakRssBytes.max + 100 * MB, 0.1, `${backend} peak RSS`);
      within(after.uniqueBytes!.max, before.uniqueBytes!.max + 100 * MB, 0.1, `${backend} unique`);
      within(after.uniqueBytes!.mean, before.uniqueBytes!.mean + 100 * MB, 0.1, `${backend} mean unique`);
      assert.ok(after.parentPeakRssBytes! > 0);
    }
    // Threads share the harness process: its growth over its idle memory stands for them, and says so. Each
    // thread holds its 100 MB through its sleep, so k threads hold k x 100 MB at once.
    for (const workers of [1, 2]) {
      const growth = pointAt(runOf(touched.report!, 'thread'), workers).memory!;
      assert.equal(growth.basis, 'process-growth');
      assert.equal(growth.uniqueBytes, null);
      within(growth.peakRssBytes.max, workers * 100 * MB, 0.1, `thread growth at ${workers}`);
      const idleGrowth = pointAt(runOf(idle.report!, 'thread'), workers).memory!;
      assert.ok(idleGrowth.peakRssBytes.max < 5 * MB, `idle thread growth ${idleGrowth.peakRssBytes.max}`);
    }
    const serial = runOf(touched.report!, 'serial').points[0]!.memory!;
    within(serial.peakRssBytes.max, 100 * MB, 0.1, 'serial loop growth');

    // The worker count that fits: 80% of the memory available at the start, less the parent, over each worker's own.
    const report = touched.report!;
    const available = report.environment.availableMemoryBytes!;
    within(available, memAvailable(), 0.15, 'available memory at the start');
    const process = runOf(report, 'process');
    const perWorker = Math.max(...process.points.map((p) => p.memory!.uniqueBytes!.max));
    const parent = Math.max(...process.points.map((p) => p.memory!.parentPeakRssBytes!));
    assert.equal(
      process.recommendation!.maxWorkersByMemory,
      Math.floor((0.8 * available - parent) / perWorker),
    );
    const ownReading = Math.floor((0.8 * memAvailable() - parent) / (105 * MB));
    const tolerance = Math.max(2, Math.ceil(0.15 * ownReading));
    assert.ok(
      Math.abs(process.recommendation!.maxWorkersByMemory - ownReading) <= tolerance,
      `maxWorkersByMemory ${process.recommendation!.maxWorkersByMemory} against ${ownReading} from this test's own reading`,
    );
  },
);

/** The report page draws the run's memory chart, with the available memory and what it allows in words. */
async function memoryChartDrawn(html: string, run: Run): Promise<void> {
  const browser = await launchChromium();
  try {
    const { page, problems } = await openReportHtml(browser, html);
    assert.deepEqual(problems, []);
    const drawn = await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('[data-chart^="memory-"]');
      const canvas = box?.querySelector('canvas');
      const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
      return {
        painted,
        title: box?.querySelector('h3')?.textContent,
        note: box?.querySelector('.note')?.textContent,
      };
    });
    assert.equal(drawn.title, `Memory: ${run.label}`);
    assert.ok(drawn.painted > 2000, `the memory chart is blank (${drawn.painted} painted pixels)`);
    assert.match(drawn.note ?? '', /One segment per worker: its peak unique memory/);
    assert.match(drawn.note ?? '', /MB available when the profile started; dotted: 80% of it/);
    assert.match(
      drawn.note ?? '',
      new RegExp(`Memory allows ${run.recommendation!.maxWorkersByMemory} workers`),
    );
  } finally {
    await browser.close();
  }
}

void test(
  'a 200 MB array read under fork: unique memory per worker stays far below it, and no k x 200 MB is predicted',
  { skip: !linux && 'smaps_rollup is Linux-only' },
  async () => {
    const page = path.join(mkdtempSync(path.join(os.tmpdir(), 'amdahl-memory-')), 'report.html');
    const result = await runCli(
      fixtureArgs(
        'shared.py:read_shared',
        '1,2',
        '--backends',
        'process',
        '--start-method',
        'fork',
        '--memory',
        '--html',
        page,
      ),
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    const run = runOf(result.report!, 'process');
    for (const workers of [1, 2]) {
      const memory = pointAt(run, workers).memory!;
      assert.ok(memory.peakRssBytes.max > 200 * MB, `RSS ${memory.peakRssBytes.max} counts the shared pages`);
      assert.ok(memory.uniqueBytes!.max < 50 * MB, `unique ${memory.uniqueBytes!.max} should not count them`);
    }
    // --memory: the same figures in the printed table, in MB, and how many workers memory allows.
    assert.match(result.stdout, /RSS MB max\/mean +unique MB max\/mean +parent MB/);
    const two = pointAt(run, 2).memory!;
    const mb = (bytes: number): string => (bytes / MB).toFixed(0);
    const row = `${mb(two.peakRssBytes.max)}/${mb(two.peakRssBytes.mean)}  +${mb(two.uniqueBytes!.max)}/${mb(two.uniqueBytes!.mean)}  +${mb(two.parentPeakRssBytes!)}`;
    assert.match(result.stdout, new RegExp(`process \\(fork\\) +2 .* ${row}`));
    assert.match(
      result.stdout,
      new RegExp(`memory allows ${run.recommendation!.maxWorkersByMemory} workers`),
    );
    await memoryChartDrawn(readFileSync(page, 'utf8'), run);
    const available = result.report!.environment.availableMemoryBytes!;
    const naive = Math.floor((0.8 * available) / (200 * MB));
    assert.ok(
      run.recommendation!.maxWorkersByMemory! > 4 * naive,
      `${run.recommendation!.maxWorkersByMemory} workers fit, not the ${naive} a k x 200 MB reading would give`,
    );
  },
);

void test(
  'a worker whose address space is limited allocates past it: task-raised MemoryError naming the input',
  { skip: !linux && 'reads /proc/self/statm' },
  async () => {
    const result = await runCli(
      fixtureArgs('capped.py:allocate', '2', '--backends', 'process', '--start-method', 'spawn'),
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 1, result.stderr);
    const error = result.report!.errors.find((e) => e.code === 'task-raised');
    assert.ok(error, JSON.stringify(result.report!.errors));
    assert.equal(error.input, 2);
    assert.match(error.message, /allocate\(2\) raised MemoryError/);
    assert.deepEqual(result.leftovers, [], 'processes left behind');
  },
);

/** A memory cgroup of its own under this process's (v1 or v2), or why there is none. */
function memoryCgroup(limitBytes: number): { dir: string; procs: string } | { skip: string } {
  if (!linux) return { skip: 'cgroups are Linux-only' };
  const lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  const v1 = lines.map((l) => l.split(':')).find(([, c]) => c!.split(',').includes('memory'));
  const v2 = lines.map((l) => l.split(':')).find(([, c]) => c === '');
  const candidates: { dir: string; limitFile: string; value: string }[] = [];
  if (v1)
    candidates.push({
      dir: `/sys/fs/cgroup/memory${v1[2]}`,
      limitFile: 'memory.limit_in_bytes',
      value: `${limitBytes}`,
    });
  if (v2) candidates.push({ dir: `/sys/fs/cgroup${v2[2]}`, limitFile: 'memory.max', value: `${limitBytes}` });
  const reasons: string[] = [];
  for (const c of candidates) {
    const dir = path.join(c.dir, `amdahl-test-${process.pid}`);
    try {
      mkdirSync(dir);
    } catch (error) {
      reasons.push(`cannot create ${dir}: ${(error as Error).message}`);
      continue;
    }
    try {
      writeFileSync(path.join(dir, c.limitFile), c.value);
      if (c.limitFile === 'memory.limit_in_bytes') {
        try {
          writeFileSync(path.join(dir, 'memory.memsw.limit_in_bytes'), c.value);
        } catch {
          // no swap accounting: the memory limit alone
        }
      }
      return { dir, procs: path.join(dir, 'cgroup.procs') };
    } catch (error) {
      reasons.push(`cannot limit ${dir}: ${(error as Error).message}`);
      rmdirSync(dir);
    }
  }
  return { skip: reasons.length > 0 ? reasons.join('; ') : 'no memory cgroup is mounted' };
}

/** Profiles oom.py's function inside the memory cgroup: the CLI joins it as it starts, its harness inherits it. */
async function profileInCgroup(fn: string, procs: string): Promise<Report> {
  const result = await runCli(fixtureArgs(`oom.py:${fn}`, '2', '--backends', 'process'), {
    timeoutMs: 120_000,
    cgroupProcs: procs,
  });
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
  return result.report!;
}

void test('the OOM killer in a memory-limited cgroup: worker-died, signal 9, memory named as the cause', async (t) => {
  const cgroup = memoryCgroup(450 * MB);
  if ('skip' in cgroup) {
    t.skip(cgroup.skip);
    return;
  }
  try {
    await t.test('a pool worker', async () => {
      const report = await profileInCgroup('grow_in_workers', cgroup.procs);
      const error = report.errors.find((e) => e.code === 'worker-died');
      assert.ok(error, JSON.stringify(report.errors));
      assert.match(
        error.message,
        /killed by SIGKILL \(signal 9, exit code -9\) while running grow_in_workers\(1\)/,
      );
      assert.match(
        error.message,
        /most likely the kernel's OOM killer, out of memory: the memory cgroup's OOM-kill counter rose/,
      );
      assert.equal(error.input, 1);
    });
    await t.test(
      'a pool worker killed while its memory was near the limit, the counter unchanged',
      async () => {
        const report = await profileInCgroup('hold_then_killed', cgroup.procs);
        const error = report.errors.find((e) => e.code === 'worker-died');
        assert.ok(error, JSON.stringify(report.errors));
        assert.match(
          error.message,
          /killed by SIGKILL \(signal 9, exit code -9\) while running hold_then_killed\(1\)/,
        );
        assert.match(
          error.message,
          /most likely the kernel's OOM killer, out of memory: the pool's workers last held \d+ MB \(this worker \d+ MB\), near the \d+ MB available when it opened/,
        );
      },
    );
    await t.test('the harness itself, running the serial loop', async () => {
      const report = await profileInCgroup('grow', cgroup.procs);
      const error = report.errors.find((e) => e.code === 'worker-died');
      assert.ok(error, JSON.stringify(report.errors));
      assert.match(error.message, /killed by SIGKILL \(signal 9\) while running input 1/);
      assert.match(
        error.message,
        /most likely the kernel's OOM killer, out of memory: the memory cgroup's OOM-kill counter rose/,
      );
    });
  } finally {
    rmdirSync(cgroup.dir);
  }
});

void test(
  'piscina: the harness process grows 100 MB per worker thread holding 100 MB, over an idle pool, and says so',
  { skip: !linux && 'VmHWM is Linux-only' },
  async () => {
    const profileJs = async (fn: string): Promise<Report> => {
      const result = await runCli(
        [
          `${path.join(fixtures, 'touch.mjs')}:${fn}`,
          '--inputs',
          '[0, 1]',
          '--workers',
          '1,2',
          '--repeat',
          '2',
        ],
        { timeoutMs: 120_000 },
      );
      assert.equal(result.code, 0, result.stderr);
      return result.report!;
    };
    const idle = runOf(await profileJs('idle'), 'piscina');
    const touched = runOf(await profileJs('touch100mb'), 'piscina');
    const growth = (run: Run, k: number): number => {
      const memory = pointAt(run, k).memory!;
      assert.equal(memory.basis, 'process-growth');
      assert.equal(memory.uniqueBytes, null);
      return memory.peakRssBytes.max;
    };
    // Two inputs on two threads: each holds one block through its sleep, both at once.
    within(growth(touched, 2), growth(idle, 2) + 200 * MB, 0.1, 'piscina growth at 2 workers');
    // One thread runs both inputs in turn: one block, or two where the first is not yet collected.
    const one = growth(touched, 1) - growth(idle, 1);
    assert.ok(one >= 90 * MB && one <= 220 * MB, `piscina growth at 1 worker: ${one / MB} MB over idle`);
  },
);

void test('a pool worker killed by SIGKILL with little memory held: worker-died, and memory is not blamed', async () => {
  const result = await runCli(fixtureArgs('oom.py:small_then_killed', '2', '--backends', 'process'), {
    timeoutMs: 120_000,
  });
  assert.equal(result.code, 1, result.stderr);
  const error = result.report!.errors.find((e) => e.code === 'worker-died');
  assert.ok(error, JSON.stringify(result.report!.errors));
  assert.match(
    error.message,
    /killed by SIGKILL \(signal 9, exit code -9\) while running small_then_killed\(1\)/,
  );
  assert.match(error.message, /os\._exit, a crash or a signal inside the function/);
  assert.doesNotMatch(error.message, /memory/);
  assert.deepEqual(result.leftovers, [], 'processes left behind');
});

void test('in a 555 MB cgroup, 100 MB per worker: fewer than 4 fit, the recommendation stays within, and memory-bound says so', async (t) => {
  const cgroup = memoryCgroup(555 * MB);
  if ('skip' in cgroup) {
    t.skip(cgroup.skip);
    return;
  }
  try {
    const result = await runCli(
      fixtureArgs('touch.py:touch_100mb', '1,2,4', '--backends', 'process', '--repeat', '3'),
      {
        timeoutMs: 120_000,
        cgroupProcs: cgroup.procs,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = result.report!;
    const run = runOf(report, 'process');
    // What the cgroup left when the profile started, as the runner read it: below the limit, far below the machine's.
    const available = report.environment.availableMemoryBytes!;
    assert.ok(available < 555 * MB && available > 300 * MB, `${available / MB} MB available`);
    const perWorker = Math.max(...run.points.map((p) => p.memory!.uniqueBytes!.max));
    const parent = Math.max(...run.points.map((p) => p.memory!.parentPeakRssBytes!));
    const fits = Math.floor((0.8 * available - parent) / perWorker);
    assert.ok(
      fits >= 1 && fits < 4,
      `${fits} workers fit: ${available / MB} MB available, ${perWorker / MB} MB each, parent ${parent / MB} MB`,
    );
    assert.equal(run.recommendation!.maxWorkersByMemory, fits);
    // The speed rule's own choice depends on the machine's load; whatever it is, it ends at most at what fits, and
    // where it was more, the reason says memory capped it (the unit tests hold the wording for every case).
    assert.ok(run.recommendation!.workers <= fits, run.recommendation!.reason);
    if (/By speed alone/.test(run.recommendation!.reason)) {
      assert.match(run.recommendation!.reason, new RegExp(`^${fits} workers?, capped by memory`));
    }
    const warning = report.warnings.find((w) => w.code === 'memory-bound' && w.scope === run.label);
    assert.ok(warning, JSON.stringify(report.warnings.map((w) => w.code)));
    assert.match(warning.message, new RegExp(`memory allows ${fits} workers?, but 4 workers were measured`));
    assert.deepEqual(result.leftovers, [], 'processes left behind');
  } finally {
    rmdirSync(cgroup.dir);
  }
});
