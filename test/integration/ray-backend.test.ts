// The ray backend of the Python harness against real Ray (test/.ray-venv, made by test/prerequisites.ts): a local
// runtime the harness starts with ray.init, and a cluster the test starts with `ray start --head --num-cpus 2`;
// exact sleep tasks on task slots and on actors, failures, an unreachable address, and nothing left running.
import { taskCount } from '../../protocol/taskTable';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { OpenedMessage, PassMessage } from '../../protocol/harness';
import { rayPython } from '../rayEnvironment';
import { processesWithMarker, repoRoot, runCli } from './cliRunner';
import { assertNaps, clusterFixtures, freePort, type Harness, withHarness } from './clusterHarness';

const targets = path.join(clusterFixtures, 'targets.py');
const NAP = 0.1;
const NAPS = 8;
// Sleep-based ground truth is exact; what is left is scheduling noise on a busy 2-core machine.
const SLACK = 0.08;
// Ray's own cost per task (a few ms) on top of the naps: generous, the naps are the point.
const DISPATCH = 0.06;
// Ray's start-up takes seconds, 15 s and more on a loaded 2-core machine.
const RAY_MS = 600_000;

function wall(pass: PassMessage): number {
  return pass.resultsIn - pass.mapStart;
}

/** 8 naps of 100 ms: S(k) = 8 / ceil(8 / k) up to Ray's dispatch. */
const NAPS_OF_A_TENTH = { count: NAPS, seconds: NAP, slack: SLACK, dispatch: DISPATCH };

function assertWorkers(opened: OpenedMessage, names: string[]): void {
  assert.deepEqual(
    opened.workers.map((w) => w.worker),
    names,
  );
  for (const w of opened.workers) {
    assert.equal(w.clockOffset, 0, 'a worker on this kernel shares its monotonic clock');
    if (w.initStart === undefined) continue;
    assert.ok(w.initStart >= opened.constructStart && w.initEnd! >= w.initStart, JSON.stringify(w));
  }
}

async function loadNaps(h: Harness, fn = 'tenth_nap', inputs = `range(${NAPS})`): Promise<void> {
  await h.expect({ op: 'load', file: targets, function: fn, inputs, starmap: false });
}

/** Opens, runs two counted passes of the naps, and returns what it saw (the pool stays open). */
async function sweep(h: Harness, k: number, options: Record<string, string> = {}) {
  const id = `ray-${options.rayMode ?? 'tasks'}-${k}`;
  const opened = await h.expect({ op: 'open', config: { id, backend: 'ray', workers: k, options } });
  const names = [...Array(k).keys()].map(
    (i) => `${options.rayMode === 'actors' ? 'actor' : 'slot'} ${i + 1}`,
  );
  assertWorkers(opened, names);
  const passes: PassMessage[] = [];
  for (const sample of [0, 1]) {
    const pass = await h.expect({ op: 'pass', id, sample });
    assertNaps(pass, names, NAPS_OF_A_TENTH);
    passes.push(pass);
  }
  return { id, opened, passes };
}

