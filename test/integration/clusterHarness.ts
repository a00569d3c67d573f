// A Python harness process driven over its protocol, and the real Dask and IPython Parallel clusters the cluster
// backend tests start on 127.0.0.1: every process carries a marker in its environment so none is left behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { processesWithMarker, repoRoot } from './cliRunner';
import type { PassMessage } from '../../protocol/harness';
import { PythonHarness, runHarness } from './pythonHarnessClient';
import { tasksOf } from './harnessClient';

export const clusterFixtures = path.join(repoRoot, 'test', 'fixtures', 'cluster');
/** Debian's python3-distributed, -ipyparallel and -joblib serve this interpreter only. */
export const debianPython = '/usr/bin/python3';

export type Harness = PythonHarness;

/** A harness in the cluster fixtures' folder. Clusters start in seconds and their first tasks ship the function:
 * answers can take minutes on 2 cores. */
export function clusterHarness(python = debianPython): Harness {
  return new PythonHarness(python, { cwd: clusterFixtures, requestTimeoutMs: 180_000 });
}

/** Runs body with a fresh harness, then checks it exits 0 and leaves no process behind (local clusters too). */
export async function withHarness(body: (h: Harness) => Promise<void>, python = debianPython): Promise<void> {
  await runHarness(clusterHarness(python), body);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Processes started for a test cluster; stop() kills them all, whatever state the test left them in. */
export class TestCluster {
  readonly marker = randomUUID();
  readonly children: ChildProcess[] = [];
  readonly logs: string[] = [];

  start(args: string[]): ChildProcess {
    const child = spawn(debianPython, args, {
      env: { ...process.env, AMDAHL_TEST_MARKER: this.marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const index = this.logs.push('') - 1;
    const keep = (chunk: Buffer) => (this.logs[index] += chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.children.push(child);
    return child;
  }

  async waitForLog(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const index = this.children.indexOf(child);
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.logs[index]!)) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${this.logs[index]}`);
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.logs[index]}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILLs every process carrying this cluster's marker (engines started by ipcluster included). */
  async stop(): Promise<number[]> {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const pid of await processesWithMarker(this.marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    return processesWithMarker(this.marker);
  }
}

export function tempDirectory(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitForFile(file: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return readFileSync(file, 'utf8');
}

/** Sleep tasks of exact length and what an engine may add: the tolerance on each nap and the dispatch per task. */
export interface Naps {
  count: number;
  seconds: number;
  slack: number;
  dispatch: number;
}

/**
 * `naps.count` naps on exactly `workers`: each nap `naps.seconds` long, one at a time per worker, inside [P2, P4]; k
 * workers need at least ceil(n / k) naps of wall time, and the engine's dispatch on top stays bounded.
 */
export function assertNaps(pass: PassMessage, workers: string[], naps: Naps): void {
  const tasks = tasksOf(pass);
  assert.deepEqual(
    tasks.map((t) => t.input).sort((a, b) => a - b),
    [...Array(naps.count).keys()],
  );
  const byWorker = new Map<string, number[][]>();
  for (const task of tasks) {
    const seconds = task.end - task.start;
    assert.ok(
      seconds >= naps.seconds && seconds < naps.seconds + naps.slack,
      `task ${task.input} took ${seconds} s`,
    );
    assert.ok(task.start >= pass.mapStart && task.end <= pass.resultsIn, 'tasks lie inside [P2, P4]');
    assert.ok(task.cpu !== undefined && task.cpu < 0.02, `a sleeping task used ${task.cpu} s of CPU`);
    byWorker.set(task.worker, [...(byWorker.get(task.worker) ?? []), [task.start, task.end]]);
  }
  assert.deepEqual([...byWorker.keys()].sort(), [...workers].sort());
  for (const spans of byWorker.values()) {
    spans.sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < spans.length; i++)
      assert.ok(spans[i]![0]! >= spans[i - 1]![1]!, 'one task at a time');
  }
  const k = workers.length;
  const wall = pass.resultsIn - pass.mapStart;
  const floor = Math.ceil(naps.count / k) * naps.seconds;
  assert.ok(wall >= floor - 0.005, `${k} workers took ${wall} s, under the ${floor} s floor`);
  assert.ok(wall < floor + naps.count * naps.dispatch, `${k} workers took ${wall} s`);
}
