// The sentences a measurement's failures are reported in: one place for their wording, codes and scopes.
import type { ErrorMessage } from '../../protocol/harness';
import type { Message } from '../../protocol/report';
import type { HarnessLost } from './harnessProcess';
import { constants as osConstants } from 'node:os';

/** Creating pools and closing them is not a "pass", but must not hang either. */
export const POOL_ALLOWANCE_MS = 60_000;

/** The harness's own error answer, about one configuration (scope) or the whole target. */
export function answerError(scope: string, answer: ErrorMessage): Message {
  return {
    code: answer.code,
    message: answer.message,
    scope,
    ...(answer.detail !== undefined ? { detail: answer.detail } : {}),
    ...(answer.input !== undefined ? { input: answer.input } : {}),
  };
}

/** What a configuration was doing when the harness was lost, for the timeout sentence. */
export type LostDuring = 'the warm-up pass' | 'starting the pool and its warm-up pass' | 'a pass';

/** A harness lost (not cancelled) while it ran one configuration: a timeout, a crash, or broken protocol. */
export function lostError(
  scope: string,
  error: HarnessLost,
  during: LostDuring,
  context: { timeoutMs: number; harnessName: string; stderrTail: string | undefined },
): Message {
  const base = { scope, detail: context.stderrTail };
  if (error.reason === 'timeout') {
    const pool = during.startsWith('starting')
      ? ` plus ${POOL_ALLOWANCE_MS / 1000} s for the pool to start`
      : '';
    return {
      ...base,
      code: 'timeout',
      message: `${scope}: ${during} ran longer than the ${context.timeoutMs / 1000} s timeout (--timeout)${pool}; every process of the run was killed.`,
    };
  }
  if (error.reason === 'exited') {
    const input = error.lastTaskStart?.input;
    const signal = error.exit?.signal;
    const number = signal ? osConstants.signals[signal] : undefined;
    const exit = signal
      ? `was killed by ${signal}${number !== undefined ? ` (signal ${number})` : ''}`
      : `exited with code ${error.exit?.code}`;
    const cause = error.memoryCause ?? 'os._exit, process.exit or a crash inside the function';
    return {
      ...base,
      code: 'worker-died',
      message: `${scope}: the ${context.harnessName} process running the function ${exit}${input === undefined ? '' : ` while running input ${input}`} (${cause}).`,
      ...(input === undefined ? {} : { input }),
    };
  }
  return { ...base, code: 'internal', message: `${scope}: ${error.message}` };
}

/** A harness lost outside any one configuration: while starting, loading, calibrating or closing. */
export function targetLostError(name: string, error: HarnessLost): Message {
  return {
    code: error.reason === 'timeout' ? 'timeout' : 'worker-died',
    message: `${name}: ${error.message}.`,
    scope: name,
  };
}

export function cancelledError(name: string): Message {
  return {
    code: 'cancelled',
    message: `The profile of ${name} was cancelled; what was measured is kept.`,
    scope: name,
  };
}

export function unavailableError(
  scope: string,
  backend: string,
  runtime: string,
  missing: string | undefined,
): Message {
  return {
    code: 'backend-unavailable',
    message: `${scope}: the ${backend} backend is not available with ${runtime}: ${missing ?? 'this harness does not provide it'}.`,
    scope,
  };
}
