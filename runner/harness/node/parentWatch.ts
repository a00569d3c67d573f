// Ends the Node.js harness when the runner is gone, even while a task keeps a worker thread busy: the main
// thread only relays messages, so a timer on it notices a new parent (the runner was killed) or the end of the
// command pipe, and then ends every process this run started (esbuild, the user's children) and itself.
import { RUN_ID_VARIABLE, sweepMarkedProcesses } from '../../profile/processSweep';

const WATCH_MS = 200;
const STDIN_GRACE_MS = 1000;

export function watchParent(): void {
  const parent = process.ppid;
  const gone = (): void => {
    const runId = process.env[RUN_ID_VARIABLE];
    if (runId) sweepMarkedProcesses(runId);
    process.exit(1);
  };
  setInterval(() => {
    if (process.ppid !== parent) gone();
  }, WATCH_MS).unref();
  // The end of the command pipe is handled by the command loop, which flushes the user's output first; this is
  // the backstop for a loop that is waiting on a busy task.
  process.stdin.once('end', () => setTimeout(gone, STDIN_GRACE_MS).unref());
}
