// Failures as data: the error codes of docs/contract.md, the shape a worker sends back, and how a thrown value
// from a worker thread or piscina is named.

import type { HarnessErrorCode } from '../../../protocol/codes';

/** A failure with a docs/contract.md code, turned into an `error` answer by the session. */
export class HarnessError extends Error {
  constructor(
    readonly code: HarnessErrorCode,
    message: string,
    readonly extra: { detail?: string; input?: number; recoverable?: boolean } = {},
  ) {
    super(message);
  }
}

/** A thrown value as it crosses a thread boundary: plain strings, the stack already source-mapped. */
export interface ErrorData {
  name: string;
  message: string;
  stack: string;
  code?: string;
}

export function errorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      name: error.name,
      message: error.message,
      stack: error.stack ?? `${error.name}: ${error.message}`,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  let text: string;
  try {
    text = String(error);
  } catch {
    text = Object.prototype.toString.call(error);
  }
  return { name: 'non-Error', message: `a non-Error value was thrown: ${text}`, stack: text };
}

/**
 * The exit code a pool worker ends with when piscina could not post a task's result (DataCloneError): piscina
 * rethrows that error uncaught in the worker, and its message does not survive the trip to the harness.
 */
export const CLONE_FAILED_EXIT_CODE = 213;

/** A value the structured-clone algorithm refused (DataCloneError), on either side of a postMessage. */
export function isCloneError(error: { name?: string; message?: string }): boolean {
  return error.name === 'DataCloneError' || /could not be cloned/.test(error.message ?? '');
}

export const CLONE_EXPLANATION =
  'worker threads pass arguments and results by the structured-clone algorithm (DataCloneError), which ' +
  'cannot copy functions, class instances with private state, symbols, promises, sockets or handles; ' +
  'return plain data (objects, arrays, numbers, strings, typed arrays, Maps, Sets) instead';

/**
 * Names how a worker thread ended, for a task that never answered: process.exit() in the task, or the V8
 * heap limit of resourceLimits (ERR_WORKER_OUT_OF_MEMORY).
 */
export function workerDeathMessage(error: ErrorData | null, exitCode: number | null): string {
  if (error?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory/i.test(error?.message ?? '')) {
    return 'the worker thread ran out of memory (ERR_WORKER_OUT_OF_MEMORY: it reached its V8 heap limit, resourceLimits.maxOldGenerationSizeMb)';
  }
  if (error && /worker exited with code/.test(error.message)) {
    return `the worker thread exited (${error.message.replace(/^.*worker exited/, 'worker exited')}; did the task call process.exit()?)`;
  }
  if (exitCode !== null) {
    return `the worker thread exited with code ${exitCode} (did the task call process.exit()?)`;
  }
  return `the worker thread died: ${error ? `${error.name}: ${error.message}` : 'no reason given'}`;
}
