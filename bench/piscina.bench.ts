// The piscina backend's benchmarks (issue 3), each a ratio against a baseline measured in the same run:
// per-task dispatch cost against a bare piscina pool running the same tiny tasks, and S(2) of a CPU-bound
// function against an independent plain script (a serial loop and a bare pool of 2).
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { buildHarness, NodeHarness, passSeconds } from '../test/integration/piscinaHarnessClient';

const here = __dirname;
const target = path.join(here, 'piscina', 'tasks.mjs');
const bareWorker = path.join(here, 'piscina', 'bareWorker.cjs');
const TINY_TASKS = Number(process.env.AMDAHL_BENCH_TINY_TASKS ?? 5000);
const FIB_N = 30;
const FIB_TASKS = 12;
const ROUNDS = Number(process.env.AMDAHL_BENCH_ROUNDS ?? 7);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const us = (seconds: number): string => `${(seconds * 1e6).toFixed(1)} us`;

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

async function dispatchCost(): Promise<string> {
  const k = 2;
  const inputs = Array.from({ length: TINY_TASKS }, (_, i) => i);
  const h = new NodeHarness();
  await h.load(target, 'tiny', `Array.from({length: ${TINY_TASKS}}, (_, i) => i)`);
  await h.open('serial', 'serial', 1);
  await h.open('p', 'piscina', k);
  const bare = await barePool(k);
  await barePass(bare, 'tiny', inputs);
  const harness: number[] = [];
  const plain: number[] = [];
  // Interleaved, so drift on the machine hits both.
  for (let round = 0; round < ROUNDS; round++) {
    harness.push(passSeconds(await h.pass('p', round)) / TINY_TASKS);
    plain.push((await barePass(bare, 'tiny', inputs)) / TINY_TASKS);
  }
  await bare.destroy();
  await h.exit();
  const ratio = median(harness) / median(plain);
  return [
    `### Per-task dispatch cost, piscina k=${k}, ${TINY_TASKS} tasks of n + 1, ${ROUNDS} interleaved rounds`,
    '',
    '| | median per task | mean per task |',
    '|---|---|---|',
    `| Amdahl harness pass | ${us(median(harness))} | ${us(mean(harness))} |`,
    `| bare piscina pool | ${us(median(plain))} | ${us(mean(plain))} |`,
    '',
    `Ratio harness / bare: **${ratio.toFixed(3)}** (target at most 1.10: ${ratio <= 1.1 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

async function speedupAgreement(): Promise<string> {
  const k = 2;
  const inputs = Array.from({ length: FIB_TASKS }, () => FIB_N);
  const h = new NodeHarness();
  await h.load(target, 'fib', `Array.from({length: ${FIB_TASKS}}, () => ${FIB_N})`);
  await h.open('serial', 'serial', 1);
  await h.open('p', 'piscina', k);
  const bare = await barePool(k);
  const { fib } = (await import(target)) as { fib: (n: number) => number };
  const serialLoop = (): number => {
    const start = performance.now();
    for (const n of inputs) fib(n);
    return (performance.now() - start) / 1000;
  };
  serialLoop();
  const harnessSerial: number[] = [];
  const harnessPool: number[] = [];
  const plainSerial: number[] = [];
  const plainPool: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    harnessSerial.push(passSeconds(await h.pass('serial', round)));
    harnessPool.push(passSeconds(await h.pass('p', round)));
    plainSerial.push(serialLoop());
    plainPool.push(await barePass(bare, 'fib', inputs));
  }
  await bare.destroy();
  await h.exit();
  const measured = mean(harnessSerial) / mean(harnessPool);
  const plain = mean(plainSerial) / mean(plainPool);
  const difference = Math.abs(measured / plain - 1);
  return [
    `### S(${k}) of fib(${FIB_N}) x ${FIB_TASKS}, against an independent plain script, ${ROUNDS} interleaved rounds`,
    '',
    '| | serial mean | pool of 2 mean | S(2) |',
    '|---|---|---|---|',
    `| Amdahl harness | ${mean(harnessSerial).toFixed(4)} s | ${mean(harnessPool).toFixed(4)} s | ${measured.toFixed(3)} |`,
    `| plain script (loop, bare piscina) | ${mean(plainSerial).toFixed(4)} s | ${mean(plainPool).toFixed(4)} s | ${plain.toFixed(3)} |`,
    '',
    `Difference: **${(difference * 100).toFixed(1)}%** (target within 3%: ${difference <= 0.03 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

async function main(): Promise<void> {
  await buildHarness();
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
