// The piscina backend's benchmarks, each a ratio against a baseline measured in the same run:
// per-task dispatch cost against a bare piscina pool running the same tiny tasks, and S(2) of a CPU-bound
// function against an independent plain script (a serial loop and a bare pool of 2, in a process of its own).
//
// Each comparison is repeated on fresh pools and processes. Every V8 isolate (each worker thread, each process)
// compiles the same JavaScript by itself and can end up with faster or slower machine code: a recursive fib ran
// up to 47% apart between isolates, so S(2) is taken of a plain loop whose code comes out the same (5%), and one
// pool per side would still compare two such draws; the mean over replicates, with its interval, compares the
// two measurements.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { buildHarness, NodeHarness, passSeconds, repoRoot } from '../test/integration/piscinaHarnessClient';

const here = path.join(repoRoot, 'bench');
const target = path.join(here, 'piscina', 'tasks.cjs');
const bareWorker = path.join(here, 'piscina', 'bareWorker.cjs');
const plainScript = path.join(here, 'piscina', 'plainScript.mjs');
const TINY_TASKS = Number(process.env.AMDAHL_BENCH_TINY_TASKS ?? 20_000);
/** 16 tasks of 20 million loop iterations: about 35 ms each, 0.55 s for the serial pass. */
const SPIN_MILLIONS = 20;
const SPIN_TASKS = 16;
const REPLICATES = Number(process.env.AMDAHL_BENCH_REPLICATES ?? 8);
const ROUNDS = Number(process.env.AMDAHL_BENCH_ROUNDS ?? 3);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
/** Half-width of a 95% t interval of the mean (t from a table: the replicate counts used here are small). */
function halfWidth(xs: number[]): number {
  const T95 = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.2, 2.18, 2.16, 2.14, 2.13];
  const m = mean(xs);
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  return ((T95[xs.length - 2] ?? 1.96) * sd) / Math.sqrt(xs.length);
}
const us = (seconds: number): string => `${(seconds * 1e6).toFixed(1)} us`;
const interval = (xs: number[], digits: number): string =>
  `${mean(xs).toFixed(digits)} ± ${halfWidth(xs).toFixed(digits)}`;

async function barePool(k: number): Promise<Piscina> {
  const pool = new Piscina({ filename: bareWorker, minThreads: k, maxThreads: k, idleTimeout: 2 ** 31 - 1 });
  await Promise.all(Array.from({ length: k * 4 }, () => pool.run({ op: 'tiny', n: 0 })));
  return pool;
}

async function barePass(pool: Piscina, op: string, inputs: number[]): Promise<number> {
  const start = performance.now();
  await Promise.all(inputs.map((n) => pool.run({ op, n })));
  return (performance.now() - start) / 1000;
}

/** Median per-task time of the harness's pass and of a bare pool's, on fresh pools, rounds interleaved. */
async function dispatchReplicate(k: number): Promise<{ harness: number; bare: number }> {
  const inputs = Array.from({ length: TINY_TASKS }, (_, i) => i);
  const h = new NodeHarness();
  await h.load(target, 'tiny', `Array.from({length: ${TINY_TASKS}}, (_, i) => i)`);
  await h.open('serial', 'serial', 1);
  await h.open('p', 'piscina', k);
  const bare = await barePool(k);
  await barePass(bare, 'tiny', inputs);
  const harness: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    harness.push(passSeconds(await h.pass('p', round)) / TINY_TASKS);
    plain.push((await barePass(bare, 'tiny', inputs)) / TINY_TASKS);
  }
  await bare.destroy();
  await h.exit();
  return { harness: median(harness), bare: median(plain) };
}

