// How far the answer can be trusted, and how fast it comes: S(2) of tasks from 0.1 µs to 1 ms against a plain
// script (uninstrumented counted passes), the seed sample's default run (its time, the first answer so far on
// the progress line, sampling efficiency: what an oracle knowing the variances would have spent, over what was
// spent), busy-machine with and without a CPU hog, and time to answer against hyperfine on two plain scripts.
// AMDAHL_BENCH_RUNS (default 7) and AMDAHL_BENCH_BUSY_RUNS (default 10) set the repetitions;
// AMDAHL_BENCH_SECTIONS (default tiny,seed,busy,hyperfine) picks the sections.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Point, Report } from '../protocol/report';
import { median } from '../runner/analysis/stats';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'bin', 'amdahl.js');
const spin = path.join(root, 'test', 'fixtures', 'load', 'spin.py');
const seed = path.join(root, 'samples', 'seed', 'complex_operation.py');
const work = path.join(root, 'bench', 'python', 'cpu_work.py');
const python = process.env.AMDAHL_BENCH_PYTHON ?? 'python3';
const runs = Number(process.env.AMDAHL_BENCH_RUNS ?? 7);
const busyRuns = Number(process.env.AMDAHL_BENCH_BUSY_RUNS ?? 10);
const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-answer-bench-'));
const fmt = (x: number, digits = 3): string => x.toFixed(digits);

/** A profile through the CLI; its stderr (the progress in log form) is read for the first answer so far. */
async function profile(
  args: string[],
): Promise<{ report: Report; seconds: number; firstAnswerSeconds: number | null }> {
  const json = path.join(dir, `r${Date.now()}-${Math.random()}.json`);
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'profile', ...args, '--python', python, '--json', json], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let firstAnswerSeconds: number | null = null;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (firstAnswerSeconds === null && stderr.includes(' so far ')) {
      firstAnswerSeconds = (performance.now() - started) / 1000;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`amdahl ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  return {
    report: JSON.parse(readFileSync(json, 'utf8')) as Report,
    seconds: (performance.now() - started) / 1000,
    firstAnswerSeconds,
  };
}

function point(report: Report, backend: string, workers: number): Point {
  const p = report.runs.find((r) => r.backend === backend)?.points.find((q) => q.workers === workers);
  if (!p) throw new Error(`no ${backend} k=${workers} point`);
  return p;
}

/** bench/python/plain_speedup.py with inputs built by `expression`: the medians' ratio of `repeats` pairs. */
function plainS2(fn: string, n: number, repeats: number): number {
  const result = spawnSync(
    python,
    [path.join(root, 'bench', 'python', 'plain_speedup.py'), spin, fn, String(n), String(repeats)],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`plain_speedup.py failed: ${result.stderr}`);
  const times = JSON.parse(result.stdout.trim().split('\n').pop()!) as { serial: number[]; pool2: number[] };
  return median(times.serial) / median(times.pool2);
}

/** Machine load over a few seconds, from /proc/stat: the share of all CPUs' time that was busy. */
function loadNow(): number {
  const read = (): number[] =>
    readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const a = read();
  spawnSync('sleep', ['2']);
  const d = read().map((v, i) => v - a[i]!);
  const total = d.reduce((x, y) => x + y, 0);
  return (total - d[3]! - d[4]!) / total;
}

async function tinyTasks(lines: string[]): Promise<void> {
  const workloads = [
    { label: '~0.1 µs (ident)', fn: 'ident', n: 100_000 },
    { label: '~10 µs (spin 1e-5 s)', fn: 'spin10us', n: 20_000 },
    { label: '~1 ms (spin 1e-3 s)', fn: 'spin1ms', n: 400 },
  ];
  lines.push(
    `| task | Amdahl S(2), median of ${runs} runs | plain script S(2), median of ${runs} runs (7 pairs each) | apart | target ≤ 5% |`,
    '|---|---|---|---|---|',
  );
  for (const w of workloads) {
    const ours: number[] = [];
    const plain: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { report } = await profile([
        `${spin}:${w.fn}`,
        '--inputs',
        `range(${w.n})`,
        '--backends',
        'process',
        '--start-method',
        'fork',
        '--workers',
        '2',
      ]);
      ours.push(point(report, 'process', 2).speedup.mean);
      plain.push(plainS2(w.fn, w.n, 7));
    }
    const apart = Math.abs(median(ours) / median(plain) - 1);
    lines.push(
      `| ${w.label}, ${w.n} inputs | ${fmt(median(ours))} | ${fmt(median(plain))} | ${fmt(apart * 100, 1)}% | ${apart <= 0.05 ? 'met' : 'NOT met'} |`,
    );
  }
  lines.push('');
}

async function busyMachine(lines: string[]): Promise<void> {
  const args = [
    `${spin}:spin`,
    '--inputs',
    '[0.02] * 20',
    '--backends',
    'process',
    '--workers',
    '1,2',
    '--repeat',
    '5',
  ];
  const named = async (): Promise<{ count: number; shares: number[] }> => {
    let count = 0;
    const shares: number[] = [];
    for (let r = 0; r < busyRuns; r++) {
      const { report } = await profile(args);
      if (report.warnings.some((w) => w.code === 'busy-machine')) count += 1;
      shares.push(median(report.runs.flatMap((run) => run.points.map((p) => p.otherCpuShare ?? NaN))));
    }
    return { count, shares };
  };
  const before = loadNow();
  const quiet = await named();
  const hog = spawn(python, ['-c', 'while True: pass'], { stdio: 'ignore' });
  let busy;
  try {
    busy = await named();
  } finally {
    hog.kill('SIGKILL');
  }
  lines.push(
    '| busy-machine | runs named busy | median otherCpuShare | target |',
    '|---|---|---|---|',
    `| one core kept busy by \`python3 -c "while True: pass"\` | ${busy.count}/${busyRuns} | ${fmt(median(busy.shares), 2)} | ${busyRuns}/${busyRuns} |`,
    `| without the hog (machine busy ${fmt(before * 100, 0)}% just before, from /proc/stat) | ${quiet.count}/${busyRuns} | ${fmt(median(quiet.shares), 2)} | 0/${busyRuns} on a quiet machine |`,
    '',
  );
}