/** Live processes whose command line names a Ray part, and whose environment holds the marker. */
function rayProcesses(marker: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'latin1').replace(/\0/g, ' ');
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) continue;
      if (/raylet|gcs_server|ray::/.test(command)) found.push(`${entry} ${command}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The Ray processes of the marker still alive after a few seconds (a stopped runtime's take a moment to go). */
async function rayLeft(marker: string): Promise<string[]> {
  let left = rayProcesses(marker);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = rayProcesses(marker);
  }
  return left;
}

void describe('the ray backend of the Python harness', () => {
  let python = '';

  before(() => {
    python = rayPython();
  });

  void test('a local runtime: tasks on k slots give exact naps, started once, timed apart, stopped', async () => {
    await withHarness(async (h) => {
      const hello = await h.hello;
      assert.ok(hello.backends.includes('ray'), JSON.stringify(hello.missingBackends));
      await loadNaps(h);
      const two = await sweep(h, 2);
      const one = await sweep(h, 1);
      const stats = two.passes[0]!.engineStats!;
      assert.equal(stats.mode, 'tasks');
      assert.equal(stats.cluster, 'local');
      assert.equal(stats.tasks, NAPS, 'chunks of ceil(8 / (4 x 2)) = 1 input');
      assert.equal(one.passes[0]!.chunksize, 2);
      // The runtime is started by the first pool, inside its construct, and shared by the second.
      const start = stats.runtimeStartSeconds as number;
      assert.ok(start > 0.1, `runtime start-up ${start} s`);
      assert.ok(two.opened.constructEnd - two.opened.constructStart >= start);
      assert.ok(one.opened.constructEnd - one.opened.constructStart < start);
      const overhead = stats.perTaskOverheadSeconds as number;
      assert.ok(overhead > 0 && overhead < 0.5, `Ray's per-task cost ${overhead} s`);
      for (const key of ['argumentPutSeconds', 'argumentGetSeconds', 'resultPutSeconds', 'resultGetSeconds'])
        assert.ok((stats[key] as number) > 0, key);
      const speedup = wall(one.passes[1]!) / wall(two.passes[1]!);
      assert.ok(Math.abs(speedup / 2 - 1) <= 0.08, `S(2) = ${speedup}, not 8 / ceil(8 / 2) = 2 within 8%`);
      for (const id of [two.id, one.id]) await h.expect({ op: 'close', id });
      assert.deepEqual(await rayLeft(h.marker), [], 'the last close stops the runtime');
    }, python);
  });

  void test('actors: k actors built once, their start-up before the passes, exact naps', async () => {
    await withHarness(async (h) => {
      await loadNaps(h);
      const { id, opened, passes } = await sweep(h, 2, { rayMode: 'actors' });
      for (const w of opened.workers) {
        assert.ok(w.initEnd !== undefined && w.initEnd < passes[0]!.mapStart, 'built before the passes');
        assert.ok(w.pid !== undefined);
      }
      assert.notEqual(opened.workers[0]!.pid, opened.workers[1]!.pid);
      const stats = passes[0]!.engineStats!;
      assert.equal(stats.mode, 'actors');
      assert.ok((stats.perTaskOverheadSeconds as number) > 0);
      // Each actor ran its share of the naps in the same process every pass: built once.
      const closed = await h.expect({ op: 'close', id });
      assert.deepEqual(Object.keys(closed.peakRssBytes ?? {}).sort(), ['actor 1', 'actor 2']);
    }, python);
  });

  void test('a task that raises names the input, on tasks and on actors', async () => {
    await withHarness(async (h) => {
      await loadNaps(h, 'raises_on_three');
      for (const rayMode of ['tasks', 'actors']) {
        const answer = await h.expectError(
          { op: 'open', config: { id: rayMode, backend: 'ray', workers: 2, options: { rayMode } } },
          'task-raised',
          /raises_on_three\(3\) raised ValueError: three is not allowed \(input 3, on .*, ray backend\)/,
        );
        assert.equal(answer.input, 3);
      }
    }, python);
  });

  void test('a Ray worker killed mid-run is worker-died, named, and nothing is left running', async () => {
    await withHarness(async (h) => {
      await loadNaps(h, 'long_nap', 'range(4)');
      // open runs the warm-up pass: 4 naps of 2 s on 2 slots; the process running one of them is killed.
      const answer = h.request({ op: 'open', config: { id: 'kill', backend: 'ray', workers: 2 } });
      let victim: number | undefined;
      for (let i = 0; i < 1200 && victim === undefined; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const running = rayProcesses(h.marker).find((line) => / ray::run_chunk/.test(line));
        victim = running === undefined ? undefined : Number(running.split(' ')[0]);
      }
      assert.ok(victim !== undefined, 'a worker ran a chunk');
      process.kill(victim, 'SIGKILL');
      const error = await answer;
      assert.equal(error.type, 'error', JSON.stringify(error));
      if (error.type !== 'error') return;
      assert.equal(error.code, 'worker-died', JSON.stringify(error));
      assert.match(
        error.message,
        /A Ray worker process of the ray pool kill died while it ran input\(s\) [0-3] /,
      );
      await h.expectError(
        { op: 'pass', id: 'kill', sample: 0 },
        'bad-command',
        /No open pool with id 'kill'/,
      );
      assert.deepEqual(await rayLeft(h.marker), [], 'the runtime is stopped with its only pool');
    }, python);
  });

  void test('the CLI: S(2) = 8 / ceil(8 / 2) within 8%, and no Ray process outlives it', async () => {
    const result = await runCli(
      [
        `${targets}:tenth_nap`,
        '--inputs',
        `range(${NAPS})`,
        '--backends',
        'ray',
        '--workers',
        '1,2',
        '--repeat',
        '3',
        '--python',
        python,
      ],
      { timeoutMs: RAY_MS },
    );
    assert.equal(result.code, 0, result.stderr);
    const run = result.report!.runs.find((r) => r.backend === 'ray')!;
    const two = run.points.find((p) => p.workers === 2)!;
    assert.ok(Math.abs(two.speedup.mean / 2 - 1) <= 0.08, `S(2) = ${two.speedup.mean}`);
    // The runtime starts inside the first ray pool opened (either k), and every pool reports how long it took.
    const startups = run.points.map((p) => p.overheadSeconds.startup);
    assert.ok(Math.max(...startups) > 0.1, `the runtime start-up is reported apart: ${startups.join(', ')}`);
    const stats = run.engineStats!['workers=2'] as Record<string, number>;
    assert.ok(stats.runtimeStartSeconds! > 0.1 && stats.runtimeStartSeconds! <= Math.max(...startups));
    assert.deepEqual(result.leftovers, []);
  });

  void test("the seed's own Ray example, profiled as remote functions and as actors", async () => {
    const seed = path.join(repoRoot, 'samples', 'seed', 'complex_operation.py');
    for (const mode of ['tasks', 'actors']) {
      const result = await runCli(
        [
          `${seed}:complex_operation`,
          '--inputs',
          'range(4)',
          '--backends',
          'ray',
          '--ray-mode',
          mode,
          '--workers',
          '2',
          '--repeat',
          '2',
          '--python',
          python,
        ],
        { timeoutMs: RAY_MS },
      );
      assert.equal(result.code, 0, result.stderr);
      const report = result.report!;
      assert.ok(
        !report.warnings.some((w) => w.code === 'results-differ'),
        'the same results as the serial loop',
      );
      const run = report.runs.find((r) => r.backend === 'ray')!;
      assert.equal((run.engineStats!['workers=2'] as Record<string, unknown>).mode, mode);
      const point = run.points.find((p) => p.workers === 2)!;
      assert.equal(taskCount(point.tasks), 4);
      assert.ok(point.overheadSeconds.startup > 0, 'start-up is reported apart from the passes');
      const names = point.workerInfo!.map((w) => w.worker);
      assert.deepEqual(names, mode === 'actors' ? ['actor 1', 'actor 2'] : ['slot 1', 'slot 2']);
      if (mode === 'actors')
        for (const w of point.workerInfo!) assert.ok(w.readySeconds! > 0, JSON.stringify(w));
      assert.deepEqual(result.leftovers, []);
    }
  });

  void test('tasks too small for Ray: ray-task-overhead quotes the per-task cost Ray measured here', async () => {
    const result = await runCli(
      [
        `${targets}:tiny`,
        '--inputs',
        'range(40)',
        '--backends',
        'ray',
        '--workers',
        '2',
        '--repeat',
        '2',
      ].concat(['--python', python]),
      { timeoutMs: RAY_MS },
    );
    assert.equal(result.code, 0, result.stderr);
    const report = result.report!;
    const measured = (
      report.runs.find((r) => r.backend === 'ray')!.engineStats!['workers=2'] as Record<string, number>
    ).perTaskOverheadSeconds!;
    const warning = report.warnings.find((w) => w.code === 'ray-task-overhead');
    assert.ok(warning, JSON.stringify(report.warnings));
    const quoted = /Ray's own cost per task here is ([\d.]+) (ms|µs)/.exec(warning.message)!;
    const seconds = Number(quoted[1]) * (quoted[2] === 'ms' ? 1e-3 : 1e-6);
    assert.ok(Math.abs(seconds / measured - 1) < 0.01, `${warning.message} against ${measured} s`);
    assert.ok(
      !report.warnings.some((w) => w.code === 'ray-serialized'),
      'tiny tasks are not a serialized map',
    );
    assert.deepEqual(result.leftovers, []);
  });

  void test('an unreachable --ray-address is a clear error, exit 1, and the other backends still run', async () => {
    const port = await freePort();
    const result = await runCli(
      [
        `${targets}:nap`,
        '--backends',
        'ray,thread',
        '--ray-address',
        `127.0.0.1:${port}`,
        '--workers',
        '1,2',
        '--repeat',
        '2',
        '--python',
        python,
      ],
      { timeoutMs: RAY_MS },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`The Ray cluster at 127\\.0\\.0\\.1:${port} cannot be reached within \\d+ s`),
    );
    const errors = result.report!.errors.filter((e) => e.code === 'cluster-unreachable');
    assert.ok(errors.length > 0, JSON.stringify(result.report!.errors));
    const thread = result.report!.runs.find((r) => r.backend === 'thread')!;
    assert.deepEqual(
      thread.points.map((p) => p.workers),
      [1, 2],
    );
    assert.deepEqual(result.leftovers, []);
  });
});

