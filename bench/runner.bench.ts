// The runner core's benchmarks, each a ratio against a baseline measured in the same run:
// instrumentation cost per task, agreement with an independent script, time to answer, hyperfine, Node RSS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../protocol/report';
import { speedupInterval } from '../runner/analysis/bootstrap';
import { runCliMeasured } from './cliProcess';

const root = path.resolve(__dirname, '..');
const seed = path.join(root, 'samples', 'seed', 'complex_operation.py');
const tiny = path.join(root, 'test', 'fixtures', 'cli', 'tiny.py');
const python = process.env.AMDAHL_BENCH_PYTHON ?? 'python3';
const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-bench-'));

interface Profiled {
  report: Report;
  wallSeconds: number;
  peakRssBytes: number;
}

/** Runs the CLI, timing it and sampling its peak RSS (VmHWM) until it exits. */
async function profileWithCli(args: string[]): Promise<Profiled> {
  const json = path.join(dir, `r${Date.now()}.json`);
  const run = await runCliMeasured(['profile', ...args, '--python', python, '--json', json, '--no-progress']);
  if (run.code !== 0) throw new Error(`amdahl ${args.join(' ')} exited ${run.code}`);
  return {
    report: JSON.parse(readFileSync(json, 'utf8')) as Report,
    wallSeconds: run.wallSeconds,
    peakRssBytes: run.peakRssBytes,
  };
}

