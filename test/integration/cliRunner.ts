// Runs the built CLI the way a user does, and checks afterwards that no process of that run is left.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseReport, type Report } from '../../protocol/report';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const cliFixtures = path.join(repoRoot, 'test', 'fixtures', 'cli');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report | null;
  seconds: number;
  /** Processes still alive after the CLI exited that carry this run's marker. */
  leftovers: number[];
}

export async function runCli(
  args: string[],
  options: {
    timeoutMs?: number;
    cwd?: string;
    interruptAfterMs?: number;
    interruptSignal?: NodeJS.Signals;
    /** false: the arguments name their own --json (the report is then not read back). */
    readReport?: boolean;
    /** The CLI's command: profile (default), or record (given the arguments as they are). */
    command?: 'profile' | 'record';
    env?: NodeJS.ProcessEnv;
    /** A cgroup's cgroup.procs: the CLI is moved into it as soon as it is started, before it starts a harness. */
    cgroupProcs?: string;
  } = {},
): Promise<CliResult> {
  const marker = randomUUID();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-cli-'));
  const json = path.join(dir, 'report.json');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    options.command === 'record'
      ? [path.join(repoRoot, 'bin', 'amdahl.js'), 'record', ...args]
      : [
          path.join(repoRoot, 'bin', 'amdahl.js'),
          'profile',
          ...args,
          ...(options.readReport === false ? [] : ['--json', json]),
          '--no-progress',
        ],
    {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env, AMDAHL_TEST_MARKER: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (options.cgroupProcs !== undefined) writeFileSync(options.cgroupProcs, String(child.pid));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    if (options.interruptAfterMs !== undefined)
      setTimeout(() => child.kill(options.interruptSignal ?? 'SIGINT'), options.interruptAfterMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const seconds = (Date.now() - started) / 1000;
  let report: Report | null = null;
  try {
    const parsed = parseReport(JSON.parse(readFileSync(json, 'utf8')));
    if (!parsed.ok) throw new Error(parsed.error);
    report = parsed.value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { code, stdout, stderr, report, seconds, leftovers: await processesWithMarker(marker) };
}

/** Pids of live processes whose environment holds the marker (given a moment for killed ones to go). */
export async function processesWithMarker(marker: string): Promise<number[]> {
  let found: number[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    found = markedPids(marker);
    if (found.length === 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return found;
}

/** Pids of the live processes whose environment holds the marker, now. */
export function markedPids(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker) && !isZombie(entry))
        found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

function isZombie(pid: string): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\)/, ''));
  } catch {
    return true;
  }
}

export function point(report: Report, backend: string, workers: number, fn?: string) {
  const run = report.runs.find(
    (r) => r.backend === backend && (fn === undefined || r.target.function === fn),
  );
  if (!run) throw new Error(`no ${backend} run in the report`);
  const found = run.points.find((p) => p.workers === workers);
  if (!found) throw new Error(`no k=${workers} point for ${backend}`);
  return found;
}

/** An analytic value, met within a relative tolerance. */
export function assertWithin(actual: number, expected: number, relative: number, what: string): void {
  if (!(Math.abs(actual - expected) <= relative * Math.abs(expected)))
    throw new Error(`${what} = ${actual}, expected ${expected} within ${relative * 100}%`);
}
