// The Node.js harness spoken to directly over its protocol, with real piscina pools and worker threads:
// sleep tasks with exact timings, CPU-bound speedup on 2 cores, a TypeScript target with a local import, a
// CommonJS default export, and every bad input, with nothing left running afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PassMessage } from '../../protocol/harness';
import { killAllHarnesses } from '../../runner/profile/harnessProcess';
import { buildHarness, NodeHarness, passSeconds, repoRoot } from './piscinaHarnessClient';
import { assertAgrees, fromSamples, plainThreadSpeedups } from './plainBurn';
import { tasksOf } from './harnessClient';
import { passColumns } from '../../runner/analysis/passTasks';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'js');
const sleep = path.join(fixtures, 'sleep.mjs');
const failing = path.join(fixtures, 'failing.ts');
const NAP_MS = 50;
// Sleep-based ground truth is exact; what is left is scheduling noise on a busy 2-core machine.
const SLACK = 0.04;

function tasksPerWorker(pass: PassMessage): number[] {
  const counts = new Map<string, number>();
  for (const task of tasksOf(pass)) counts.set(task.worker, (counts.get(task.worker) ?? 0) + 1);
  return [...counts.values()].sort((a, b) => a - b);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

before(() => buildHarness(), { timeout: 60_000 });
after(() => killAllHarnesses());

const scratchDirs: string[] = [];
after(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder for files a test writes (targets that do not compile), removed after the tests. */
function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-js-'));
  scratchDirs.push(dir);
  return dir;
}

void describe('Node.js harness: hello and sleep tasks with exact timings', () => {
  void test('hello names Node.js, its cores, and the serial and piscina backends', async () => {
    const h = new NodeHarness();
    const hello = await h.hello;
    assert.equal(hello.runtime, `Node.js ${process.versions.node}`);
    assert.equal(hello.implementation, 'node');
    assert.equal(hello.usableCores, os.availableParallelism());
    assert.equal(hello.logicalCores, os.cpus().length);
    assert.equal(hello.gil, null);
    assert.deepEqual(hello.backends, ['serial', 'piscina']);
    assert.ok(hello.physicalCores === null || hello.physicalCores >= 1);
    await h.exit();
  });

  for (const fn of ['sleepSync', 'sleepAsync'] as const) {
    void test(`${fn}: n tasks of d on k threads take ceil(n/k) d, results hash equal`, async () => {
      const n = 6;
      const h = new NodeHarness();
      const loaded = await h.load(sleep, fn, `Array.from({length: ${n}}, () => ${NAP_MS})`);
      assert.equal(loaded.type, 'loaded');
      assert.equal(loaded.type === 'loaded' && loaded.inputCount, n);
      const serial = await h.open('serial', 'serial', 1);
      assert.equal(serial.workers.length, 1);
      const calibrated = await h.request({ op: 'calibrate' });
      assert.equal(calibrated.type, 'calibrated');
      if (calibrated.type === 'calibrated') {
        assert.equal(calibrated.calibration.sampled, n);
        assert.ok(calibrated.calibration.argumentBytes > 0 && calibrated.calibration.resultBytes > 0);
      }
      const serialPass = await h.pass('serial', 0);
      assert.ok(
        Math.abs(passSeconds(serialPass) - (n * NAP_MS) / 1000) < SLACK,
        `serial ${passSeconds(serialPass)}`,
      );
      for (const task of tasksOf(serialPass))
        assert.ok(Math.abs(task.end - task.start - NAP_MS / 1000) < SLACK / 2);

      for (const k of [2, 3]) {
        const opened = await h.open(`piscina-${k}`, 'piscina', k);
        // Every one of the k workers took a warm-up task: each has loaded the module before counting.
        assert.equal(opened.workers.length, k);
        for (const w of opened.workers) assert.ok(w.initStart! <= w.initEnd!);
        assert.ok(opened.constructStart <= opened.constructEnd);
        assert.equal(opened.warmup.sample, -1);
        const pass = await h.pass(`piscina-${k}`, 0);
        const expected = (Math.ceil(n / k) * NAP_MS) / 1000;
        assert.ok(
          Math.abs(passSeconds(pass) - expected) < SLACK,
          `k=${k}: ${passSeconds(pass)} vs ${expected}`,
        );
        assert.deepEqual(
          tasksPerWorker(pass),
          Array.from({ length: k }, () => n / k),
        );
        assert.equal(pass.resultHash, serialPass.resultHash);
        assert.equal(tasksOf(pass).length, n);
        assert.equal(passColumns(pass).result!.length, n, 'P3 of every input came with the tasks');
        for (const task of tasksOf(pass)) {
          assert.ok(task.start >= pass.mapStart && task.end <= pass.resultsIn, 'task inside [P2, P4]');
          assert.ok(Math.abs(task.end - task.start - NAP_MS / 1000) < SLACK / 2);
        }
        const stats = pass.engineStats as { piscinaRunTimeMs: { mean: number }; piscinaWaitTimeMs: object };
        assert.ok(
          Math.abs(stats.piscinaRunTimeMs.mean - NAP_MS) < SLACK * 1000,
          'piscina runTime of this pass',
        );
        assert.ok(stats.piscinaWaitTimeMs);
        const closed = await h.request({ op: 'close', id: `piscina-${k}` });
        assert.equal(closed.type, 'closed');
      }
      await h.exit();
      assert.equal(h.stdout, '', 'nothing but user output on stdout');
    });
  }
});

void describe('Node.js harness: targets', () => {
  void test('CPU-bound fib on 2 threads: S(2) agrees with two plain worker threads measured in between', async (t) => {
    // Every worker thread compiles fib by itself, and a recursive fib's machine code comes out up to 50% faster
    // or slower from one thread to the next (bench/piscina.bench.ts): four fresh harnesses, three draws each,
    // and before each harness three rounds of the same fib on one plain thread against two fresh plain threads,
    // so another program on a core slows both sides alike.
    const fib = path.join(fixtures, 'fib.ts');
    const inputs = Array.from({ length: 12 }, () => 30);
    const profiled: number[] = [];
    const plain: number[] = [];
    for (let session = 0; session < 4; session++) {
      plain.push(...(await plainThreadSpeedups(fib, 'default', inputs, 3)));
      const h = new NodeHarness();
      await h.load(fib, 'default', 'Array.from({length: 12}, () => 30)');
      await h.open('serial', 'serial', 1);
      await h.open('p2', 'piscina', 2);
      for (let sample = 0; sample < 3; sample++) {
        const serial = passSeconds(await h.pass('serial', sample));
        profiled.push(serial / passSeconds(await h.pass('p2', sample)));
      }
      await h.exit();
    }
    const profiler = fromSamples(profiled);
    const machine = fromSamples(plain);
    t.diagnostic(assertAgrees('piscina S(2)', profiler, machine, 0.15));
    // Where the plain threads found a second core, the pool must turn at least half of it into speedup.
    if (machine.mean - 3 * machine.standardError > 1.25) {
      assert.ok(profiler.mean > 1 + (machine.mean - 1) / 2, `S(2) = ${profiler.mean}, plain ${machine.mean}`);
    } else {
      t.diagnostic(`two plain threads found no second core free either (S(2) = ${machine.mean.toFixed(3)})`);
    }
  });

  void test('a TypeScript target with a local import: named export, objects hash equal across threads', async () => {
    const h = new NodeHarness();
    const loaded = await h.load(path.join(fixtures, 'fib.ts'), 'fib', '[5, 10, 15, defaultN]');
    assert.equal(loaded.type === 'loaded' && loaded.inputCount, 4);
    const serial = await h.open('serial', 'serial', 1);
    const pool = await h.open('p2', 'piscina', 2);
    assert.equal(pool.warmup.resultHash, serial.warmup.resultHash);
    await h.exit();
  });

  void test('a CommonJS default export, with inputs that use a top-level name it does not export', async () => {
    const h = new NodeHarness();
    const loaded = await h.load(path.join(fixtures, 'commonjs.cjs'), 'default', '[base, base * 2]');
    assert.equal(loaded.type === 'loaded' && loaded.inputCount, 2);
    const serial = await h.open('serial', 'serial', 1);
    const pool = await h.open('p1', 'piscina', 1);
    assert.equal(pool.warmup.resultHash, serial.warmup.resultHash);
    await h.exit();
  });

  void test('console output of tasks goes to stdout, all of it, and the protocol stays on fd 3', async () => {
    const h = new NodeHarness();
    await h.load(path.join(fixtures, 'chatty.mjs'), 'chatty', 'Array.from({length: 50}, (_, i) => i)');
    await h.open('serial', 'serial', 1);
    await h.open('p2', 'piscina', 2);
    await h.exit();
    const lines = h.stdout.trim().split('\n');
    // Serial warm-up, then the pool's warm-up pass: 50 lines each.
    assert.equal(lines.length, 100);
    assert.equal(lines.filter((line) => line === 'line 49').length, 2);
  });

  void test('default inputs are 0..9, and starmap spreads each input as arguments', async () => {
    const h = new NodeHarness();
    const loaded = await h.load(path.join(fixtures, 'commonjs.cjs'), 'default', null);
    assert.equal(loaded.type === 'loaded' && loaded.inputCount, 10);
    await h.exit();
    const s = new NodeHarness();
    await s.load(sleep, 'sleepSync', '[[1], [2]]', true);
    const opened = await s.open('serial', 'serial', 1);
    assert.equal(tasksOf(opened.warmup).length, 2);
    await s.exit();
  });
});

// npm installs esbuild's native binary; the .vsix ships esbuild.wasm instead (one file for every platform).
// Both must bundle a target the same way, and fail on it the same way.
for (const engine of ['native', 'wasm'] as const) {
  void describe(`Node.js harness: targets bundled by esbuild (${engine})`, () => {
    const env = engine === 'wasm' ? { AMDAHL_ESBUILD: 'wasm' } : {};
    const resolve = path.join(fixtures, 'resolve');

    void test('imports by output name, of a folder, of JSON, and of a builtin', async () => {
      const h = new NodeHarness(env);
      const loaded = await h.load(path.join(resolve, 'main.ts'), 'compute', '[1, 2, 3]');
      assert.equal(loaded.type === 'loaded' && loaded.inputCount, 3, JSON.stringify(loaded));
      const serial = await h.open('serial', 'serial', 1);
      const pool = await h.open('p2', 'piscina', 2);
      assert.equal(pool.warmup.resultHash, serial.warmup.resultHash);
      await h.exit();
    });

    void test('a syntax error in an imported file names that file and line', async () => {
      const dir = scratchDir();
      writeFileSync(
        path.join(dir, 'broken.ts'),
        'export function broken(n: number): number {\n  return n +;\n}\n',
      );
      const entry = path.join(dir, 'entry.ts');
      writeFileSync(
        entry,
        "import { broken } from './broken';\nexport const uses = (n: number) => broken(n);\n",
      );
      const h = new NodeHarness(env);
      const answer = await h.load(entry, 'uses', null);
      assert.equal(answer.type === 'error' && answer.code, 'import-failed');
      assert.match(answer.type === 'error' ? answer.message : '', /broken\.ts:2:\d+: Unexpected ";"/);
      await h.exit();
    });

    void test('an import of a file that does not exist names the specifier', async () => {
      const h = new NodeHarness(env);
      const answer = await h.load(path.join(resolve, 'missingImport.ts'), 'usesMissing', null);
      assert.equal(answer.type === 'error' && answer.code, 'import-failed');
      assert.match(
        answer.type === 'error' ? answer.message : '',
        /missingImport\.ts:\d+:\d+: Could not resolve "\.\/doesNotExist"/,
      );
      await h.exit();
    });
  });
}

void describe('Node.js harness: bad input is one clear error with its code, and nothing left running', () => {
  void test('a missing export lists the exports that exist (function-not-found)', async () => {
    const h = new NodeHarness();
    const answer = await h.load(sleep, 'nope', null);
    assert.equal(answer.type, 'error');
    if (answer.type !== 'error') return;
    assert.equal(answer.code, 'function-not-found');
    assert.match(answer.message, /no export named nope; it exports notAFunction, sleepAsync, sleepSync\./);
    const other = new NodeHarness();
    const notFn = await other.load(sleep, 'notAFunction', null);
    assert.equal(notFn.type === 'error' && notFn.code, 'function-not-found');
    await other.exit();
    await h.exit();
  });

  void test('a syntax error names file:line (import-failed); so does a module that throws on load', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'broken.ts');
    writeFileSync(file, 'export function broken(n: number): number {\n  const x = n +;\n  return x;\n}\n');
    const h = new NodeHarness();
    const answer = await h.load(file, 'broken', null);
    assert.equal(answer.type === 'error' && answer.code, 'import-failed');
    assert.ok(answer.type === 'error' && answer.message.startsWith(`${file}:2:`), JSON.stringify(answer));
    await h.exit();
    const t = new NodeHarness();
    const thrown = await t.load(path.join(fixtures, 'throwsOnLoad.mjs'), 'fine', null);
    assert.equal(thrown.type === 'error' && thrown.code, 'import-failed');
    assert.match(
      thrown.type === 'error' ? thrown.message : '',
      /TypeError: the module refuses to load at .*throwsOnLoad\.mjs:6/,
    );
    await t.exit();
  });

  void test('inputs that do not parse or that throw (inputs-failed)', async () => {
    for (const inputs of ['[1, 2,', 'notAFunction.map((d) => d.x.y)', '42']) {
      const h = new NodeHarness();
      const answer = await h.load(sleep, 'sleepSync', inputs);
      assert.equal(answer.type === 'error' && answer.code, 'inputs-failed', inputs);
      await h.exit();
    }
  });

  void test('a task that throws: the input and a stack mapped to the TypeScript source (task-raised)', async () => {
    const h = new NodeHarness();
    await h.load(failing, 'raises', '[0, 1, 2, 3, 4]');
    for (const [id, backend, workers] of [
      ['serial', 'serial', 1],
      ['p2', 'piscina', 2],
    ] as const) {
      const answer = await h.request({ op: 'open', config: { id, backend, workers } });
      assert.equal(answer.type, 'error');
      if (answer.type !== 'error') return;
      assert.equal(answer.code, 'task-raised');
      assert.equal(answer.input, 3);
      assert.match(answer.message, /input 3 \(3\) raised RangeError: bad input 3 at .*failing\.ts:4\./);
      assert.match(answer.detail!, /at raises \(.*failing\.ts:4:11\)/);
    }
    await h.exit();
  });

  void test('a result that cannot be cloned (not-serializable, DataCloneError explained)', async () => {
    const h = new NodeHarness();
    await h.load(failing, 'returnsFunction', '[0, 1, 2]');
    const serial = await h.open('serial', 'serial', 1);
    assert.equal(tasksOf(serial.warmup).length, 3, 'the serial loop itself needs no cloning');
    const calibrated = await h.request({ op: 'calibrate' });
    assert.equal(calibrated.type === 'error' && calibrated.code, 'not-serializable');
    const pool = await h.request({ op: 'open', config: { id: 'p2', backend: 'piscina', workers: 2 } });
    assert.equal(pool.type === 'error' && pool.code, 'not-serializable');
    assert.match(pool.type === 'error' ? pool.message : '', /DataCloneError.*structured-clone/);
    await h.exit();
  });

  void test('process.exit() inside a task (worker-died) names the input and the exit code', async () => {
    const h = new NodeHarness();
    await h.load(failing, 'exits', '[0, 1, 2, 3]');
    for (const [id, backend, workers] of [
      ['serial', 'serial', 1],
      ['p2', 'piscina', 2],
    ] as const) {
      const answer = await h.request({ op: 'open', config: { id, backend, workers } });
      assert.equal(answer.type === 'error' && answer.code, 'worker-died');
      if (answer.type !== 'error') return;
      assert.equal(answer.input, 2);
      assert.match(answer.message, /code:? 7.*process\.exit\(\)/);
    }
    // The harness itself lives on: it still answers.
    const again = await h.request({ op: 'pass', id: 'p2', sample: 0 });
    assert.equal(again.type === 'error' && again.code, 'bad-command');
    await h.exit();
  });

  void test('a task that exhausts memory: ERR_WORKER_OUT_OF_MEMORY reported plainly as worker-died', async () => {
    const h = new NodeHarness({ AMDAHL_NODE_WORKER_HEAP_MB: '64' });
    await h.load(failing, 'hogsMemory', '[0, 1]');
    for (const [id, backend, workers] of [
      ['serial', 'serial', 1],
      ['p2', 'piscina', 2],
    ] as const) {
      const answer = await h.request({ op: 'open', config: { id, backend, workers } });
      assert.equal(answer.type === 'error' && answer.code, 'worker-died');
      assert.match(
        answer.type === 'error' ? answer.message : '',
        /ran out of memory \(ERR_WORKER_OUT_OF_MEMORY/,
      );
    }
    await h.exit();
  });

  for (const fn of ['neverReturns', 'spins']) {
    void test(`a task that never returns (${fn}): killing the process group on timeout leaves nothing`, async () => {
      const h = new NodeHarness();
      await h.load(failing, fn, '[0, 1]');
      // No answer comes: the runner's timeout kills the whole process group.
      const answer = await h.request(
        { op: 'open', config: { id: 'serial', backend: 'serial', workers: 1 } },
        1000,
      );
      assert.equal(answer.type === 'lost' && answer.reason, 'timeout', JSON.stringify(answer));
      const status = await h.exited;
      assert.equal(status.signal, 'SIGKILL');
      assert.equal(isAlive(h.pid!), false);
    });
  }

  void test('the harness exits by itself when stdin closes (the runner is gone)', async () => {
    const h = new NodeHarness();
    await h.load(sleep, 'sleepSync', '[1, 2]');
    await h.open('p2', 'piscina', 2);
    h.hangUp();
    const status = await h.exited;
    assert.deepEqual(status, { code: 0, signal: null });
  });
});
