// The Python harness spoken to directly over its protocol (stdin commands, fd 3 answers), with real interpreters
// and real pools: sleep tasks with exact timings, every start method, every error, and no process left behind.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { BackendName } from '../../protocol/backends';
import type { OpenedMessage, PassMessage } from '../../protocol/harness';
import { processesWithMarker, repoRoot } from './cliRunner';
import { PythonHarness, runHarness } from './pythonHarnessClient';
import { tasksOf } from './harnessClient';
import { passColumns } from '../../runner/analysis/passTasks';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'python');
const targets = path.join(fixtures, 'targets.py');
const NAP = 0.05;
// Sleep-based ground truth is exact; what is left is scheduling noise on a busy 2-core machine.
const SLACK = 0.04;

/** Runs body with a fresh harness of that interpreter, then checks it exits cleanly and leaves nothing behind. */
function withHarness(python: string, body: (h: PythonHarness) => Promise<void>): Promise<PythonHarness> {
  return runHarness(new PythonHarness(python, { cwd: fixtures }), body);
}

function wall(pass: PassMessage): number {
  return pass.resultsIn - pass.mapStart;
}

function assertNaps(pass: PassMessage, workers: string[], perWorker: number | null): void {
  const tasks = tasksOf(pass);
  assert.equal(tasks.length, 10);
  assert.deepEqual(
    tasks.map((t) => t.input).sort((a, b) => a - b),
    [...Array(10).keys()],
  );
  for (const task of tasks) {
    const seconds = task.end - task.start;
    assert.ok(seconds >= NAP && seconds < NAP + SLACK, `task ${task.input} took ${seconds} s`);
    assert.ok(task.start >= pass.mapStart && task.end <= pass.resultsIn, 'tasks lie inside [P2, P4]');
    assert.ok(task.cpu !== undefined && task.cpu < 0.02, `a sleeping task used ${task.cpu} s of CPU`);
  }
  const byWorker = new Map<string, number[][]>();
  for (const task of tasks) {
    byWorker.set(task.worker, [...(byWorker.get(task.worker) ?? []), [task.start, task.end]]);
  }
  assert.deepEqual([...byWorker.keys()].sort(), [...workers].sort());
  for (const [worker, spans] of byWorker) {
    if (perWorker !== null) assert.equal(spans.length, perWorker, `${worker} ran ${spans.length} tasks`);
    spans.sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < spans.length; i++)
      assert.ok(spans[i]![0]! >= spans[i - 1]![1]!, 'a worker runs one task at a time');
  }
}

function processWorkers(opened: OpenedMessage, k: number): string[] {
  assert.equal(opened.workers.length, k);
  for (const w of opened.workers) {
    assert.equal(w.worker, `pid ${w.pid}`);
    assert.ok(w.initStart! >= opened.constructStart && w.initEnd! >= w.initStart!, JSON.stringify(w));
  }
  assert.equal(new Set(opened.workers.map((w) => w.pid)).size, k);
  return opened.workers.map((w) => w.worker);
}

const interpreters: { python: string; core: boolean }[] = [{ python: 'python3', core: false }];
if (existsSync('/usr/bin/pypy3')) interpreters.push({ python: '/usr/bin/pypy3', core: true });