void describe('the ray backend on a cluster started with `ray start --head --num-cpus 2`', () => {
  let python = '';
  let address = '';
  const marker = `amdahl-ray-cluster-${process.pid}`;
  const ray = (args: string[]) =>
    spawnSync(python, ['-m', 'ray.scripts.scripts', ...args], {
      encoding: 'utf8',
      timeout: RAY_MS,
      env: { ...process.env, AMDAHL_TEST_MARKER: marker, RAY_USAGE_STATS_ENABLED: '0' },
    });

  before(async () => {
    python = rayPython();
    const port = await freePort();
    address = `127.0.0.1:${port}`;
    const started = ray([
      'start',
      '--head',
      '--num-cpus',
      '2',
      '--port',
      String(port),
      '--include-dashboard=false',
      '--disable-usage-stats',
    ]);
    assert.equal(started.status, 0, `${started.stdout}\n${started.stderr}`);
  });

  after(async () => {
    const stopped = ray(['stop', '--force']);
    assert.equal(stopped.status, 0, `${stopped.stdout}\n${stopped.stderr}`);
    assert.deepEqual(await processesWithMarker(marker), [], 'ray stop left processes running');
  });

  void test('--ray-address and auto: k = 1 and 2 of its CPUs, exact naps, and the cluster is left running', async () => {
    for (const rayAddress of [address, 'auto']) {
      await withHarness(async (h) => {
        await loadNaps(h);
        const options = { rayAddress };
        const two = await sweep(h, 2, options);
        const one = await sweep(h, 1, options);
        assert.equal(two.passes[0]!.engineStats!.cluster, rayAddress);
        assert.equal(two.passes[0]!.engineStats!.clusterCpus, 2);
        await h.expectError(
          { op: 'open', config: { id: 'other', backend: 'ray', workers: 1, options: { rayAddress: 'x:1' } } },
          'bad-command',
          /one process can use one Ray runtime/,
        );
        for (const id of [two.id, one.id]) await h.expect({ op: 'close', id });
      }, python);
      const left = rayProcesses(marker);
      assert.ok(
        left.some((line) => /gcs_server/.test(line)) && left.some((line) => /raylet/.test(line)),
        'the cluster still runs',
      );
    }
  });

  void test('actors on the cluster: exact naps', async () => {
    await withHarness(async (h) => {
      await loadNaps(h);
      const { id } = await sweep(h, 2, { rayAddress: address, rayMode: 'actors' });
      await h.expect({ op: 'close', id });
    }, python);
  });
});
