// The harness's answer channel: one JSON line per message on file descriptor 3, never on stdout (user output).
import { writeSync } from 'node:fs';
import type { HarnessMessage, PassMessage } from '../../../protocol/harness';
import { batchedPass, taskBatches } from '../../../protocol/taskBatches';

const CHANNEL_FD = 3;

/** Writes one message synchronously, so an answer is out before any exit that follows it. */
export function send(message: HarnessMessage): void {
  const data = Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(CHANNEL_FD, data, offset);
    } catch (error) {
      // The runner's end is a non-blocking socket: a full buffer is EAGAIN; wait a moment and write the rest.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Sends an answer; a pass's tasks (a counted pass's, or an opened pool's warm-up pass's) go first in batches. */
export function sendAnswer(message: HarnessMessage): void {
  if (message.type === 'pass') send(withBatches(message));
  else if (message.type === 'opened') send({ ...message, warmup: withBatches(message.warmup) });
  else send(message);
}

function withBatches<P extends PassMessage>(pass: P): P {
  if (pass.tasks.length === 0) return pass;
  for (const batch of taskBatches(pass)) send(batch);
  return batchedPass(pass);
}

/** A diagnostic line for the runner's log (stderr lines with this prefix are logged, not shown as user output). */
export function log(line: string): void {
  process.stderr.write(`[amdahl-harness] ${line}\n`);
}

/** Seconds on this thread's clock; every thread converts with its own timeOrigin, so the values compare. */
export function now(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}