for (const { python, core } of interpreters) {
  void describe(`the Python harness on ${python}`, () => {
    void test('hello describes the runtime, the cores and the backends', async () => {
      await withHarness(python, async (h) => {
        const hello = await h.hello;
        assert.match(
          hello.runtime,
          python.includes('pypy') ? /^PyPy \d+\.\d+\.\d+ \(Python 3\.\d+\.\d+\)$/ : /^CPython 3\.\d+\.\d+$/,
        );
        assert.equal(hello.logicalCores, os.cpus().length);
        assert.ok(hello.usableCores >= 1 && hello.usableCores <= hello.logicalCores);
        assert.ok(hello.physicalCores === null || hello.physicalCores <= hello.logicalCores);
        assert.equal(hello.gil, true);
        assert.equal(hello.pid, h.pid);
        assert.deepEqual([...hello.startMethods!].sort(), ['fork', 'forkserver', 'spawn']);
        assert.ok(hello.startMethods!.includes(hello.defaultStartMethod!));
        // The core four always; the cluster engines are offered where their packages import (PyPy may see
        // Debian's joblib), and listed as missing otherwise.
        assert.deepEqual(hello.backends.slice(0, 4), ['serial', 'process', 'thread', 'futures-process']);
        const cluster = ['dask', 'ipyparallel', 'joblib', 'ray'];
        assert.deepEqual(
          [...hello.backends.slice(4), ...Object.keys(hello.missingBackends!)].sort(),
          cluster,
        );
      });
    });

    void test('10 tasks of 50 ms: serial takes 0.5 s, 5 threads take 0.1 s, results hash alike', async () => {
      await withHarness(python, async (h) => {
        const loaded = await h.expect({
          op: 'load',
          file: targets,
          function: 'nap',
          inputs: null,
          starmap: false,
        });
        assert.equal(loaded.inputCount, 10);
        const serial = await h.expect({
          op: 'open',
          config: { id: 'serial', backend: 'serial', workers: 1 },
        });
        assert.equal(serial.constructStart, serial.constructEnd);
        assert.deepEqual(
          serial.workers.map((w) => w.worker),
          ['main'],
        );
        assert.equal(serial.warmup.sample, -1);
        assertNaps(serial.warmup, ['main'], 10);
        assert.ok(
          Math.abs(wall(serial.warmup) - 10 * NAP) < SLACK * 2,
          `serial pass ${wall(serial.warmup)} s`,
        );
        assert.deepEqual(
          h.taskStarts.filter((t) => t.id === 'serial').map((t) => t.input),
          [...Array(10).keys()],
          'the warm-up in the harness process announces each task',
        );
        const calibrated = await h.expect({ op: 'calibrate' });
        assert.equal(calibrated.calibration.sampled, 10);
        assert.ok(calibrated.calibration.argumentBytes > 0 && calibrated.calibration.resultBytes > 0);

        const threads = await h.expect({ op: 'open', config: { id: 't5', backend: 'thread', workers: 5 } });
        const names = ['thread 1', 'thread 2', 'thread 3', 'thread 4', 'thread 5'];
        assert.deepEqual(threads.workers.map((w) => w.worker).sort(), names);
        const announced = h.taskStarts.length;
        for (const sample of [0, 1]) {
          const pass = await h.expect({ op: 'pass', id: 't5', sample });
          assert.equal(pass.sample, sample);
          assertNaps(pass, names, 2);
          assert.ok(wall(pass) >= 2 * NAP && wall(pass) < 2 * NAP + SLACK, `5 threads took ${wall(pass)} s`);
          assert.equal(pass.resultHash, serial.warmup.resultHash);
          // P3 of every input came with its task; map hands results back in input order, so P3 rises with it.
          const columns = passColumns(pass);
          const received = Array.from(columns.input, (input, i) => [input, columns.result![i]!]).sort(
            (a, b) => a[0]! - b[0]!,
          );
          assert.deepEqual(
            received.map(([input]) => input),
            [...Array(10).keys()],
          );
          for (let i = 1; i < received.length; i += 1) assert.ok(received[i]![1]! >= received[i - 1]![1]!);
        }
        assert.equal(h.taskStarts.length, announced, 'counted passes send no task-start');
        const closed = await h.expect({ op: 'close', id: 't5' });
        assert.ok(closed.closeEnd >= closed.closeStart);
      });
    });

    for (const startMethod of core ? ['spawn'] : ['fork', 'spawn', 'forkserver']) {
      void test(`process pool (${startMethod}) on a module without a __main__ guard`, async () => {
        const h = await withHarness(python, async (h) => {
          await h.expect({
            op: 'load',
            file: path.join(fixtures, 'unguarded.py'),
            function: 'work',
            inputs: null,
            starmap: false,
          });
          const serial = await h.expect({
            op: 'open',
            config: { id: 'serial', backend: 'serial', workers: 1 },
          });
          const opened = await h.expect({
            op: 'open',
            config: { id: 'p2', backend: 'process', workers: 2, startMethod },
          });
          assert.equal(opened.startMethod, startMethod);
          const workers = processWorkers(opened, 2);
          const pass = await h.expect({ op: 'pass', id: 'p2', sample: 0 });
          // Pool.map's default: ceil(10 / (4 * 2)) = 2 items per chunk, 5 chunks pulled by 2 workers.
          assert.equal(pass.chunksize, 2);
          assert.equal(pass.resultHash, serial.warmup.resultHash);
          assert.ok(tasksOf(pass).every((t) => workers.includes(t.worker)));
          const closed = await h.expect({ op: 'close', id: 'p2' });
          assert.deepEqual(Object.keys(closed.peakRssBytes!).sort(), [...workers].sort());
          assert.ok(Object.values(closed.peakRssBytes!).every((bytes) => bytes > 1_000_000));
          // Left open: exit must still let its workers end normally, so that their buffered output is flushed.
          await h.expect({
            op: 'open',
            config: { id: 'left-open', backend: 'process', workers: 2, startMethod },
          });
        });
        const imports = (h.stdout.match(/imported in/g) ?? []).length;
        assert.equal(
          imports,
          startMethod === 'fork' ? 1 : 5,
          'the harness once, then each non-forked worker once',
        );
      });
    }

    void test('futures-process pool is pre-warmed: every worker exists before counting', async () => {
      await withHarness(python, async (h) => {
        await h.expect({ op: 'load', file: targets, function: 'nap', inputs: null, starmap: false });
        const opened = await h.expect({
          op: 'open',
          config: { id: 'f5', backend: 'futures-process', workers: 5, startMethod: 'spawn' },
        });
        const workers = processWorkers(opened, 5);
        const pass = await h.expect({ op: 'pass', id: 'f5', sample: 0 });
        assert.equal(pass.chunksize, 1);
        // The executor's call queue lets an early worker take a third task: the count per worker may vary.
        // Every task ran on a worker that existed when the open answered: none was started during the pass.
        assertNaps(pass, workers, null);
      });
    });

    void test('a task that raises names the call and input, keeps the worker traceback, and the harness goes on', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'raises_on_three',
          inputs: null,
          starmap: false,
        });
        for (const [id, backend] of [
          ['serial', 'serial'],
          ['t2', 'thread'],
          ['p2', 'process'],
        ] as const) {
          const error = await h.expectError(
            { op: 'open', config: { id, backend, workers: backend === 'serial' ? 1 : 2 } },
            'task-raised',
            /raises_on_three\(3\) raised ValueError: three is not allowed/,
          );
          assert.equal(error.input, 3);
          assert.equal(error.id, id);
          assert.equal(error.recoverable, true);
          assert.match(error.detail!, /Traceback[\s\S]*targets\.py", line \d+, in raises_on_three/);
          assert.doesNotMatch(
            error.detail!,
            /amdahl_harness/,
            'the traceback is the user code, not the wrapper',
          );
        }
        await h.expectError(
          { op: 'open', config: { id: 'after', backend: 'thread', workers: 1 } },
          'task-raised',
          /raises_on_three\(3\)/,
        );
      });
    });

    if (core) return;

    void test('a worker that calls os._exit: worker-died with the exit code and the input, pool terminated, harness usable', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'exits_in_worker',
          inputs: null,
          starmap: false,
        });
        for (const backend of ['process', 'futures-process']) {
          const error = await h.expectError(
            {
              op: 'open',
              config: { id: backend, backend: backend as never, workers: 2, startMethod: 'fork' },
            },
            'worker-died',
            /exited with code 7 while running exits_in_worker\(2\) \(input 2\)/,
          );
          assert.equal(error.input, 2);
          assert.equal(error.recoverable, true);
        }
        await h.expectError({ op: 'pass', id: 'process', sample: 0 }, 'bad-command', /No open pool/);
        await h.expect({ op: 'calibrate' });
      });
    });

    void test('a worker that segfaults is reported as killed by SIGSEGV with its input', async () => {
      await withHarness(python, async (h) => {
        await h.expect({ op: 'load', file: targets, function: 'segfaults', inputs: null, starmap: false });
        const error = await h.expectError(
          { op: 'open', config: { id: 'p', backend: 'process', workers: 2, startMethod: 'spawn' } },
          'worker-died',
          /killed by SIGSEGV \(signal 11, exit code -11\) while running segfaults\(1\)/,
        );
        assert.equal(error.input, 1);
        assert.match(h.stderr, /Fatal Python error: Segmentation fault/, 'faulthandler reaches the worker');
      });
    });

    void test('a module that fails only when a spawned worker imports it: import-failed from the worker', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: path.join(fixtures, 'fails_in_workers.py'),
          function: 'fn',
          inputs: null,
          starmap: false,
        });
        for (const backend of ['process', 'futures-process'] as const) {
          const error = await h.expectError(
            { op: 'open', config: { id: backend, backend, workers: 2, startMethod: 'spawn' } },
            'import-failed',
            /^In a pool worker: Importing fails_in_workers\.py raised RuntimeError: this module refuses/,
          );
          assert.match(error.detail!, /fails_in_workers\.py", line 5/);
        }
        await h.expect({
          op: 'open',
          config: { id: 'fork', backend: 'process', workers: 2, startMethod: 'fork' },
        });
      });
    });

    void test('an exception that cannot even be printed is still reported', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'raises_unprintable',
          inputs: null,
          starmap: false,
        });
        for (const backend of ['serial', 'process'] as const)
          assert.equal(
            (
              await h.expectError(
                { op: 'open', config: { id: backend, backend, workers: 1 } },
                'task-raised',
                /raises_unprintable\(0\) raised Unprintable: <unprintable>/,
              )
            ).input,
            0,
          );
      });
    });

    void test('sys.exit in a task is a task error, not the end of a worker or of the harness', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'exits_with_sys_exit',
          inputs: null,
          starmap: false,
        });
        for (const backend of ['serial', 'thread', 'process'] as const)
          await h.expectError(
            { op: 'open', config: { id: backend, backend, workers: 1 } },
            'task-raised',
            /exits_with_sys_exit\(4\) raised SystemExit: 3/,
          );
      });
    });

    void test('an unpicklable result: not-serializable from calibrate and from the pool, threads still fine', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'returns_lock',
          inputs: 'range(4)',
          starmap: false,
        });
        await h.expect({ op: 'open', config: { id: 'serial', backend: 'serial', workers: 1 } });
        const pattern = /result of returns_lock\(0\) \(input 0\) is a _thread\.lock, which cannot be pickled/;
        assert.equal((await h.expectError({ op: 'calibrate' }, 'not-serializable', pattern)).input, 0);
        // Every result fails here: a Pool reports whichever failed chunk came back first.
        const anyInput =
          /result of returns_lock\(\d\) \(input \d\) is a _thread\.lock, which cannot be pickled/;
        for (const backend of ['process', 'futures-process'] as const)
          await h.expectError(
            { op: 'open', config: { id: backend, backend, workers: 2 } },
            'not-serializable',
            anyInput,
          );
        await h.expect({ op: 'open', config: { id: 't', backend: 'thread', workers: 2 } });
        await h.expect({ op: 'pass', id: 't', sample: 0 });
      });
    });

    void test('one unpicklable result among many: the pools name its input', async () => {
      await withHarness(python, async (h) => {
        await h.expect({ op: 'load', file: targets, function: 'lock_on_five', inputs: null, starmap: false });
        for (const backend of ['process', 'futures-process'] as const) {
          const error = await h.expectError(
            { op: 'open', config: { id: backend, backend, workers: 2 } },
            'not-serializable',
            /result of lock_on_five\(5\) \(input 5\) is a _thread\.lock/,
          );
          assert.equal(error.input, 5);
        }
      });
    });

    void test('an unpicklable argument names its input', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'takes_anything',
          inputs: '[1, 2, threading.Lock()]',
          starmap: false,
        });
        const pattern = /Input 2 \(a _thread\.lock\) cannot be pickled/;
        await h.expectError({ op: 'calibrate' }, 'not-serializable', pattern);
        for (const backend of ['process', 'futures-process'] as const)
          assert.equal(
            (
              await h.expectError(
                { op: 'open', config: { id: backend, backend, workers: 2 } },
                'not-serializable',
                pattern,
              )
            ).input,
            2,
          );
      });
    });

    void test('load errors: syntax, import, missing, method, nested, lambda, non-function, async, generator, inputs', async () => {
      await withHarness(python, async (h) => {
        const cases: [string, string, string | null, string, RegExp][] = [
          [
            'syntax_error.py',
            'broken',
            null,
            'import-failed',
            /SyntaxError at .*syntax_error\.py:1 \(line 1\)/,
          ],
          [
            'import_error.py',
            'fn',
            null,
            'import-failed',
            /ModuleNotFoundError: No module named 'module_that_does_not_exist_anywhere'/,
          ],
          [
            'raises_at_import.py',
            'fn',
            null,
            'import-failed',
            /raised RuntimeError: configuration missing at import/,
          ],
          [
            'spawns_at_import.py',
            'square',
            null,
            'import-failed',
            /starts a process while being imported.*if __name__ == "__main__":/,
          ],
          ['missing.py', 'fn', null, 'import-failed', /no such file/],
          [
            'targets.py',
            'no_such_function',
            null,
            'function-not-found',
            /no_such_function.*add, .*raises_on_three/,
          ],
          [
            'targets.py',
            'Holder.method',
            null,
            'function-not-found',
            /Holder\.method is an attribute of Holder.*pickles a function by reference/,
          ],
          ['targets.py', 'nested', null, 'function-not-found', /nested function outer\.<locals>\.inner/],
          ['targets.py', 'lambda_function', null, 'function-not-found', /lambda/],
          ['targets.py', 'not_a_function', null, 'function-not-found', /int object, not a function/],
          ['targets.py', 'Holder', null, 'function-not-found', /a class, not a function/],
          ['targets.py', 'a_coroutine', null, 'unsupported-function', /coroutine function.*asyncio\.run/],
          [
            'targets.py',
            'a_generator',
            null,
            'unsupported-function',
            /generator function.*list\(a_generator\(x\)\)/,
          ],
          ['targets.py', 'an_async_generator', null, 'unsupported-function', /async generator function/],
          ['targets.py', 'add', '1/0', 'inputs-failed', /ZeroDivisionError/],
          ['targets.py', 'add', '[]', 'inputs-failed', /the input list is empty/],
          ['targets.py', 'add', 'range(', 'inputs-failed', /SyntaxError/],
        ];
        for (const [file, fn, inputs, code, pattern] of cases) {
          const error = await h.expectError(
            { op: 'load', file: path.join(fixtures, file), function: fn, inputs, starmap: false },
            code,
            pattern,
          );
          assert.equal(error.recoverable, true);
        }
        const syntax = await h.expectError(
          {
            op: 'load',
            file: path.join(fixtures, 'import_error.py'),
            function: 'fn',
            inputs: null,
            starmap: false,
          },
          'import-failed',
          /module_that_does_not_exist_anywhere/,
        );
        assert.match(syntax.detail!, /Traceback[\s\S]*import_error\.py", line 1/);
        // After every failure the harness still loads a good target and runs it.
        await h.expect({
          op: 'load',
          file: targets,
          function: 'add',
          inputs: '[(1, 2), (3, 4)]',
          starmap: true,
        });
        const opened = await h.expect({
          op: 'open',
          config: { id: 'serial', backend: 'serial', workers: 1 },
        });
        assert.equal(tasksOf(opened.warmup).length, 2);
      });
    });

    void test('tuples are one argument unless starmap; the result hash ignores the hash seed', async () => {
      const hashes: string[] = [];
      for (const starmap of [false, true]) {
        await withHarness(python, async (h) => {
          await h.expect({
            op: 'load',
            file: targets,
            function: 'count_arguments',
            inputs: '[(1, 2, 3), (4, 5)]',
            starmap,
          });
          const serial = await h.expect({ op: 'open', config: { id: 's', backend: 'serial', workers: 1 } });
          const fromPool = await h.expect({
            op: 'open',
            config: { id: 'p', backend: 'process', workers: 2, startMethod: 'spawn' },
          });
          assert.equal(serial.warmup.resultHash, fromPool.warmup.resultHash);
          hashes.push(serial.warmup.resultHash);
        });
      }
      assert.notEqual(hashes[0], hashes[1], 'fn((1, 2, 3)) returns 1, fn(1, 2, 3) returns 3');
      const seeded: string[] = [];
      for (const seed of ['1', '2']) {
        process.env.PYTHONHASHSEED = seed;
        try {
          await withHarness(python, async (h) => {
            await h.expect({ op: 'load', file: targets, function: 'shapes', inputs: null, starmap: false });
            const serial = await h.expect({ op: 'open', config: { id: 's', backend: 'serial', workers: 1 } });
            const spawned = await h.expect({
              op: 'open',
              config: { id: 'p', backend: 'process', workers: 2, startMethod: 'spawn' },
            });
            assert.equal(serial.warmup.resultHash, spawned.warmup.resultHash);
            seeded.push(serial.warmup.resultHash);
          });
        } finally {
          delete process.env.PYTHONHASHSEED;
        }
      }
      assert.equal(seeded[0], seeded[1]);
    });

    void test('the answer and command pipes are out of reach: moved off fd 3 and 0, closed in forked workers', async () => {
      await withHarness(python, async (h) => {
        await h.expect({ op: 'load', file: targets, function: 'nap', inputs: 'range(4)', starmap: false });
        const links = (pid: number): Map<string, string> => {
          const found = new Map<string, string>();
          for (const fd of readdirSync(`/proc/${pid}/fd`)) {
            try {
              found.set(fd, readlinkSync(`/proc/${pid}/fd/${fd}`));
            } catch {
              // Closed while we looked.
            }
          }
          return found;
        };
        const harnessFds = links(h.pid!);
        const channels = [...harnessFds].filter(
          ([fd, link]) => Number(fd) >= 900 && /^(pipe|socket):/.test(link),
        );
        assert.equal(channels.length, 2, `the high fds: ${JSON.stringify([...harnessFds])}`);
        assert.equal(harnessFds.get('3'), undefined, 'fd 3 is closed once moved');
        assert.equal(harnessFds.get('0'), '/dev/null', 'user code reads an empty stdin');
        for (const startMethod of ['fork', 'spawn']) {
          const opened = await h.expect({
            op: 'open',
            config: { id: startMethod, backend: 'process', workers: 2, startMethod },
          });
          for (const worker of opened.workers) {
            const held = [...links(worker.pid!).values()];
            for (const [, link] of channels)
              assert.ok(!held.includes(link), `${worker.worker} (${startMethod}) holds ${link}`);
          }
        }
      });
    });

    void test('user code reading stdin sees end-of-file, never the runner commands', async () => {
      await withHarness(python, async (h) => {
        await h.expect({
          op: 'load',
          file: targets,
          function: 'reads_stdin',
          inputs: 'range(2)',
          starmap: false,
        });
        const serial = await h.expect({ op: 'open', config: { id: 's', backend: 'serial', workers: 1 } });
        assert.equal(tasksOf(serial.warmup).length, 2);
        await h.expect({ op: 'pass', id: 's', sample: 0 });
      });
    });

    void test('bad commands get an error answer, and end of input closes every pool', async () => {
      const h = new PythonHarness(python, { cwd: fixtures });
      try {
        await h.expectError({ op: 'pass', id: 'nothing', sample: 0 }, 'bad-command', /No open pool/);
        await h.expectError(
          { op: 'open', config: { id: 'x', backend: 'thread', workers: 1 } },
          'bad-command',
          /No target is loaded/,
        );
        await h.expect({ op: 'load', file: targets, function: 'nap', inputs: 'range(2)', starmap: false });
        await h.expectError(
          // A name outside the backends table, which the runner never sends: the harness still answers.
          { op: 'open', config: { id: 'x', backend: 'mpi' as BackendName, workers: 1 } },
          'backend-unavailable',
          /no 'mpi' backend/,
        );
        await h.expectError(
          { op: 'open', config: { id: 'x', backend: 'process', workers: 1, startMethod: 'vfork' } },
          'backend-unavailable',
          /start method 'vfork'.*fork/,
        );
        await h.expect({
          op: 'open',
          config: { id: 'p', backend: 'process', workers: 2, startMethod: 'forkserver' },
        });
        await h.expect({
          op: 'open',
          config: { id: 'f', backend: 'futures-process', workers: 2, startMethod: 'spawn' },
        });
        h.hangUp();
        assert.equal((await h.exited).code, 0);
        assert.deepEqual(await processesWithMarker(h.marker), []);
      } finally {
        await h.kill();
      }
    });
  });
}
