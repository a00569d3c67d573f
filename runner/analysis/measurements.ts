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
  /** The round each counted pass ran in (same length as passes): a serial and a pool pass of one round pair. */
  rounds?: number[];
  /** Per-task timed passes, not counted, for the timeline and overhead split when counted passes are untimed. */
  timelinePasses?: PassMessage[];
  closed: ClosedMessage | null;
  /** Set when the configuration failed; its passes so far are still analysed. */
  failed?: Message;
}

export interface TargetMeasurements {
  target: Target;
  hello: HelloMessage;
  loaded: LoadedMessage | null;
  /** Worker counts asked for above the input count, measured at the input count instead. */
  clampedWorkers?: number[];
  /** Chunksizes asked for above the input count, measured at the input count instead. */
  clampedChunksizes?: number[];
  calibration: Calibration | null;
  /** Every configuration, the serial baseline (backend "serial", workers 1) included. */
  configs: ConfigMeasurements[];
  capturedOutput: { stdout: string; stderr: string; stdoutBytes: number; stderrBytes: number };
  /** A StopReason of protocol/report.ts. */
  stopReason: string;
  /** The precision asked for, as a fraction (0.05); absent in measurements made before it existed. */
  precision?: number;
  partial: boolean;
  /** The n of a --sizes measurement; null or absent without one. */
  inputSize?: number | null;
}

export type { CapturedOutput };
