// What the machine gives at this moment: the same CPU-bound workload run without the profiler, serially and on two
// plain processes or threads, so a test can hold the profiler's S(2) to it instead of to a number from an idle box.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';

/** A speedup and its standard error. */
export interface Estimate {
  mean: number;
  standardError: number;
}

export function fromSamples(values: number[]): Estimate {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, standardError: Math.sqrt(variance / values.length) };
}

/** The profiler's estimate from its 95% interval (half-width = 1.96 standard errors). */
export function fromInterval(mean: number, ci95: [number, number]): Estimate {
  return { mean, standardError: (ci95[1] - ci95[0]) / (2 * 1.96) };
}

/**
 * How far the profiler's speedup may stray from the plain one: three standard errors of the difference, or `floor`
 * (what the pool's own dispatch may cost, and what a few plain rounds cannot resolve), whichever is larger.
 */
export function tolerance(profiler: Estimate, plain: Estimate, floor = 0.1): number {
  return Math.max(floor, 3 * Math.hypot(profiler.standardError, plain.standardError));
}

function describe(what: string, profiler: Estimate, plain: Estimate, allowed: number): string {
  return (
    `${what}: profiler ${profiler.mean.toFixed(3)} ± ${profiler.standardError.toFixed(3)}, ` +
    `plain ${plain.mean.toFixed(3)} ± ${plain.standardError.toFixed(3)} (tolerance ${allowed.toFixed(3)})`
  );
}

/** Asserts that the profiler's speedup and the plain one agree within `tolerance`; returns the sentence to report. */
export function assertAgrees(what: string, profiler: Estimate, plain: Estimate, floor = 0.1): string {
  const allowed = tolerance(profiler, plain, floor);
  const text = describe(what, profiler, plain, allowed);
  assert.ok(Math.abs(profiler.mean - plain.mean) <= allowed, text);
  return text;
}

// The plain counterpart of a profile, in a session of its own as the runner starts each harness (with Linux's
// autogroups the scheduler shares the CPU between sessions first, so a burn in the test's session would compete
// with whatever else runs there): a serial loop in the main thread, and two plain forked processes and two
// plain threads, started once, warmed up with one untimed pass and reused, that take one input at a time from a
// queue and answer each, as a pool's workers do (under a load above the cores every hand-off waits for a CPU, and
// that wait is part of what the machine gives a pool, so a static split in halves would overstate S). Per round:
// loop, processes, loop, threads, loop; each pair is divided by the mean of the loops either side of it, so a load
// that changes during the round cancels to first order.
// Both plain Python programs start so: a session of their own, the target loaded from argv (file, function, inputs
// as JSON, rounds).
const PYTHON_TARGET = `
import importlib.util, json, multiprocessing, os, queue, sys, threading, time
os.setsid()
spec = importlib.util.spec_from_file_location("plain_burn_target", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
fn, items, rounds = getattr(module, sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
`;

const PYTHON_BURN = `${PYTHON_TARGET}
def run(part):
    for item in part:
        fn(item)
def serve(inbox, outbox):
    while True:
        item = inbox.get()
        if item is None:
            return
        fn(item)
        outbox.put(True)
def start_pair(make_queue, make_worker):
    inbox, outbox = make_queue(), make_queue()
    workers = [make_worker(target=serve, args=(inbox, outbox), daemon=True) for _ in range(2)]
    for worker in workers:
        worker.start()
    return inbox, outbox, workers
def timed(pair):
    inbox, outbox, _ = pair
    start = time.monotonic()
    for item in items:
        inbox.put(item)
    for _ in items:
        outbox.get()
    return time.monotonic() - start
def serial():
    start = time.monotonic()
    run(items)
    return time.monotonic() - start
fork = multiprocessing.get_context("fork")
processes = start_pair(fork.SimpleQueue, fork.Process)
threads = start_pair(queue.Queue, threading.Thread)
serial(), timed(processes), timed(threads)
speedups = {"processes": [], "threads": []}
for _ in range(rounds):
    first = serial()
    on_processes = timed(processes)
    second = serial()
    on_threads = timed(threads)
    third = serial()
    speedups["processes"].append((first + second) / 2 / on_processes)
    speedups["threads"].append((second + third) / 2 / on_threads)
for inbox, _, workers in (processes, threads):
    for worker in workers:
        inbox.put(None)
    for worker in workers:
        worker.join()
print(json.dumps(speedups))
`;

export interface PlainPythonSpeedups {
  processes: number[];
  threads: number[];
}

