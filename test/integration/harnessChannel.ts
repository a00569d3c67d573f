// The test side of the runner<->harness protocol (protocol/harness.ts), shared by the clients of the Python and
// the Node.js harness: commands as JSON lines on stdin, every answer on fd 3 validated against the schema,
// task-start announcements kept apart, the user's stdout and stderr collected.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { HarnessMessage, type HarnessCommand, type HelloMessage } from '../../protocol/harness';

export interface ChannelOptions {
  /** How long request() waits for an answer unless told otherwise. */
  requestTimeoutMs: number;
  helloTimeoutMs: number;
  /** Kill the process when an answer does not come in time (else leave that to the test). */
  killOnTimeout: boolean;
}

export class HarnessChannel {
  readonly hello: Promise<HelloMessage>;
  readonly taskStarts: { id: string; input: number }[] = [];
  stdout = '';
  stderr = '';
  private readonly queue: HarnessMessage[] = [];
  private waiter: ((message: HarnessMessage | null) => void) | null = null;
  private closed = false;

  /** child was spawned with stdio ['pipe', 'pipe', 'pipe', 'pipe']. */
  constructor(
    readonly child: ChildProcess,
    private readonly options: ChannelOptions,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stdin!.on('error', () => undefined);
    createInterface({ input: child.stdio[3] as Readable, crlfDelay: Infinity })
      .on('line', (line) => this.receive(line))
      .on('close', () => {
        this.closed = true;
        this.waiter?.(null);
      });
    this.hello = this.next(options.helloTimeoutMs).then((message) => {
      if (message.type !== 'hello') throw new Error(`the first message is ${message.type}, not hello`);
      return message;
    });
  }

  /** The harness closed its end of fd 3 (it exited, or is exiting). */
  get isClosed(): boolean {
    return this.closed;
  }

  private receive(line: string): void {
    const parsed = HarnessMessage.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `not a protocol message: ${line.slice(0, 500)}`);
    const message = parsed.data;
    if (message.type === 'task-start') {
      this.taskStarts.push({ id: message.id, input: message.input });
      return;
    }
    if (this.waiter) this.waiter(message);
    else this.queue.push(message);
  }

  next(timeoutMs: number): Promise<HarnessMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(new Error(`the harness channel closed; stderr:\n${this.stderr}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        if (this.options.killOnTimeout) this.kill();
        reject(new Error(`no answer in ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiter = (message) => {
        clearTimeout(timer);
        this.waiter = null;
        if (message) resolve(message);
        else reject(new Error(`the harness channel closed; stderr:\n${this.stderr}`));
      };
    });
  }

  async request(command: HarnessCommand, timeoutMs = this.options.requestTimeoutMs): Promise<HarnessMessage> {
    await this.hello;
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return this.next(timeoutMs);
  }

  async expect<T extends HarnessMessage['type']>(
    command: HarnessCommand,
    type: T,
  ): Promise<Extract<HarnessMessage, { type: T }>> {
    const answer = await this.request(command);
    assert.equal(
      answer.type,
      type,
      `${command.op} answered ${JSON.stringify(answer).slice(0, 2000)}\n${this.stderr}`,
    );
    return answer as Extract<HarnessMessage, { type: T }>;
  }

  async expectError(command: HarnessCommand, code: string, pattern: RegExp) {
    const answer = await this.expect(command, 'error');
    assert.equal(answer.code, code, JSON.stringify(answer));
    assert.equal(answer.op, command.op);
    assert.match(answer.message, pattern);
    return answer;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
