// The Node.js backend harness (dist/js-harness.js): reads commands as JSON lines on stdin, answers on fd 3,
// one answer per command, in order. User output from the target goes to stdout/stderr untouched.
import { createInterface } from 'node:readline';
import { HarnessCommand, type ErrorMessage } from '../../../protocol/harness';
import { log, send, sendAnswer } from './channel';
import { errorData, HarnessError } from './failures';
import { hello } from './environment';
import { watchParent } from './parentWatch';
import { Session } from './session';

function errorAnswer(op: string, id: string | undefined, error: unknown): ErrorMessage {
  if (error instanceof HarnessError) {
    return {
      type: 'error',
      op,
      ...(id === undefined ? {} : { id }),
      code: error.code,
      message: error.message,
      ...(error.extra.detail === undefined ? {} : { detail: error.extra.detail }),
      ...(error.extra.input === undefined ? {} : { input: error.extra.input }),
      recoverable: error.extra.recoverable ?? true,
    };
  }
  const data = errorData(error);
  return {
    type: 'error',
    op,
    ...(id === undefined ? {} : { id }),
    code: 'harness-error',
    message: `The Node.js harness failed: ${data.name}: ${data.message}.`,
    detail: data.stack,
    recoverable: false,
  };
}

async function main(): Promise<void> {
  watchParent();
  send(hello());
  const session = new Session();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // Commands run one at a time, in order: the runner waits for each answer before the next command.
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      send(
        errorAnswer(
          'unknown',
          undefined,
          new HarnessError('bad-command', `Not a JSON command: ${line.slice(0, 80)}`),
        ),
      );
      continue;
    }
    const parsed = HarnessCommand.safeParse(raw);
    if (!parsed.success) {
      const op = (raw as { op?: unknown })?.op;
      send(
        errorAnswer(
          typeof op === 'string' ? op : 'unknown',
          undefined,
          new HarnessError(
            'bad-command',
            `Bad command: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
          ),
        ),
      );
      continue;
    }
    const command = parsed.data;
    const id =
      command.op === 'pass' || command.op === 'close'
        ? command.id
        : command.op === 'open'
          ? command.config.id
          : undefined;
    try {
      sendAnswer(await session.handle(command));
    } catch (error) {
      send(errorAnswer(command.op, id, error));
    }
    if (command.op === 'exit') await exitFlushed();
  }
  // stdin closed without exit: the runner is gone, so end everything.
  await session.shutdown();
  await exitFlushed();
}

/** Exits once the user's output (worker threads write it through this thread's stdout) is out of the pipes. */
async function exitFlushed(): Promise<never> {
  await Promise.all(
    [process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))),
  );
  process.exit(0);
}

// A stray rejection or throw from user code running on this thread must not take the protocol down silently.
process.on('uncaughtException', (error) => log(`uncaught: ${errorData(error).stack}`));
process.on('unhandledRejection', (error) => log(`unhandled rejection: ${errorData(error).stack}`));

main().catch((error: unknown) => {
  log(`fatal: ${errorData(error).stack}`);
  process.exit(1);
});
