// The cluster engines' benchmark: the per-task overhead (dispatch plus serialization) of each cluster engine (joblib,
// Dask, IPython Parallel, Ray) against the process pool, on the same tiny tasks, through the Python harness as a
// profile would run them; printed as a markdown table that says from which task size each engine pays.
// Run: node --import tsx bench/cluster.bench.ts [engine ...] (default: all; the process pool is always measured, as
// the reference).
import os from 'node:os';
import path from 'node:path';
import type { PassMessage } from '../protocol/harness';
import { passSummary, passTaskCount } from '../runner/analysis/passTasks';
import { clusterFixtures, clusterHarness } from '../test/integration/clusterHarness';
import { rayPython } from '../test/rayEnvironment';

const targets = path.join(clusterFixtures, 'targets.py');
const WORKERS = 2;
const PASSES = 5;

interface Payload {
  label: string;
  fn: string;
  inputs: string;
  count: number;
}

const payloads: Payload[] = [
  { label: 'int in, int out', fn: 'tiny', inputs: 'range(400)', count: 400 },
  {
    label: '100 KB in, 100 KB out',
    fn: 'identity',
    inputs: '[bytes(100_000) for _ in range(200)]',
    count: 200,
  },
];
const engines = ['process', 'joblib', 'dask', 'ipyparallel', 'ray'] as const;

interface Row {
  engine: string;
  payload: string;
  perTaskMs: number;
  startupSeconds: number;
  chunking: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Seconds of engine cost per task: wall time times k over n, less the time the function itself ran. */
function perTaskSeconds(pass: PassMessage): number {
  const summary = passSummary(pass);
  const running = summary.busySeconds / summary.tasks;
  return ((pass.resultsIn - pass.mapStart) * WORKERS) / summary.tasks - running;
}

async function measure(engine: (typeof engines)[number], payload: Payload): Promise<Row> {
  // Ray has no Debian package: it runs in the test suites' virtual environment (made on first use).
  const h = clusterHarness(engine === 'ray' ? rayPython() : undefined);
  try {
    await h.expect({
      op: 'load',
      file: targets,
      function: payload.fn,
      inputs: payload.inputs,
      starmap: false,
    });
    const id = `${engine}-${WORKERS}`;
    const opened = await h.expect({ op: 'open', config: { id, backend: engine, workers: WORKERS } });
    const ready = Math.max(
      opened.constructEnd,
      ...opened.workers.map((w) => w.initEnd ?? opened.constructEnd),
    );
    const costs: number[] = [];
    let chunking = '';
    for (let sample = 0; sample < PASSES; sample++) {
      const pass = await h.expect({ op: 'pass', id, sample });
      const count = passTaskCount(pass);
      if (count !== payload.count) throw new Error(`${engine}: ${count} tasks`);
      costs.push(perTaskSeconds(pass));
      const batch = pass.engineStats?.batchSize;
      chunking =
        pass.chunksize !== undefined ? `chunks of ${pass.chunksize}` : `auto batches of ${String(batch)}`;
      // Ray measures its own cost per remote call (no-op tasks) when the pool opens: a chunk pays it once.
      const perCall = pass.engineStats?.perTaskOverheadSeconds;
      if (typeof perCall === 'number') chunking += `; ${size(perCall)} per remote call`;
    }
    await h.expect({ op: 'close', id });
    await h.exit();
    return {
      engine,
      payload: payload.label,
      perTaskMs: median(costs) * 1000,
      startupSeconds: ready - opened.constructStart,
      chunking,
    };
  } finally {
    await h.kill();
  }
}

function size(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(0)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(1)} ms`;
  return `${seconds.toFixed(2)} s`;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(engines as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown engine ${unknown.join(', ')} (known: ${engines.join(', ')})`);
  const chosen = engines.filter((name) => name === 'process' || asked.length === 0 || asked.includes(name));
  for (const payload of payloads) for (const engine of chosen) rows.push(await measure(engine, payload));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`### Cluster engines: per-task overhead against the process pool (k = ${WORKERS})\n`);
  console.log(
    `${os.cpus().length} logical cores (${cpu}), /usr/bin/python3, local clusters on 127.0.0.1; median of ` +
      `${PASSES} passes. Per-task cost c = wall x k / n less the function's own time: dispatch, serialization ` +
      'both ways and the way back. A task of length t runs at efficiency t / (t + c) per worker, so the engine ' +
      'pays (50 % efficiency) from t = c and runs near its ideal speedup (90 %) from t = 9c.\n',
  );
  console.log(
    '| engine | payload | per-task cost c = size from which it pays (50 %) | ratio to process pool | near ideal (90 %) from | start-up | batching |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const base = rows.find((r) => r.engine === 'process' && r.payload === row.payload)!;
    const c = row.perTaskMs / 1000;
    console.log(
      `| ${row.engine} | ${row.payload} | ${size(c)} | ${(row.perTaskMs / base.perTaskMs).toFixed(1)}x | ` +
        `${size(9 * c)} | ${row.startupSeconds.toFixed(2)} s | ${row.chunking} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