/**
 * The oracle's cost: the counted-pass time that reaches the same interval on the recommended count's S(k) with
 * the measured per-pass variances (log scale) allocated optimally between serial and k (n_i ∝ sqrt(v_i / t_i)),
 * plus the minimum samples every other configuration needs anyway.
 */
function samplingEfficiency(report: Report): number {
  const run = report.runs.find((r) => r.backend === 'process')!;
  const serial = point(report, 'serial', 1);
  const chosen =
    run.points.find((p) => p.workers === run.recommendation?.workers) ?? run.points[run.points.length - 1]!;
  const logVar = (xs: number[]): number => {
    const l = xs.map(Math.log);
    const m = l.reduce((a, b) => a + b, 0) / l.length;
    return l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1);
  };
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const target = ((Math.log(chosen.speedup.ci95[1]) - Math.log(chosen.speedup.ci95[0])) / (2 * 1.96)) ** 2;
  const s = serial.wallSeconds.samples;
  const k = chosen.wallSeconds.samples;
  const oracle = (Math.sqrt(logVar(s) * mean(s)) + Math.sqrt(logVar(k) * mean(k))) ** 2 / target;
  const minimum = (p: Point): number =>
    (mean(p.wallSeconds.samples) < 1 ? 10 : 5) * mean(p.wallSeconds.samples);
  const others = run.points.filter((p) => p !== chosen).reduce((sum, p) => sum + minimum(p), 0);
  const spent = report.runs
    .flatMap((r) => r.points)
    .reduce((sum, p) => sum + p.wallSeconds.samples.reduce((a, b) => a + b, 0), 0);
  return (Math.max(oracle, minimum(serial) + minimum(chosen)) + others) / spent;
}

async function seedSample(lines: string[]): Promise<void> {
  const seedRuns = Math.min(runs, 5);
  const taken = [];
  for (let i = 0; i < seedRuns; i++) taken.push(await profile([`${seed}:complex_operation`]));
  const middle = [...taken].sort((a, b) => a.seconds - b.seconds)[Math.floor(taken.length / 2)]!;
  const run = middle.report.runs.find((r) => r.backend === 'process')!;
  const s2 = point(middle.report, 'process', 2).speedup;
  const firsts = taken.map((t) => t.firstAnswerSeconds ?? Number.NaN);
  lines.push(
    `| seed sample, default run, median of ${seedRuns} | value | target |`,
    '|---|---|---|',
    `| wall time, \`amdahl profile samples/seed/complex_operation.py:complex_operation\` | ${fmt(middle.seconds, 1)} s (stop: ${run.stopReason}; all runs: ${taken.map((t) => fmt(t.seconds, 1)).join(', ')} s) | ≤ 15 s on a quiet machine |`,
    `| first answer so far on the progress line | ${fmt(median(firsts), 1)} s (all runs: ${firsts.map((x) => fmt(x, 1)).join(', ')} s) | ≤ 5 s |`,
    `| S(2), process (the median-time run) | ${fmt(s2.mean)} [${fmt(s2.ci95[0])}, ${fmt(s2.ci95[1])}] (${s2.estimator ?? '?'}) | |`,
    `| sampling efficiency (oracle time / counted time), median | ${fmt(median(taken.map((t) => samplingEfficiency(t.report))), 2)} | ≥ 0.7 |`,
    '',
  );
}

