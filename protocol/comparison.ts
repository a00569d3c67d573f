// The comparison of two reports (`amdahl compare`, "Amdahl: Compare Reports..."): matched points with the ratio of
// the new wall time to the old one, its bootstrap interval and a verdict. Written by the runner, read by the page.
import { z } from 'zod';
import { BackendName } from './backends';
import { Message } from './report';

export const COMPARISON_VERSION = 1;

/** faster: the whole 95% interval of new/old time is below 1; slower: above 1; no change: it holds 1. */
export const Verdict = z.enum(['faster', 'slower', 'no change']);
export type Verdict = z.infer<typeof Verdict>;

export const ComparedPoint = z.object({
  /** The target as it is matched: the file's base name and the function, "work.py:crunch". */
  target: z.string(),
  backend: BackendName,
  startMethod: z.string().optional(),
  /** The interpreter or runtime, as it is matched: implementation and major.minor version ("CPython 3.11"). */
  interpreter: z.string(),
  workers: z.number().int(),
  /** Mean wall seconds of a pass in the base and the new report. */
  baseSeconds: z.number(),
  newSeconds: z.number(),
  /** mean(new) / mean(base): above 1 is slower. */
  ratio: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  verdict: Verdict,
  /** Counted samples on each side. */
  baseSamples: z.number().int(),
  newSamples: z.number().int(),
  /** Set when the verdict cannot rest on an interval (fewer than 2 samples on a side). */
  note: z.string().optional(),
});
export type ComparedPoint = z.infer<typeof ComparedPoint>;

export const Comparison = z.object({
  comparisonVersion: z.literal(COMPARISON_VERSION),
  base: z.object({ file: z.string(), createdAt: z.string() }),
  new: z.object({ file: z.string(), createdAt: z.string() }),
  points: z.array(ComparedPoint),
  /** Runs or points of one report that the other lacks, as "target · backend · interpreter · k". */
  unmatched: z.object({ base: z.array(z.string()), new: z.array(z.string()) }),
  /** `environment-differs` and the like. */
  warnings: z.array(Message),
  /** With --fail-on-regression: the percent, and whether a point is slower by more than that at 95%. */
  regression: z.object({ thresholdPercent: z.number(), failed: z.boolean() }).nullable(),
});
export type Comparison = z.infer<typeof Comparison>;
