// One backend harness process: starts it in a process group of its own, speaks protocol/harness.ts with it,
// captures the user's output, and kills the whole group on a timeout, a cancel or the end of the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { HarnessMessage, type HarnessCommand, type HelloMessage } from '../../protocol/harness';
import { BoundedOutput } from './boundedOutput';
import { canSweep, RUN_ID_VARIABLE, sweepMarkedProcesses, type SweptProcess } from './processSweep';

export interface HarnessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A name for messages: "python3", "node". */
  name: string;
  /**
   * Told once the harness has exited, of processes it started that outlived it: on Linux they were found and
   * ended (`ended`); elsewhere only that something still held its output (`ended` false, no processes named).
   */
  onEscaped?: (escaped: { processes: SweptProcess[]; ended: boolean }) => void;
}

/** The harness can no longer answer: it timed out (and was killed), exited, was cancelled, or broke protocol. */
export class HarnessLost extends Error {
  constructor(
    readonly reason: 'timeout' | 'exited' | 'cancelled' | 'protocol',
    message: string,
    readonly exit: { code: number | null; signal: NodeJS.Signals | null } | null,
    /** The input a harness-run warm-up pass had started when it died, if it said. */
    readonly lastTaskStart: { id: string; input: number } | null,
  ) {
    super(message);
  }
}

const live = new Set<HarnessProcess>();
/** How long after the harness's exit its pipes may take to drain before they are dropped. */
const EXIT_GRACE_MS = 1000;

/** Kills every harness process group still running (used when the CLI is interrupted or exits). */
export function killAllHarnesses(): void {
  for (const harness of live) harness.killNow();
}

type Answer = Exclude<HarnessMessage, { type: 'hello' } | { type: 'task-start' }>;

export class HarnessProcess {
  readonly stdout = new BoundedOutput();
  readonly stderr = new BoundedOutput();
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private lastTaskStart: { id: string; input: number } | null = null;
  private waiting: { resolve: (m: Answer) => void; reject: (e: HarnessLost) => void } | null = null;
  private helloWaiter: ((m: HelloMessage) => void) | null = null;
  private lost: HarnessLost | null = null;
  private killedFor: 'timeout' | 'cancelled' | null = null;
  /** Marks every process of this harness run (processSweep.ts), so escaped ones can be found. */
  private readonly runId = randomUUID();

