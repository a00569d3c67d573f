// The independent plain script of the S(2) benchmark: what a user writes by hand to time spin serially and on a
// bare piscina pool of 2, in a fresh process of its own. Prints {serial: [s...], pool: [s...]} as JSON.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { spin } from './tasks.cjs';

const [n, tasks, rounds] = process.argv.slice(2).map(Number);
const inputs = Array.from({ length: tasks }, () => n);
const pool = new Piscina({
  filename: fileURLToPath(new URL('./bareWorker.cjs', import.meta.url)),
  minThreads: 2,
  maxThreads: 2,
  idleTimeout: 2 ** 31 - 1,
});

const serialLoop = () => {
  const start = performance.now();
  for (const x of inputs) spin(x);
  return (performance.now() - start) / 1000;
};
const poolPass = async () => {
  const start = performance.now();
  await Promise.all(inputs.map((x) => pool.run({ op: 'spin', n: x })));
  return (performance.now() - start) / 1000;
};

// One untimed pass of each, as the profiler warms its pools and its serial thread.
serialLoop();
await poolPass();
const serial = [];
const parallel = [];
for (let round = 0; round < rounds; round++) {
  serial.push(serialLoop());
  parallel.push(await poolPass());
}
await pool.destroy();
process.stdout.write(`${JSON.stringify({ serial, pool: parallel })}\n`);
