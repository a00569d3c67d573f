// The shipped HarnessProcess (runner/profile/harnessProcess.ts) as the harness tests drive it: each command's
// typed answer, the harness's error answer or its loss as the value a test asserts on, and what it sent besides.
import assert from 'node:assert/strict';
import type {
  ErrorMessage,
  HarnessAnswer,
  HarnessCommand,
  HarnessOp,
  HelloMessage,
  PassMessage,
  TaskTiming,
} from '../../protocol/harness';
import { passColumns } from '../../runner/analysis/passTasks';
import {
  HarnessProcess,
  type ExitStatus,
  type HarnessLost,
  type HarnessSpec,
} from '../../runner/profile/harnessProcess';

export interface ClientOptions {
  /** How long request() waits for an answer unless told otherwise; on expiry the process group is killed. */
  requestTimeoutMs: number;
  helloTimeoutMs: number;
}

export class HarnessClient {
  readonly process: HarnessProcess;
  readonly hello: Promise<HelloMessage>;
  /** The task-start announcements of warm-up passes run in the harness process, in order. */
  readonly taskStarts: { id: string; input: number }[] = [];
  /** The runner's log lines about this harness: its own notes and any protocol trouble. */
  readonly log: string[] = [];

  constructor(
    spec: HarnessSpec,
    private readonly options: ClientOptions,
  ) {
    this.process = new HarnessProcess(spec, {
      helloTimeoutMs: options.helloTimeoutMs,
      log: (line) => this.log.push(line),
      taskStart: (start) => this.taskStarts.push(start),
    });
    this.hello = this.process.hello.then((reply) => {
      if (!reply.ok) throw new Error(`no hello: ${reply.error.message}; stderr:\n${this.stderr}`);
      return reply.value;
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get exited(): Promise<ExitStatus> {
    return this.process.exited;
  }

  /** The user's output the harness captured (bounded as the runner keeps it). */
  get stdout(): string {
    return this.process.stdout.text();
  }

  get stderr(): string {
    return this.process.stderr.text();
  }

  /** The command's answer, the harness's error answer, or the loss of the harness (a timeout kills it). */
  async request<Op extends HarnessOp>(
    command: HarnessCommand & { op: Op },
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<HarnessAnswer<Op> | ErrorMessage | HarnessLost> {
    await this.hello;
    const reply = await this.process.request<Op>(command, timeoutMs);
    return reply.ok ? reply.value : reply.error;
  }

  /** The command's answer, which must be its success message. */
  async expect<Op extends HarnessOp>(command: HarnessCommand & { op: Op }): Promise<HarnessAnswer<Op>> {
    await this.hello;
    const reply = await this.process.request<Op>(command, this.options.requestTimeoutMs);
    if (reply.ok) return reply.value;
    assert.fail(`${command.op} answered ${JSON.stringify(reply.error).slice(0, 2000)}\n${this.stderr}`);
  }

  /** The command's answer, which must be an error with this code and a message matching pattern. */
  async expectError(command: HarnessCommand, code: string, pattern: RegExp): Promise<ErrorMessage> {
    const error = await this.request(command);
    if (error.type !== 'error') assert.fail(`${command.op} answered ${JSON.stringify(error).slice(0, 2000)}`);
    assert.equal(error.code, code, JSON.stringify(error));
    assert.equal(error.op, command.op);
    assert.match(error.message, pattern);
    return error;
  }

  /** Closes the harness's stdin, as a runner that is gone would. */
  hangUp(): void {
    this.process.hangUp();
  }

  /** What the runner does on --timeout or at the end of a run: kills the whole process group. */
  kill(): Promise<ExitStatus> {
    this.process.killNow();
    return this.process.exited;
  }
}

/** A pass's tasks as the runner received them (joined from the harness's batches), one object per task. */
export function tasksOf(pass: PassMessage): TaskTiming[] {
  const columns = passColumns(pass);
  return Array.from(columns.worker, (w, i) => ({
    worker: columns.workers[w]!,
    input: columns.input[i]!,
    start: columns.start[i]!,
    end: columns.end[i]!,
    ...(columns.cpu ? { cpu: columns.cpu[i]! } : {}),
  }));
}