/** S(2) of fn over inputs on two plain processes (fork) and on two threads against one loop, one value per round. */
export function plainPythonSpeedups(
  python: string,
  file: string,
  fn: string,
  inputs: number[],
  rounds: number,
): PlainPythonSpeedups {
  const run = spawnSync(python, ['-c', PYTHON_BURN, file, fn, JSON.stringify(inputs), String(rounds)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(run.status, 0, `the plain burn failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as PlainPythonSpeedups;
}

// A worker thread evaluates the bundled target (V8 compiles it in each thread, as in a piscina worker), says it is
// ready, and answers every input it is sent with one message, as a piscina worker does.
const WORKER_BURN = `
const { parentPort, workerData } = require('node:worker_threads');
const target = { exports: {} };
new Function('module', 'exports', 'require', workerData.code)(target, target.exports, require);
const fn = target.exports[workerData.exportName];
parentPort.on('message', (input) => {
  fn(input);
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

/** Worker threads that take the inputs one at a time, each from the queue as it finishes the last. */
class ThreadCrew {
  private readonly workers: Worker[];

  constructor(code: string, exportName: string, size: number) {
    this.workers = Array.from(
      { length: size },
      () => new Worker(WORKER_BURN, { eval: true, workerData: { code, exportName } }),
    );
  }

  ready(): Promise<void[]> {
    return Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.once('message', () => resolve());
            worker.once('error', reject);
          }),
      ),
    );
  }

  /** Seconds from the first input sent to the last answer. */
  async run(inputs: number[]): Promise<number> {
    const queue = [...inputs];
    const start = performance.now();
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              if (queue.length === 0) {
                worker.off('message', next);
                worker.off('error', reject);
                resolve();
                return;
              }
              worker.postMessage(queue.shift());
            };
            worker.on('message', next);
            worker.once('error', reject);
            next();
          }),
      ),
    );
    return (performance.now() - start) / 1000;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * S(2) of a JavaScript or TypeScript export over inputs, as a piscina session sees it: one fresh serial thread and two
 * fresh pool threads, each taking the inputs one at a time, warmed up with one untimed run, then `samples` rounds of
 * serial, pair, serial (the pair divided by the mean of the serial runs either side of it).
 */
async function burnThreads(
  file: string,
  exportName: string,
  inputs: number[],
  samples = 3,
): Promise<number[]> {
  const bundled = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  });
  const code = bundled.outputFiles[0]!.text;
  const serial = new ThreadCrew(code, exportName, 1);
  const pair = new ThreadCrew(code, exportName, 2);
  try {
    await Promise.all([serial.ready(), pair.ready()]);
    await serial.run(inputs);
    await pair.run(inputs);
    const speedups: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      const before = await serial.run(inputs);
      const parallel = await pair.run(inputs);
      const after = await serial.run(inputs);
      speedups.push((before + after) / 2 / parallel);
    }
    return speedups;
  } finally {
    await Promise.all([serial.close(), pair.close()]);
  }
}

/**
 * S(2) of a JavaScript or TypeScript export over inputs, as a piscina session sees it, measured in a Node.js process
 * of its own session (detached), as the runner starts the harness: see burnThreads.
 */
export async function plainThreadSpeedups(
  file: string,
  exportName: string,
  inputs: number[],
  samples = 3,
): Promise<number[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', __filename, file, exportName, JSON.stringify(inputs), String(samples)],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the plain thread burn failed: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as number[];
}

if (require.main === module) {
  const [file, exportName, inputs, samples] = process.argv.slice(2);
  void burnThreads(file!, exportName!, JSON.parse(inputs!) as number[], Number(samples)).then((speedups) =>
    process.stdout.write(`${JSON.stringify(speedups)}\n`),
  );
}

// The cores a plain loop of the target keeps busy (process CPU seconds over wall seconds, every thread of it: a
// library's own pool included), in a session of its own as the runner starts each harness; one value per round.
const PYTHON_BUSY = `${PYTHON_TARGET}
for item in items:
    fn(item)
busy = []
for _ in range(rounds):
    wall, cpu = time.monotonic(), time.process_time()
    for item in items:
        fn(item)
    busy.append((time.process_time() - cpu) / (time.monotonic() - wall))
print(json.dumps(busy))
`;

/** Busy cores of a plain serial loop of fn over inputs, per round, with `env` added to the environment. */
export function plainBusyCores(
  python: string,
  file: string,
  fn: string,
  inputs: number[],
  rounds: number,
  env: NodeJS.ProcessEnv = {},
): number[] {
  const run = spawnSync(python, ['-c', PYTHON_BUSY, file, fn, JSON.stringify(inputs), String(rounds)], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, ...env },
  });
  assert.equal(run.status, 0, `the plain loop failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as number[];
}