function pythonJson<T>(script: string, args: string[]): T {
  const result = spawnSync(python, [path.join(root, 'bench', 'python', script), ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number, digits = 3): string => x.toFixed(digits);
const relativeHalfWidth = (ci: readonly [number, number], value: number): number =>
  (ci[1] - ci[0]) / 2 / value;

function point(report: Report, backend: string, workers: number) {
  const p = report.runs.find((r) => r.backend === backend)?.points.find((q) => q.workers === workers);
  if (!p) throw new Error(`no ${backend} k=${workers} point`);
  return p;
}

/** 1. Instrumentation cost: the profiler's counted pass against a bare Pool.map of the same tiny tasks. */
async function instrumentationCost(lines: string[]): Promise<void> {
  const n = 20000;
  const repeats = 15;
  const bare = pythonJson<number[]>('bare_pool_map.py', [tiny, 'tiny', String(n), '2', String(repeats)]);
  const tinyProfile = await profileWithCli([
    `${tiny}:tiny`,
    '--backends',
    'process',
    '--start-method',
    'fork',
    '--workers',
    '2',
    '--inputs',
    `range(${n})`,
    '--repeat',
    String(repeats),
  ]);
  const profiled = point(tinyProfile.report, 'process', 2).wallSeconds.samples;
  const extraPerTaskUs = ((median(profiled) - median(bare)) / n) * 1e6;
  lines.push(
    '| instrumentation cost | bare Pool.map median | profiled pass median | extra per task | target |',
    '|---|---|---|---|---|',
    `| ${n} tiny tasks, process pool k=2 (fork), ${repeats} passes each | ${fmt(median(bare), 4)} s | ${fmt(median(profiled), 4)} s | ${fmt(extraPerTaskUs, 2)} µs | ≤ 2 µs: ${extraPerTaskUs <= 2 ? 'met' : 'NOT met'} |`,
    '',
  );
}

type SeedProfile = Awaited<ReturnType<typeof profileWithCli>>;

/** 2. Agreement with an independent script, 3. time to answer and 5. memory, on the seed workload. */
async function seedWorkload(lines: string[]): Promise<SeedProfile> {
  const plain = pythonJson<{ serial: number[]; pool2: number[] }>('plain_speedup.py', [
    seed,
    'complex_operation',
    '10',
    '10',
  ]);
  const plainS2 = mean(plain.serial) / mean(plain.pool2);
  const seedProfile = await profileWithCli([
    `${seed}:complex_operation`,
    '--backends',
    'process',
    '--start-method',
    'fork',
    '--workers',
    '1,2',
  ]);
  const profS2 = point(seedProfile.report, 'process', 2).speedup.mean;
  const agreement = Math.abs(profS2 / plainS2 - 1);
  const counted = seedProfile.report.runs
    .flatMap((r) => r.points)
    .reduce((sum, p) => sum + p.wallSeconds.samples.reduce((a, b) => a + b, 0), 0);
  const answerRatio = seedProfile.wallSeconds / counted;
  const s2ci = point(seedProfile.report, 'process', 2).speedup.ci95;
  lines.push(
    '| seed workload (complex_operation, range(10)) | value | baseline | ratio | target |',
    '|---|---|---|---|---|',
    `| S(2), process pool (fork) | ${fmt(profS2)} [${fmt(s2ci[0])}, ${fmt(s2ci[1])}] | plain perf_counter script: ${fmt(plainS2)} | ${fmt(agreement * 100, 1)}% apart | ≤ 3%: ${agreement <= 0.03 ? 'met' : 'NOT met'} |`,
    `| time to answer | ${fmt(seedProfile.wallSeconds, 1)} s total | ${fmt(counted, 1)} s of counted passes | ${fmt(answerRatio, 2)}x | ≤ 1.2x: ${answerRatio <= 1.2 ? 'met' : 'NOT met'} |`,
    `| Node side peak RSS | ${fmt(seedProfile.peakRssBytes / 2 ** 20, 1)} MB | | | ≤ 100 MB: ${seedProfile.peakRssBytes <= 100 * 2 ** 20 ? 'met' : 'NOT met'} |`,
    '',
  );
  return seedProfile;
}

/**
 * 4. hyperfine answering "serial or 2 workers?" with whole programs, run until its S(2) interval is as narrow
 * as the one the profiler reached (or 60 runs of each), to compare the total time each needs for one answer.
 */
function hyperfineComparison(lines: string[], seedProfile: SeedProfile): void {
  const profS2 = point(seedProfile.report, 'process', 2).speedup.mean;
  const s2ci = point(seedProfile.report, 'process', 2).speedup.ci95;
  const hyperfine = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  if (hyperfine.status === 0) {
    const target = relativeHalfWidth(s2ci, profS2);
    const serialTimes: number[] = [];
    const poolTimes: number[] = [];
    let hfSeconds = 0;
    let hfS2 = 0;
    let width = Infinity;
    for (let runs = 5; width > target && serialTimes.length < 60; runs = serialTimes.length) {
      const hfJson = path.join(dir, `hyperfine-${serialTimes.length}.json`);
      const started = performance.now();
      const run = spawnSync(
        'hyperfine',
        [
          ...(serialTimes.length === 0 ? ['--warmup', '1'] : []),
          '--runs',
          String(runs),
          '--export-json',
          hfJson,
          '--style',
          'none',
          `${python} ${path.join(root, 'bench', 'python', 'hyperfine_serial.py')} ${seed} complex_operation`,
          `${python} ${path.join(root, 'bench', 'python', 'hyperfine_pool2.py')} ${seed} complex_operation`,
        ],
        { encoding: 'utf8' },
      );
      hfSeconds += (performance.now() - started) / 1000;
      if (run.status !== 0) throw new Error(`hyperfine failed: ${run.stderr}`);
      const results = (JSON.parse(readFileSync(hfJson, 'utf8')) as { results: { times: number[] }[] })
        .results;
      serialTimes.push(...results[0]!.times);
      poolTimes.push(...results[1]!.times);
      hfS2 = mean(serialTimes) / mean(poolTimes);
      width = relativeHalfWidth(speedupInterval(serialTimes, poolTimes), hfS2);
    }
    lines.push(
      '| serial vs 2 workers, one answer | S(2) [95% CI] | CI half-width | samples of each | total wall |',
      '|---|---|---|---|---|',
      `| amdahl (pools warm; start-up reported apart) | ${fmt(profS2)} [${fmt(s2ci[0])}, ${fmt(s2ci[1])}] | ${fmt(target * 100, 1)}% | ${point(seedProfile.report, 'process', 2).wallSeconds.samples.length} | ${fmt(seedProfile.wallSeconds, 1)} s |`,
      `| hyperfine (whole programs: interpreter and pool start-up in every sample) | ${fmt(hfS2)} | ${fmt(width * 100, 1)}% | ${serialTimes.length} | ${fmt(hfSeconds, 1)} s |`,
      '',
      `Ratio of total wall times, amdahl / hyperfine: ${fmt(seedProfile.wallSeconds / hfSeconds, 2)}x (amdahl's total also covers a k=1 pool, the warm-up passes and the overhead split).`,
      '',
    );
  } else {
    lines.push('hyperfine is not installed (Debian package `hyperfine`): comparison not run.', '');
  }
}

async function main(): Promise<void> {
  const lines: string[] = [
    '## Runner core',
    '',
    `Command: \`npm run bench -- runner\` (python: ${python}, ${os.cpus().length} logical cores, ${os.cpus()[0]?.model ?? ''})`,
    '',
  ];
  await instrumentationCost(lines);
  hyperfineComparison(lines, await seedWorkload(lines));
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
