// The joblib, Dask distributed and IPython Parallel backends of the Python harness against real clusters on
// 127.0.0.1: a `dask scheduler` with two `dask worker` processes (address path), `ipcluster start -n 2` (connect
// path), local clusters the harness starts itself; exact sleep tasks; every failure; nothing left running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { OpenedMessage, PassMessage } from '../../protocol/harness';
import {
  assertNaps,
  clusterFixtures,
  debianPython,
  freePort,
  Harness,
  tempDirectory,
  TestCluster,
  waitForFile,
  withHarness,
} from './clusterHarness';

const targets = path.join(clusterFixtures, 'targets.py');
const NAP = 0.05;
// Sleep-based ground truth is exact; what is left is scheduling noise on a busy 2-core machine, where each
// engine's own threads and processes (heartbeats, schedulers, I/O loops) compete with the sleeping task.
const SLACK = 0.08;
// Per-task dispatch of an engine (scheduler round trips) on top of the naps: generous, the naps are the point.
const DISPATCH = 0.06;

function wall(pass: PassMessage): number {
  return pass.resultsIn - pass.mapStart;
}

/** 10 naps of 50 ms: S(2) = 2 up to dispatch cost. */
const NAPS = { count: 10, seconds: NAP, slack: SLACK, dispatch: DISPATCH };

function assertWorkers(opened: OpenedMessage, k: number): string[] {
  assert.equal(opened.workers.length, k);
  assert.ok(opened.constructEnd >= opened.constructStart);
  for (const w of opened.workers) {
    // A worker of an existing cluster that loaded the target for an earlier k has no start-up in this one.
    if (w.initStart === undefined) continue;
    assert.ok(w.initStart >= opened.constructStart && w.initEnd! >= w.initStart, JSON.stringify(w));
  }
  assert.equal(new Set(opened.workers.map((w) => w.worker)).size, k);
  return opened.workers.map((w) => w.worker);
}

async function loadNap(h: Harness, fn = 'nap', inputs: string | null = null): Promise<void> {
  await h.expect({ op: 'load', file: targets, function: fn, inputs, starmap: false });
}

/** Opens, runs two counted passes of the 10 naps, closes: the same profile on every engine. */
async function sweepNaps(h: Harness, backend: 'dask' | 'ipyparallel' | 'joblib', k: number, options = {}) {
  const id = `${backend}-${k}`;
  const opened = await h.expect({ op: 'open', config: { id, backend, workers: k, options } });
  const workers = assertWorkers(opened, k);
  const passes: PassMessage[] = [];
  for (const sample of [0, 1]) {
    const pass = await h.expect({ op: 'pass', id, sample });
    assertNaps(pass, workers, NAPS);
    passes.push(pass);
  }
  const closed = await h.expect({ op: 'close', id });
  assert.ok(closed.closeEnd >= closed.closeStart);
  return { opened, passes };
}

