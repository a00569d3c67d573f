// Splits a point's wall time into the parts the overhead chart stacks; start-up and teardown stand beside them.
import type { Point } from '../protocol/report';

export const STACKED_PARTS = [
  'compute',
  'compute inflation',
  'dispatch',
  'serialization',
  'load imbalance',
] as const;
export const BESIDE_PARTS = ['start-up', 'teardown'] as const;

/** Seconds per part. Compute is the serial compute shared over k, C(1)/k, or what the overheads leave of T(k). */
export function overheadSplit(
  point: Point,
): Record<(typeof STACKED_PARTS)[number] | (typeof BESIDE_PARTS)[number], number> {
  const o = point.overheadSeconds;
  const overheads = o.computeInflation + o.dispatch + o.serialization + o.imbalance;
  const compute = point.idealComputeSeconds ?? Math.max(0, point.wallSeconds.mean - overheads);
  return {
    compute,
    'compute inflation': o.computeInflation,
    dispatch: o.dispatch,
    serialization: o.serialization,
    'load imbalance': o.imbalance,
    'start-up': o.startup,
    teardown: o.teardown,
  };
}
