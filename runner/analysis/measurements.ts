// What the runner collects from a harness for one target and runtime, before analysis turns it into runs.
import type {
  ClosedMessage,
  HelloMessage,
  LoadedMessage,
  OpenedMessage,
  PassMessage,
  PoolConfig,
} from '../../protocol/harness';
import type { Calibration, CapturedOutput, Message, Target } from '../../protocol/report';

/** One (backend, start method, k) configuration: its pool start-up, counted passes and teardown. */
export interface ConfigMeasurements {
  config: PoolConfig;
  /** The harness's answer to `open` (serial answers too: no pool, one worker "main"); null if it failed. */
  opened: OpenedMessage | null;
  /** Counted passes in the order they ran (the warm-up pass is opened.warmup). */
  passes: PassMessage[];
  closed: ClosedMessage | null;
  /** Set when the configuration failed; its passes so far are still analysed. */
  failed?: Message;
}

export interface TargetMeasurements {
  target: Target;
  hello: HelloMessage;
  loaded: LoadedMessage | null;
  calibration: Calibration | null;
  /** Every configuration, the serial baseline (backend "serial", workers 1) included. */
  configs: ConfigMeasurements[];
  capturedOutput: { stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number };
  /** "converged", "budget", "fixed", "failed" or "cancelled". */
  stopReason: string;
  partial: boolean;
}

export type { CapturedOutput };