  private constructor(
    private readonly spec: HarnessSpec,
    private readonly log: (line: string) => void,
  ) {
    this.child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...spec.env, [RUN_ID_VARIABLE]: this.runId },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    this.child.stdout!.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.startsWith('[amdahl-harness]')) this.log(line);
      }
    });
    this.child.stdin!.on('error', () => undefined);
    const channel = this.child.stdio[3] as Readable;
    createInterface({ input: channel, crlfDelay: Infinity }).on('line', (line) => this.receive(line));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.exitStatus = { code: null, signal: null };
        live.delete(this);
        this.fail(
          new HarnessLost('exited', `${spec.name} could not be started: ${error.message}`, null, null),
        );
        resolve(this.exitStatus);
      });
      // Answers written just before exiting are still in the pipe at 'exit': settle on 'close', once the
      // rest of the group and the escaped processes are killed and the pipes drained. Processes that escaped
      // where they cannot be found may hold the pipes for ever: then settle shortly after the exit anyway and
      // drop the pipes, so nothing waits on them.
      let closed = false;
      const settle = (): void => {
        if (!this.exitStatus || live.has(this) === false) return;
        live.delete(this);
        if (!closed) this.dropPipes();
        this.fail(this.lostOnExit(this.exitStatus.code, this.exitStatus.signal));
        resolve(this.exitStatus);
      };
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.killGroup();
        const escaped = sweepMarkedProcesses(this.runId);
        if (escaped.length > 0) spec.onEscaped?.({ processes: escaped, ended: true });
        setTimeout(() => {
          if (!closed && !canSweep) spec.onEscaped?.({ processes: [], ended: false });
          settle();
        }, EXIT_GRACE_MS).unref();
      });
      this.child.on('close', () => {
        closed = true;
        settle();
      });
    });
  }

  /** Starts the harness and waits for its hello. */
  static async start(
    spec: HarnessSpec,
    timeoutMs: number,
    log: (line: string) => void,
  ): Promise<{ harness: HarnessProcess; hello: HelloMessage }> {
    const harness = new HarnessProcess(spec, log);
    const hello = await harness.waitForHello(timeoutMs);
    return { harness, hello };
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one command and waits for its answer; on expiry the process group is killed. */
  request(command: HarnessCommand, timeoutMs: number): Promise<Answer> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.waiting) throw new Error('harness request while another is in flight');
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.killedFor = 'timeout';
        this.killNow();
      }, timeoutMs);
      this.waiting = {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    });
  }

  /** Cancels whatever is running: the group is killed and the pending request fails as cancelled. */
  cancel(): void {
    this.killedFor = 'cancelled';
    this.killNow();
  }

  /** Asks the harness to exit, then makes sure nothing of its process group is left. */
  async close(timeoutMs: number): Promise<void> {
    if (!this.lost && !this.exitStatus) {
      try {
        await this.request({ op: 'exit' }, timeoutMs);
      } catch {
        // Lost already: the exit handler has killed the group.
      }
    }
    if (!this.exitStatus) {
      const graceful = await Promise.race([this.exited, delay(2000).then(() => null)]);
      if (!graceful) this.killNow();
    }
    await this.exited;
  }

  killNow(): void {
    this.killGroup();
    if (this.exitStatus === null) this.child.kill('SIGKILL');
    const escaped = sweepMarkedProcesses(this.runId).filter((p) => p.pid !== this.child.pid);
    if (escaped.length > 0) this.spec.onEscaped?.({ processes: escaped, ended: true });
  }

  private killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is empty already.
    }
  }

  /** Stops reading the harness's pipes: only processes that escaped it can still hold them. */
  private dropPipes(): void {
    for (const stream of this.child.stdio) stream?.destroy();
  }

  private waitForHello(timeoutMs: number): Promise<HelloMessage> {
    return new Promise<HelloMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.killedFor = 'timeout';
        this.killNow();
      }, timeoutMs);
      this.helloWaiter = (hello) => {
        clearTimeout(timer);
        resolve(hello);
      };
      this.waiting = {
        resolve: () => undefined,
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  private receive(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.log(`[amdahl] ${this.spec.name}: not JSON on the channel: ${line.slice(0, 200)}`);
      return;
    }
    const checked = HarnessMessage.safeParse(parsed);
    if (!checked.success) {
      this.log(
        `[amdahl] ${this.spec.name}: malformed message ${line.slice(0, 300)}: ${checked.error.message}`,
      );
      this.fail(new HarnessLost('protocol', `${this.spec.name} sent a malformed message`, null, null));
      this.killNow();
      return;
    }
    const message = checked.data;
    switch (message.type) {
      case 'hello': {
        const waiter = this.helloWaiter;
        this.helloWaiter = null;
        this.waiting = null;
        waiter?.(message);
        return;
      }
      case 'task-start':
        this.lastTaskStart = { id: message.id, input: message.input };
        return;
      default: {
        const waiting = this.waiting;
        this.waiting = null;
        this.lastTaskStart = null;
        if (waiting) waiting.resolve(message);
        else this.log(`[amdahl] ${this.spec.name}: unexpected ${message.type} message`);
      }
    }
  }

  private lostOnExit(code: number | null, signal: NodeJS.Signals | null): HarnessLost {
    const exit = { code, signal };
    if (this.killedFor === 'timeout')
      return new HarnessLost('timeout', 'timed out', exit, this.lastTaskStart);
    if (this.killedFor === 'cancelled')
      return new HarnessLost('cancelled', 'cancelled', exit, this.lastTaskStart);
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return new HarnessLost('exited', `the ${this.spec.name} process ${how}`, exit, this.lastTaskStart);
  }

  private fail(error: HarnessLost): void {
    if (!this.lost) this.lost = error;
    const waiting = this.waiting;
    this.waiting = null;
    this.helloWaiter = null;
    waiting?.reject(this.lost);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
