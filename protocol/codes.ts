// Every code a report or a harness can carry, and how repetition ends: closed enums, so the schema rejects a
// code nobody declared and a switch over one is checked by the compiler.
import { z } from 'zod';

/**
 * Errors a harness answers a command with (protocol/harness.ts ErrorMessage). The Python harness's codes are
 * checked against this list by test/unit/codes.test.ts, the Node harness's by the compiler.
 */
export const HarnessErrorCode = z.enum([
  'import-failed',
  'function-not-found',
  'unsupported-function',
  'inputs-failed',
  'task-raised',
  'worker-died',
  'not-serializable',
  'backend-unavailable',
  'cluster-unreachable',
  'cluster-too-small',
  'bad-command',
  'harness-error',
  'internal',
]);
export type HarnessErrorCode = z.infer<typeof HarnessErrorCode>;

/** A report's errors: the harness's, and those of the runner, the CLI and the extension around it. */
export const ErrorCode = z.enum([
  ...HarnessErrorCode.options,
  'timeout',
  'cancelled',
  'interpreter-not-found',
  'interpreter-unsupported',
  'file-not-found',
  'notebook-invalid',
  'function-not-profilable',
  'runner-error',
  'runner-crashed',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * A report's warnings, each written by the analysis (runner/analysis/warnings.ts, buildReport.ts), or by the
 * profile engine about the processes around the measuring (escaped-processes, runner/profile/profile.ts).
 */
export const WarningCode = z.enum([
  'tiny-tasks',
  'gil-bound',
  'oversubscription',
  'load-imbalance',
  'large-transfer',
  'noisy',
  'results-differ',
  'beyond-physical-cores',
  'beyond-usable-cores',
  'task-ceiling',
  'compute-inflation',
  'baseline-mismatch',
  'no-measurable-time',
  'no-baseline',
  'no-recommendation',
  'busy-machine',
  'escaped-processes',
  'clock-replaced',
  'workers-clamped',
  'chunksize-clamped',
  'environment-differs',
  'memory-bound',
  'ipython-lines-dropped',
  'hidden-parallelism',
  'recording-stale',
  'recording-skipped',
]);
export type WarningCode = z.infer<typeof WarningCode>;

/** Any code a report message carries. */
export const MessageCode = z.enum([...ErrorCode.options, ...WarningCode.options]);
export type MessageCode = z.infer<typeof MessageCode>;

/**
 * How a run's repetition ended (docs/method.md, "Stopping and estimators"): the recommended worker count is
 * settled at 95% and its speedup known within --precision (decided); a run with one worker count known within
 * --precision (precision); the time budget spent first (budget); the --repeat count reached (repeat); the
 * profile cancelled; every configuration of the run failed. "converged" and "fixed" are read in older reports.
 */
export const StopReason = z.enum([
  'decided',
  'precision',
  'budget',
  'repeat',
  'cancelled',
  'failed',
  'converged',
  'fixed',
]);
export type StopReason = z.infer<typeof StopReason>;