void describe('the cluster backends of the Python harness', () => {
  const dask = new TestCluster();
  const ipp = new TestCluster();
  let schedulerAddress = '';
  let connectionFile = '';
  /** Each engine with what connects it to this suite's clusters (known once they have started). */
  const everyEngine = () => [
    { backend: 'dask' as const, options: { daskScheduler: schedulerAddress } },
    { backend: 'ipyparallel' as const, options: { ipyparallelConnection: connectionFile } },
    { backend: 'joblib' as const, options: {} },
  ];
  const daskWorkerPids: number[] = [];

  before(async () => {
    const port = await freePort();
    schedulerAddress = `tcp://127.0.0.1:${port}`;
    const scheduler = dask.start([
      '-m',
      'distributed.cli.dask_scheduler',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--no-dashboard',
    ]);
    await dask.waitForLog(scheduler, /Scheduler at:/);
    for (let i = 0; i < 2; i++) {
      // No nanny: a killed worker stays dead, which is what the worker-died test needs to see.
      const worker = dask.start([
        '-m',
        'distributed.cli.dask_worker',
        schedulerAddress,
        '--nthreads',
        '1',
        '--no-nanny',
        '--no-dashboard',
        '--host',
        '127.0.0.1',
      ]);
      daskWorkerPids.push(worker.pid!);
      await dask.waitForLog(worker, /Registered to/);
    }
    const profile = tempDirectory('amdahl-ipp-');
    ipp.start(['-m', 'ipyparallel.cluster', 'start', '-n', '2', `--profile-dir=${profile}`]);
    connectionFile = path.join(profile, 'security', 'ipcontroller-client.json');
    await waitForFile(connectionFile);
    const ready = spawnSync(
      debianPython,
      [
        '-c',
        'import sys, ipyparallel as ipp; c = ipp.Client(sys.argv[1], timeout=60); ' +
          'c.wait_for_engines(2, timeout=120); c.close()',
        connectionFile,
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    assert.equal(
      ready.status,
      0,
      `ipcluster engines did not come up: ${ready.stderr}\n${ipp.logs.join('\n')}`,
    );
  });

  after(async () => {
    const left = [...(await dask.stop()), ...(await ipp.stop())];
    assert.deepEqual(left, [], 'cluster processes left running');
  });

  void test('hello offers the engines installed for this Python; Ray, not installed, says how to get it', async () => {
    await withHarness(async (h) => {
      const hello = await h.hello;
      for (const name of ['joblib', 'dask', 'ipyparallel']) assert.ok(hello.backends.includes(name), name);
      assert.ok(!hello.backends.includes('ray'));
      assert.match(hello.missingBackends!.ray!, /No module named 'ray'.*pip install ray.*python3 -m venv/);
    });
  });

  void test('a Python without the engines says which package to install for each', async () => {
    await withHarness(async (h) => {
      const hello = await h.hello;
      const missing = hello.missingBackends!;
      assert.match(
        missing.dask!,
        /distributed.*pip install distributed.*apt-get install python3-distributed/,
      );
      assert.match(missing.ipyparallel!, /pip install ipyparallel.*apt-get install python3-ipyparallel/);
      assert.match(missing.joblib!, /pip install joblib.*apt-get install python3-joblib/);
      assert.deepEqual(hello.backends, ['serial', 'process', 'thread', 'futures-process']);
    }, 'python3');
  });

  void test('dask through the scheduler address: k = 1 and 2 of its workers, exact naps', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const options = { daskScheduler: schedulerAddress };
      const one = await sweepNaps(h, 'dask', 1, options);
      const two = await sweepNaps(h, 'dask', 2, options);
      for (const w of [...one.opened.workers, ...two.opened.workers]) {
        assert.match(w.worker, /^tcp:\/\/127\.0\.0\.1:\d+$/);
        assert.equal(w.clockOffset, 0, 'a worker on this kernel shares its monotonic clock');
        assert.ok(daskWorkerPids.includes(w.pid!), `worker pid ${w.pid} is one the test started`);
      }
      const stats = two.passes[0]!.engineStats!;
      assert.equal(stats.tasks, 10);
      const compute = stats.computeSeconds as number;
      assert.ok(compute >= 10 * NAP && compute < 10 * (NAP + SLACK), `task stream compute ${compute} s`);
      const serialOverPair = wall(one.passes[1]!) / wall(two.passes[1]!);
      assert.ok(serialOverPair > 1.4, `two workers gave a speedup of ${serialOverPair}`);
      await h.expectError(
        { op: 'open', config: { id: 'dask-3', backend: 'dask', workers: 3, options } },
        'cluster-too-small',
        /has 2 worker\(s\); 3 cannot be measured/,
      );
    });
  });

  void test('dask LocalCluster(n_workers=2) started, timed apart from the passes, and closed', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const { opened } = await sweepNaps(h, 'dask', 2);
      assert.ok(opened.constructEnd - opened.constructStart > 0.1, 'cluster start-up is measured');
      for (const w of opened.workers)
        assert.ok(w.initStart !== undefined && w.initStart >= opened.constructEnd);
    });
  });

  void test('ipyparallel through a connection file of `ipcluster start -n 2`: k = 1 and 2 engines', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const options = { ipyparallelConnection: connectionFile };
      await sweepNaps(h, 'ipyparallel', 1, options);
      const two = await sweepNaps(h, 'ipyparallel', 2, options);
      assert.deepEqual(two.opened.workers.map((w) => w.worker).sort(), ['engine 0', 'engine 1']);
      const stats = two.passes[0]!.engineStats!;
      assert.equal(stats.tasks, 10);
      assert.ok((stats.meanSubmitToStartSeconds as number) >= 0);
    });
  });

  void test('ipyparallel with no cluster given starts ipp.Cluster(n=2), timed apart, and stops it', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const { opened } = await sweepNaps(h, 'ipyparallel', 2);
      assert.ok(opened.constructEnd - opened.constructStart > 0.1, 'cluster start-up is measured');
      for (const w of opened.workers)
        assert.ok(w.initStart !== undefined && w.initStart >= opened.constructEnd);
    });
  });

  void test('joblib (loky) on 2 workers, its auto-batching reported', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const { passes } = await sweepNaps(h, 'joblib', 2);
      for (const pass of passes) {
        assert.ok(
          Number.isInteger(pass.engineStats!.batchSize) && (pass.engineStats!.batchSize as number) >= 1,
        );
        assert.ok((pass.engineStats!.batches as number) >= 1);
      }
    });
  });

  void test('an unreachable scheduler is a clear error and the other backends still run', async () => {
    await withHarness(async (h) => {
      await loadNap(h);
      const port = await freePort();
      await h.expectError(
        {
          op: 'open',
          config: {
            id: 'gone',
            backend: 'dask',
            workers: 1,
            options: { daskScheduler: `tcp://127.0.0.1:${port}` },
          },
        },
        'cluster-unreachable',
        new RegExp(`The Dask scheduler at tcp://127\\.0\\.0\\.1:${port} cannot be reached`),
      );
      await sweepNaps(h, 'joblib', 1);
    });
  });

  void test('a result no engine can serialize is named, on each engine', async () => {
    await withHarness(async (h) => {
      await loadNap(h, 'returns_lock');
      for (const { backend, options } of everyEngine()) {
        const answer = await h.expectError(
          { op: 'open', config: { id: backend, backend, workers: 2, options } },
          'not-serializable',
          /The result of returns_lock\(0\) \(input 0\) is a _thread\.lock, which cannot be serialized/,
        );
        assert.equal(answer.input, 0);
      }
    });
  });

  void test('an input no engine can serialize is named, on each engine', async () => {
    await withHarness(async (h) => {
      await loadNap(h, 'identity', '[threading.Lock() for _ in range(3)]');
      for (const { backend, options } of everyEngine()) {
        const answer = await h.expectError(
          { op: 'open', config: { id: backend, backend, workers: 2, options } },
          'not-serializable',
          /Input 0 \(a _thread\.lock\) cannot be (pickled|serialized)/,
        );
        assert.equal(answer.input, 0);
      }
    });
  });

  void test('a joblib worker that exits mid-run is worker-died, and the pool is gone', async () => {
    await withHarness(async (h) => {
      await loadNap(h, 'exits_in_worker');
      await h.expectError(
        { op: 'open', config: { id: 'dies', backend: 'joblib', workers: 2 } },
        'worker-died',
        /A loky worker of the joblib pool dies ended abruptly/,
      );
    });
  });

  void test('a LocalCluster worker that exits mid-run is worker-died and the cluster is shut down', async () => {
    await withHarness(async (h) => {
      await loadNap(h, 'exits_in_worker');
      await h.expectError(
        { op: 'open', config: { id: 'dies', backend: 'dask', workers: 2 } },
        'worker-died',
        /Dask worker tcp:\/\/127\.0\.0\.1:\d+.* left the cluster during the pass/,
      );
    });
  });

  // Last: it kills one of the two dask workers the test started.
  void test('a dask worker killed mid-run is worker-died, named, and nothing is left waiting', async () => {
    await withHarness(async (h) => {
      await loadNap(h, 'long_nap', 'range(4)');
      const options = { daskScheduler: schedulerAddress };
      // open runs the warm-up pass: 4 naps of 2 s on 2 workers; one of them is killed a moment in.
      const answer = h.request({ op: 'open', config: { id: 'kill', backend: 'dask', workers: 2, options } });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const victim = daskWorkerPids[1]!;
      process.kill(victim, 'SIGKILL');
      const killedAt = Date.now();
      const error = await answer;
      assert.equal(error.type, 'error', JSON.stringify(error));
      if (error.type !== 'error') return;
      assert.equal(error.code, 'worker-died', JSON.stringify(error));
      assert.match(error.message, /Dask worker tcp:\/\/127\.0\.0\.1:\d+ left the cluster during the pass/);
      assert.ok(Date.now() - killedAt < 15_000, 'the death is noticed, not waited out');
      await h.expectError(
        { op: 'pass', id: 'kill', sample: 0 },
        'bad-command',
        /No open pool with id 'kill'/,
      );
    });
  });
});
