// One backend harness process: starts it in a process group of its own, speaks protocol/harness.ts with it,
// captures the user's output, and kills the whole group on a timeout, a cancel or the end of the run. Each
// request's answer is typed by its command; an `error` answer and a lost harness come back as values.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  ANSWER_TYPE,
  HarnessMessage,
  type ErrorMessage,
  type HarnessAnswer,
  type HarnessCommand,
  type HarnessOp,
  type HelloMessage,
} from '../../protocol/harness';
import { TaskBatchCollector } from '../../protocol/taskBatches';
import { BoundedOutput } from './boundedOutput';
import { canSweep, RUN_ID_VARIABLE, sweepMarkedProcesses, type SweptProcess } from './processSweep';
import { cgroupOomKills, oomCause } from './memoryLimits';

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

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

/** The harness can no longer answer: it timed out (and was killed), exited, was cancelled, or broke protocol. */
export interface HarnessLost {
  type: 'lost';
  reason: 'timeout' | 'exited' | 'cancelled' | 'protocol';
  message: string;
  exit: ExitStatus | null;
  /** The input a harness-run warm-up pass had started when it died, if it said. */
  lastTaskStart: { id: string; input: number } | null;
  /** Killed by SIGKILL while the memory cgroup's OOM-kill counter rose: memory as the likely cause, in words. */
  memoryCause?: string;
}

/** A command's answer: its success message, or the harness's `error` answer, or the news that it is gone. */
export type HarnessReply<Op extends HarnessOp> =
  { ok: true; value: HarnessAnswer<Op> } | { ok: false; error: ErrorMessage | HarnessLost };

export type HelloReply = { ok: true; value: HelloMessage } | { ok: false; error: HarnessLost };

type Reply<M> = { ok: true; value: M } | { ok: false; error: ErrorMessage | HarnessLost };

function answerType<Op extends HarnessOp>(op: Op): (typeof ANSWER_TYPE)[Op] {
  return ANSWER_TYPE[op];
}

function isAnswer<T extends HarnessMessage['type']>(
  message: HarnessMessage,
  type: T,
): message is Extract<HarnessMessage, { type: T }> {
  return message.type === type;
}

function lost(
  reason: HarnessLost['reason'],
  message: string,
  exit: ExitStatus | null = null,
  lastTaskStart: HarnessLost['lastTaskStart'] = null,
): HarnessLost {
  return { type: 'lost', reason, message, exit, lastTaskStart };
}

const live = new Set<HarnessProcess>();
/** How long after the harness's exit its pipes may take to drain before they are dropped. */
const EXIT_GRACE_MS = 1000;

/** Kills every harness process group still running (used when the CLI is interrupted or exits). */
export function killAllHarnesses(): void {
  for (const harness of live) harness.killNow();
}

export interface HarnessOptions {
  /** How long the hello may take before the process group is killed. */
  helloTimeoutMs: number;
  /** Lines for the runner's log: the harness's own notes, and protocol trouble. */
  log: (line: string) => void;
  /** A task of a warm-up pass run in the harness process started: the input a crash would be blamed on. */
  taskStart?: (start: { id: string; input: number }) => void;
}

export class HarnessProcess {
  readonly stdout = new BoundedOutput();
  readonly stderr = new BoundedOutput();
  /** The harness's hello, or why it never came; the first thing to wait for. */
  readonly hello: Promise<HelloReply>;
  /** Settles once the process has exited and its pipes are drained. */
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly log: (line: string) => void;
  private exitStatus: ExitStatus | null = null;
  private lastTaskStart: { id: string; input: number } | null = null;
  /** Task batches of the pass in flight, joined into columns when its answer comes. */
  private readonly batches = new TaskBatchCollector();
  /** The answer being waited for (`hello` first, then one per command): answer() is false for a wrong one. */
  private waiting: {
    op: string;
    answer: (message: HarnessMessage) => boolean;
    lose: (error: HarnessLost) => void;
  } | null = null;
  private lost: HarnessLost | null = null;
  private killedFor: 'timeout' | 'cancelled' | null = null;
  /** The memory cgroup's OOM-kill counter when the harness started. */
  private readonly oomKillsAtStart = cgroupOomKills();
  /** Marks every process of this harness run (processSweep.ts), so escaped ones can be found. */
  private readonly runId = randomUUID();

