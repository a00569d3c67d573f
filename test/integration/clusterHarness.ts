// A Python harness process driven over its protocol, and the real Dask and IPython Parallel clusters the cluster
// backend tests start on 127.0.0.1: every process carries a marker in its environment so none is left behind.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { HarnessMessage, type HarnessCommand, type HelloMessage } from '../../protocol/harness';
import { processesWithMarker, repoRoot } from './cliRunner';

export const entry = path.join(repoRoot, 'runner', 'python', 'amdahl_harness.py');
export const clusterFixtures = path.join(repoRoot, 'test', 'fixtures', 'cluster');
/** Debian's python3-distributed, -ipyparallel and -joblib serve this interpreter only. */
export const debianPython = '/usr/bin/python3';

type Message = HarnessMessage;

/** One harness process: sends commands, validates every answer against the protocol schema. */
export class Harness {
  readonly marker = randomUUID();
  readonly child: ChildProcess;
  readonly hello: Promise<HelloMessage>;
  stderr = '';
  private readonly queue: Message[] = [];
  private waiter: ((message: Message | null) => void) | null = null;
  private closed = false;

  constructor(python = debianPython) {
    const env: NodeJS.ProcessEnv = { ...process.env, AMDAHL_TEST_MARKER: this.marker };
    this.child = spawn(python, ['-X', 'faulthandler', entry], {
      cwd: clusterFixtures,
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.resume();
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdin!.on('error', () => undefined);
    createInterface({ input: this.child.stdio[3] as Readable, crlfDelay: Infinity })
      .on('line', (line) => this.receive(line))
      .on('close', () => {
        this.closed = true;
        this.waiter?.(null);
      });
    this.hello = this.next(30_000).then((message) => {
      if (message.type !== 'hello') throw new Error(`the first message is ${message.type}, not hello`);
      return message;
    });
  }

  private receive(line: string): void {
    const parsed = HarnessMessage.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `not a protocol message: ${line.slice(0, 500)}`);
    if (parsed.data.type === 'task-start') return;
    if (this.waiter) this.waiter(parsed.data);
    else this.queue.push(parsed.data);
  }

  private next(timeoutMs: number): Promise<Message> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(new Error(`harness channel closed\n${this.stderr}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        this.kill();
        reject(new Error(`no answer within ${timeoutMs} ms\n${this.stderr}`));
      }, timeoutMs);
      this.waiter = (message) => {
        clearTimeout(timer);
        this.waiter = null;
        if (message) resolve(message);
        else reject(new Error(`harness channel closed\n${this.stderr}`));
      };
    });
  }

  async request(command: HarnessCommand, timeoutMs = 180_000): Promise<Message> {
    await this.hello;
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return this.next(timeoutMs);
  }

  async expect<T extends Message['type']>(
    command: HarnessCommand,
    type: T,
  ): Promise<Extract<Message, { type: T }>> {
    const answer = await this.request(command);
    assert.equal(
      answer.type,
      type,
      `${command.op} answered ${JSON.stringify(answer).slice(0, 2000)}\n${this.stderr}`,
    );
    return answer as Extract<Message, { type: T }>;
  }

  async expectError(command: HarnessCommand, code: string, pattern: RegExp) {
    const answer = await this.expect(command, 'error');
    assert.equal(answer.code, code, JSON.stringify(answer));
    assert.match(answer.message, pattern);
    return answer;
  }

  async exit(): Promise<{ code: number | null; leftovers: number[] }> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.on('exit', (code) => resolve(code));
    });
    if (!this.closed) await this.expect({ op: 'exit' }, 'bye');
    const code = await exited;
    return { code, leftovers: await processesWithMarker(this.marker) };
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/** Runs body with a fresh harness, then checks it exits 0 and leaves no process behind (local clusters too). */
export async function withHarness(body: (h: Harness) => Promise<void>, python = debianPython): Promise<void> {
  const harness = new Harness(python);
  try {
    await body(harness);
    const { code, leftovers } = await harness.exit();
    assert.equal(code, 0, harness.stderr);
    assert.deepEqual(leftovers, [], 'processes left behind');
  } finally {
    harness.kill();
  }
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
