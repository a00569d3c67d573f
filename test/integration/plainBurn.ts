// What the machine gives at this moment: the same CPU-bound workload run without the profiler, serially and on two
// plain processes or threads, so a test can hold the profiler's S(2) to it instead of to a number from an idle box.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
 * Asserts that the profiler's speedup and the plain one differ by less than three standard errors of the
 * difference, or by less than `floor` (what the pool's own dispatch may cost, and what the per-round noise
 * of a few rounds cannot resolve). Returns the sentence to report.
 */
export function assertAgrees(what: string, profiler: Estimate, plain: Estimate, floor = 0.1): string {
  const tolerance = Math.max(floor, 3 * Math.hypot(profiler.standardError, plain.standardError));
  const text =
    `${what}: profiler ${profiler.mean.toFixed(3)} ± ${profiler.standardError.toFixed(3)}, ` +
    `plain ${plain.mean.toFixed(3)} ± ${plain.standardError.toFixed(3)} (tolerance ${tolerance.toFixed(3)})`;
  assert.ok(Math.abs(profiler.mean - plain.mean) <= tolerance, text);
  return text;
}

// Per round: the whole list in one loop, halves on two plain forked processes started together, the loop again,
// halves on two plain threads, the loop again. Each pair is divided into the mean of the loops either side of it,
// so a load that changes during the round cancels to first order.
const PYTHON_BURN = `
import importlib.util, json, multiprocessing, sys, threading, time
spec = importlib.util.spec_from_file_location("plain_burn_target", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
fn, items, rounds = getattr(module, sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
def run(part):
    for item in part:
        fn(item)
def timed(make):
    start = time.monotonic()
    workers = [make(target=run, args=(half,)) for half in (items[0::2], items[1::2])]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.monotonic() - start
def serial():
    start = time.monotonic()
    run(items)
    return time.monotonic() - start
speedups = {"processes": [], "threads": []}
for _ in range(rounds):
    first = serial()
    processes = timed(multiprocessing.get_context("fork").Process)
    second = serial()
    threads = timed(threading.Thread)
    third = serial()
    speedups["processes"].append((first + second) / 2 / processes)
    speedups["threads"].append((second + third) / 2 / threads)
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

// A worker thread evaluates the bundled target (V8 compiles it in each thread, as in a piscina worker), says it
// is ready, and on "go" runs its share of the inputs.
const WORKER_BURN = `
const { parentPort, workerData } = require('node:worker_threads');
const target = { exports: {} };
new Function('module', 'exports', 'require', workerData.code)(target, target.exports, require);
const fn = target.exports[workerData.exportName];
parentPort.once('message', () => {
  for (const input of workerData.inputs) fn(input);
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

async function burnOnThreads(code: string, exportName: string, parts: number[][]): Promise<number> {
  const workers = parts.map(
    (inputs) => new Worker(WORKER_BURN, { eval: true, workerData: { code, exportName, inputs } }),
  );
  try {
    const next = () =>
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.once('message', () => resolve());
              worker.once('error', reject);
            }),
        ),
      );
    await next();
    const start = performance.now();
    const done = next();
    for (const worker of workers) worker.postMessage('go');
    await done;
    return (performance.now() - start) / 1000;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * S(2) of a JavaScript or TypeScript export over inputs: one fresh worker thread over all of them against two fresh
 * threads over halves, one value per round. Fresh threads each round, since each compiles the function anew.
 */
export async function plainThreadSpeedups(
  file: string,
  exportName: string,
  inputs: number[],
  rounds = 3,
): Promise<number[]> {
  const bundled = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
  });
  const code = bundled.outputFiles[0]!.text;
  const halves = [inputs.filter((_, i) => i % 2 === 0), inputs.filter((_, i) => i % 2 === 1)];
  const speedups: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // The serial thread before and after the pair, as in the Python burn.
    const before = await burnOnThreads(code, exportName, [inputs]);
    const pair = await burnOnThreads(code, exportName, halves);
    const after = await burnOnThreads(code, exportName, [inputs]);
    speedups.push((before + after) / 2 / pair);
  }
  return speedups;
}