  /** Starts the harness in a process group of its own; wait for `hello` before the first request. */
  constructor(
    private readonly spec: HarnessSpec,
    private readonly options: HarnessOptions,
  ) {
    this.log = options.log;
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
    this.exited = this.watchExit();
    this.hello = this.awaitHello(options.helloTimeoutMs);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends one command and waits for its answer, typed by the command; on expiry the process group is killed. */
  request<Op extends HarnessOp>(
    command: HarnessCommand & { op: Op },
    timeoutMs: number,
  ): Promise<HarnessReply<Op>> {
    const op: Op = command.op;
    if (!this.lost) this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return this.await(answerType(op), op, timeoutMs);
  }

  /** Closes the harness's stdin, as a runner that is gone would: the harness closes its pools and exits. */
  hangUp(): void {
    this.child.stdin!.end();
  }

  /** Cancels whatever is running: the group is killed and the pending request fails as cancelled. */
  cancel(): void {
    this.killedFor = 'cancelled';
    this.killNow();
  }

  /** Asks the harness to exit, then makes sure nothing of its process group is left. */
  async close(timeoutMs: number): Promise<void> {
    // Lost already or not: a harness that does not answer is killed below.
    if (!this.lost && !this.exitStatus) await this.request({ op: 'exit' }, timeoutMs);
    if (!this.exitStatus) {
      const graceful = await Promise.race([this.exited, delay(2000).then(() => null)]);
      if (!graceful) this.killNow();
    }
    await this.exited;
  }

  killNow(): void {
    this.killGroup();
    if (this.exitStatus === null) this.child.kill('SIGKILL');
    this.sweepEscaped();
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

  /** Ends the processes of this run outside its process group (killed as one already), and says so. */
  private sweepEscaped(): void {
    const escaped = sweepMarkedProcesses(this.runId).filter((p) => p.pgid !== this.child.pid);
    if (escaped.length > 0) this.spec.onEscaped?.({ processes: escaped, ended: true });
  }

  /** Stops reading the harness's pipes: only processes that escaped it can still hold them. */
  private dropPipes(): void {
    for (const stream of this.child.stdio) stream?.destroy();
  }

  private async awaitHello(timeoutMs: number): Promise<HelloReply> {
    const reply = await this.await('hello', 'start', timeoutMs);
    if (reply.ok) return reply;
    // An error answer before the hello breaks the protocol as much as any other message would.
    return { ok: false, error: reply.error.type === 'lost' ? reply.error : this.broken('start', 'error') };
  }

  /** Waits for the message of `type` (or an error answer, or the loss of the harness), at most timeoutMs. */
  private await<T extends HarnessMessage['type']>(
    type: T,
    op: string,
    timeoutMs: number,
  ): Promise<Reply<Extract<HarnessMessage, { type: T }>>> {
    if (this.lost) return Promise.resolve({ ok: false, error: this.lost });
    if (this.waiting) throw new Error('harness request while another is in flight');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.killedFor = 'timeout';
        this.killNow();
      }, timeoutMs);
      const done = (reply: Reply<Extract<HarnessMessage, { type: T }>>): void => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.waiting = {
        op,
        answer: (message) => {
          if (isAnswer(message, type)) done({ ok: true, value: message });
          else if (message.type === 'error') done({ ok: false, error: message });
          else return false;
          return true;
        },
        lose: (error) => done({ ok: false, error }),
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
      this.fail(lost('protocol', `${this.spec.name} sent a malformed message`));
      this.killNow();
      return;
    }
    this.deliver(checked.data);
  }

  private deliver(message: HarnessMessage): void {
    if (message.type === 'task-start') {
      this.lastTaskStart = { id: message.id, input: message.input };
      this.options.taskStart?.(this.lastTaskStart);
      return;
    }
    const mismatch = message.type === 'tasks' ? this.batches.add(message) : this.attachBatches(message);
    if (mismatch) {
      this.log(`[amdahl] ${this.spec.name}: ${mismatch}`);
      this.fail(lost('protocol', `${this.spec.name} sent task batches that do not add up: ${mismatch}`));
      this.killNow();
      return;
    }
    if (message.type === 'tasks') return;
    const waiting = this.waiting;
    if (!waiting) {
      this.log(`[amdahl] ${this.spec.name}: unexpected ${message.type} message`);
      return;
    }
    this.lastTaskStart = null;
    this.waiting = null;
    if (waiting.answer(message)) return;
    this.waiting = waiting;
    this.fail(this.broken(waiting.op, message.type));
    this.killNow();
  }

  /** Joins the task batches that came before a pass (or an opened pool's warm-up pass) into its columns. */
  private attachBatches(message: HarnessMessage): string | null {
    if (message.type === 'pass') return this.batches.attach(message);
    if (message.type === 'opened') return this.batches.attach(message.warmup);
    if (message.type === 'error') this.batches.clear();
    return null;
  }

  /** A protocol loss: the harness answered `op` with a message of the wrong type. */
  private broken(op: string, type: string): HarnessLost {
    return this.lost ?? lost('protocol', `${this.spec.name} answered ${op} with a ${type} message`);
  }

  private watchExit(): Promise<ExitStatus> {
    return new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.exitStatus = { code: null, signal: null };
        live.delete(this);
        this.fail(lost('exited', `${this.spec.name} could not be started: ${error.message}`));
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
        this.fail(this.lostOnExit(this.exitStatus));
        resolve(this.exitStatus);
      };
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.killGroup();
        this.sweepEscaped();
        setTimeout(() => {
          if (!closed && !canSweep) this.spec.onEscaped?.({ processes: [], ended: false });
          settle();
        }, EXIT_GRACE_MS).unref();
      });
      this.child.on('close', () => {
        closed = true;
        settle();
      });
    });
  }

  private lostOnExit(exit: ExitStatus): HarnessLost {
    if (this.killedFor === 'timeout') return lost('timeout', 'timed out', exit, this.lastTaskStart);
    if (this.killedFor === 'cancelled') return lost('cancelled', 'cancelled', exit, this.lastTaskStart);
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const memoryCause = exit.signal === 'SIGKILL' ? oomCause(this.oomKillsAtStart) : null;
    const gone = lost('exited', `the ${this.spec.name} process ${how}`, exit, this.lastTaskStart);
    return memoryCause ? { ...gone, message: `${gone.message}, ${memoryCause}`, memoryCause } : gone;
  }

  private fail(error: HarnessLost): void {
    if (!this.lost) this.lost = error;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.lose(this.lost);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