/** One hyperfine run of the two whole programs (serial, Pool(2)): its wall time and its S(2) with an interval. */
function hyperfineS2(fn: string): { seconds: number; s2: number; ci95: [number, number] } {
  const out = path.join(dir, `h${Date.now()}.json`);
  const script = (name: string): string =>
    `${python} ${path.join(root, 'bench', 'python', name)} ${work} ${fn}`;
  const started = performance.now();
  const result = spawnSync(
    'hyperfine',
    ['--export-json', out, '--style', 'none', script('hyperfine_serial.py'), script('hyperfine_pool2.py')],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`hyperfine failed: ${result.stderr}`);
  const [serial, pool] = (
    JSON.parse(readFileSync(out, 'utf8')) as { results: { mean: number; stddev: number; times: number[] }[] }
  ).results;
  // Its own mean and standard deviation: the ratio's interval by the delta method on log S.
  const cv2 = (r: { mean: number; stddev: number; times: number[] }): number =>
    (r.stddev / r.mean) ** 2 / r.times.length;
  const s2 = serial!.mean / pool!.mean;
  const half = 1.96 * Math.sqrt(cv2(serial!) + cv2(pool!));
  return { seconds, s2, ci95: [s2 * Math.exp(-half), s2 * Math.exp(half)] };
}

/**
 * Time to answer S(2) against hyperfine on two plain scripts, for passes of about 0.1 s, 1 s and 5 s, at equal
 * precision: hyperfine runs first at its defaults, then Amdahl is asked for the precision hyperfine reached, or
 * its default 5% where hyperfine's interval is narrower.
 */
async function timeToAnswer(lines: string[]): Promise<void> {
  const n = Math.min(runs, 5);
  const half = (ci: [number, number], s: number): number => (50 * (ci[1] - ci[0])) / s;
  const width = (ci: [number, number], s: number): string => `±${fmt(half(ci, s), 1)}%`;
  lines.push(
    `| workload (10 inputs, process pool) | hyperfine wall s, median of ${n} | its S(2) and interval | Amdahl --precision (median) | Amdahl wall s, median of ${n} | its S(2) and interval | Amdahl / hyperfine | target ≤ 0.5 |`,
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [fn, label] of [
    ['work_10ms', '~0.1 s serial pass'],
    ['work_100ms', '~1 s serial pass'],
    ['work_500ms', '~5 s serial pass'],
  ] as const) {
    const amdahl = [];
    const hyper = [];
    for (let i = 0; i < n; i++) {
      const h = hyperfineS2(fn);
      // Equal precision: no wider than hyperfine's interval, or the default 5% where hyperfine's is narrower.
      const precision = Math.max(5, Math.floor(half(h.ci95, h.s2) * 10) / 10);
      const args = [
        `${work}:${fn}`,
        '--workers',
        '2',
        '--backends',
        'process',
        '--precision',
        String(precision),
      ];
      const { report, seconds } = await profile(args);
      hyper.push(h);
      amdahl.push({ seconds, precision, s: point(report, 'process', 2).speedup });
    }
    const a = [...amdahl].sort((x, y) => x.seconds - y.seconds)[Math.floor(n / 2)]!;
    const h = [...hyper].sort((x, y) => x.seconds - y.seconds)[Math.floor(n / 2)]!;
    const ratio = a.seconds / h.seconds;
    // Met only at equal precision: a run stopped by its budget short of the asked interval does not count.
    const precise = half(a.s.ci95, a.s.mean) <= a.precision;
    lines.push(
      `| ${fn} (${label}) | ${fmt(h.seconds, 1)} | ${fmt(h.s2)} ${width(h.ci95, h.s2)} | ${fmt(median(amdahl.map((x) => x.precision)), 1)}% | ${fmt(a.seconds, 1)} | ${fmt(a.s.mean)} ${width(a.s.ci95, a.s.mean)} | ${fmt(ratio, 2)} | ${ratio <= 0.5 && precise ? 'met' : precise ? 'NOT met' : 'NOT met (interval wider than asked)'} |`,
    );
  }
  lines.push('');
}

async function main(): Promise<void> {
  const lines = [
    '## The answer: tiny tasks, busy machine, time to answer',
    '',
    `Command: \`npm run bench -- answer\` (python: ${python}, ${os.cpus().length} logical cores; AMDAHL_BENCH_RUNS=${runs}, AMDAHL_BENCH_BUSY_RUNS=${busyRuns})`,
    '',
  ];
  try {
    const sections = (process.env.AMDAHL_BENCH_SECTIONS ?? 'tiny,seed,busy,hyperfine').split(',');
    if (sections.includes('tiny')) await tinyTasks(lines);
    if (sections.includes('seed')) await seedSample(lines);
    if (sections.includes('busy')) await busyMachine(lines);
    if (sections.includes('hyperfine')) await timeToAnswer(lines);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