async function dispatchCost(): Promise<string> {
  const k = 2;
  const harness: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < REPLICATES; r++) {
    const replicate = await dispatchReplicate(k);
    harness.push(replicate.harness);
    bare.push(replicate.bare);
  }
  const ratios = harness.map((h, i) => h / bare[i]!);
  const ratio = mean(harness) / mean(bare);
  return [
    `### Per-task dispatch cost, piscina k=${k}, ${TINY_TASKS} tasks of n + 1`,
    '',
    `${REPLICATES} replicates, each a fresh harness and a fresh bare pool, ${ROUNDS} interleaved rounds each (median per replicate).`,
    '',
    '| | mean per task over replicates | replicates (µs) |',
    '|---|---|---|',
    `| Amdahl harness pass | ${us(mean(harness))} | ${harness.map((x) => (x * 1e6).toFixed(1)).join(', ')} |`,
    `| bare piscina pool | ${us(mean(bare))} | ${bare.map((x) => (x * 1e6).toFixed(1)).join(', ')} |`,
    '',
    `Ratio harness / bare: **${ratio.toFixed(3)}** (per-replicate ratios ${interval(ratios, 3)}, 95% t interval; ` +
      `target at most 1.10: ${ratio <= 1.1 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

/** S(2) by the harness (serial thread and pool of 2) and by the plain script, each in fresh processes. */
async function speedupReplicate(k: number): Promise<{ harness: number; plain: number }> {
  const h = new NodeHarness();
  await h.load(target, 'spin', `Array.from({length: ${SPIN_TASKS}}, () => ${SPIN_MILLIONS})`);
  await h.open('serial', 'serial', 1);
  await h.open('p', 'piscina', k);
  const serial: number[] = [];
  const pool: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    serial.push(passSeconds(await h.pass('serial', round)));
    pool.push(passSeconds(await h.pass('p', round)));
  }
  await h.exit();
  const plain = spawnSync(
    process.execPath,
    [plainScript, String(SPIN_MILLIONS), String(SPIN_TASKS), String(ROUNDS)],
    {
      encoding: 'utf8',
    },
  );
  if (plain.status !== 0) throw new Error(`the plain script failed: ${plain.stderr}`);
  const script = JSON.parse(plain.stdout) as { serial: number[]; pool: number[] };
  return { harness: mean(serial) / mean(pool), plain: mean(script.serial) / mean(script.pool) };
}

async function speedupAgreement(): Promise<string> {
  const k = 2;
  const harness: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < REPLICATES; r++) {
    const replicate = await speedupReplicate(k);
    harness.push(replicate.harness);
    plain.push(replicate.plain);
  }
  const difference = Math.abs(mean(harness) / mean(plain) - 1);
  return [
    `### S(${k}) of spin(${SPIN_MILLIONS}) x ${SPIN_TASKS} (a CPU-bound loop), against an independent plain script`,
    '',
    `${REPLICATES} replicates, each a fresh harness process and a fresh plain-script process, ${ROUNDS} rounds each.`,
    '',
    '| | S(2), mean ± 95% | replicates |',
    '|---|---|---|',
    `| Amdahl harness (serial thread, piscina pool of 2) | ${interval(harness, 3)} | ${harness.map((x) => x.toFixed(2)).join(', ')} |`,
    `| plain script (main-thread loop, bare piscina pool of 2) | ${interval(plain, 3)} | ${plain.map((x) => x.toFixed(2)).join(', ')} |`,
    '',
    `Difference of the means: **${(difference * 100).toFixed(1)}%** (target within 3%: ${difference <= 0.03 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

async function main(): Promise<void> {
  // AMDAHL_BENCH_PREBUILT=1: dist/ was built elsewhere and copied here (a machine without the dev dependencies).
  if (process.env.AMDAHL_BENCH_PREBUILT !== '1') await buildHarness();
  const lines = [
    '## piscina backend (Node.js harness)',
    '',
    `Command: \`npm run bench -- piscina\` (through the harness protocol). Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `${os.availableParallelism()} usable cores, load average ${os.loadavg()[0]!.toFixed(2)} at the start, Node.js ${process.versions.node}.`,
    '',
    await dispatchCost(),
    '',
    await speedupAgreement(),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
