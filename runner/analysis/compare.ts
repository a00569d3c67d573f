// Compares two reports point by point (docs/method.md, "Comparing two reports"): runs are matched by target,
// backend (and start method), interpreter and worker count; each match gets the ratio of the new mean wall time to
// the old one with a bootstrap interval from both sample sets, and a verdict at 95%.
import path from 'node:path';
import {
  COMPARISON_VERSION,
  type ComparedPoint,
  type Comparison,
  type Verdict,
} from '../../protocol/comparison';
import type { Message, Point, Report, Run } from '../../protocol/report';
import { backendDetail } from '../../protocol/runName';
import { speedupInterval, type Interval } from './bootstrap';
import { mean } from './stats';

export interface ComparedFile {
  /** Where the report came from, as the user named it. */
  file: string;
  report: Report;
}

export type ComparisonOutcome = { ok: true; value: Comparison } | { ok: false; error: string };

/**
 * The interpreter as runs are matched by: the implementation and its major.minor versions, so a patch release
 * ("CPython 3.11.7" and "CPython 3.11.9") still matches, and is named by `environment-differs` instead.
 */
export function interpreterOf(run: Run): string {
  return (run.runtime ?? '').replace(/(\d+)\.(\d+)\.\d+/g, '$1.$2');
}

/**
 * The target as runs are matched by: the file's base name and the function. Reports made in two checkouts (a
 * developer's and CI's) name the same file by different absolute paths.
 */
export function targetOf(run: Run): string {
  return `${path.basename(run.target.file)}:${run.target.function}`;
}

function runKey(run: Run): string {
  // A run at a chunksize or in another order (--chunksize, --order) matches only its like.
  const variant = [
    ...(run.chunksize !== undefined ? [`chunksize ${run.chunksize}`] : []),
    ...(run.taskOrder !== undefined ? [run.taskOrder] : []),
  ];
  return [targetOf(run), run.backend, run.startMethod ?? '', interpreterOf(run), ...variant].join('\u0000');
}

function pointName(run: Run, workers: number | null): string {
  const detail = backendDetail(run.startMethod, undefined, run.chunksize, run.taskOrder);
  const backend = detail ? `${run.backend} (${detail})` : run.backend;
  return [
    targetOf(run),
    backend,
    interpreterOf(run) || 'unknown runtime',
    ...(workers === null ? [] : [`k=${workers}`]),
  ].join(' · ');
}

/** The comparison, or why there is none: the reports share no target, backend and interpreter. */
export function compareReports(
  base: ComparedFile,
  next: ComparedFile,
  failOnRegressionPercent: number | null = null,
): ComparisonOutcome {
  const newRuns = new Map(next.report.runs.map((run) => [runKey(run), run]));
  const points: ComparedPoint[] = [];
  const unmatched: Comparison['unmatched'] = { base: [], new: [] };
  const matchedKeys = new Set<string>();
  for (const run of base.report.runs) {
    const other = newRuns.get(runKey(run));
    if (!other) {
      unmatched.base.push(pointName(run, null));
      continue;
    }
    matchedKeys.add(runKey(run));
    for (const point of run.points) {
      const otherPoint = other.points.find((p) => p.workers === point.workers);
      if (otherPoint) points.push(comparePoint(run, point, otherPoint));
      else unmatched.base.push(pointName(run, point.workers));
    }
    for (const point of other.points) {
      if (!run.points.some((p) => p.workers === point.workers))
        unmatched.new.push(pointName(other, point.workers));
    }
  }
  for (const run of next.report.runs)
    if (!matchedKeys.has(runKey(run))) unmatched.new.push(pointName(run, null));
  if (points.length === 0) {
    return { ok: false, error: noMatchReason(base.report, next.report) };
  }
  const regression =
    failOnRegressionPercent === null
      ? null
      : {
          thresholdPercent: failOnRegressionPercent,
          failed: points.some((p) => p.verdict === 'slower' && p.ci95[0] > 1 + failOnRegressionPercent / 100),
        };
  return {
    ok: true,
    value: {
      comparisonVersion: COMPARISON_VERSION,
      base: { file: base.file, createdAt: base.report.createdAt },
      new: { file: next.file, createdAt: next.report.createdAt },
      points,
      unmatched,
      warnings: environmentWarnings(base.report, next.report),
      regression,
    },
  };
}

function comparePoint(run: Run, base: Point, next: Point): ComparedPoint {
  const baseSamples = base.wallSeconds.samples;
  const newSamples = next.wallSeconds.samples;
  const baseSeconds = baseSamples.length > 0 ? mean(baseSamples) : base.wallSeconds.mean;
  const newSeconds = newSamples.length > 0 ? mean(newSamples) : next.wallSeconds.mean;
  const ratio = newSeconds / baseSeconds;
  const enough = baseSamples.length >= 2 && newSamples.length >= 2;
  // The bootstrap of a ratio of means, mean(new) / mean(base), each side resampled on its own stream: the same
  // estimator as a speedup's, with the new report in the numerator.
  const ci95: Interval = enough ? speedupInterval(newSamples, baseSamples) : [ratio, ratio];
  return {
    target: targetOf(run),
    backend: run.backend,
    ...(run.startMethod ? { startMethod: run.startMethod } : {}),
    interpreter: interpreterOf(run),
    workers: base.workers,
    baseSeconds,
    newSeconds,
    ratio,
    ci95,
    verdict: enough ? verdictOf(ci95) : 'no change',
    baseSamples: baseSamples.length,
    newSamples: newSamples.length,
    ...(enough ? {} : { note: 'fewer than 2 samples on a side: no interval, so no verdict at 95%' }),
  };
}

/** faster or slower only when the whole 95% interval of new/old time lies on one side of 1. */
export function verdictOf([low, high]: Interval): Verdict {
  if (low > 1) return 'slower';
  if (high < 1) return 'faster';
  return 'no change';
}

function noMatchReason(base: Report, next: Report): string {
  const names = (report: Report): string =>
    [...new Set(report.runs.map((run) => pointName(run, null)))].join('; ') || 'no runs';
  return `the reports have no target, backend and interpreter in common (base: ${names(base)}; new: ${names(next)})`;
}

/** `environment-differs`: the reports come from machines or interpreters that differ, named one by one. */
function environmentWarnings(base: Report, next: Report): Message[] {
  const a = base.environment;
  const b = next.environment;
  const differences: string[] = [];
  const cores = (e: Report['environment']): string =>
    `${e.logicalCores} logical, ${e.usableCores} usable, ${e.physicalCores ?? '?'} physical`;
  if (cores(a) !== cores(b)) differences.push(`cores: ${cores(a)} before, ${cores(b)} now`);
  if ((a.cpuModel ?? '') !== (b.cpuModel ?? '')) {
    differences.push(`CPU model: ${a.cpuModel ?? 'unknown'} before, ${b.cpuModel ?? 'unknown'} now`);
  }
  const runtimes = (report: Report): string =>
    [...new Set([report.environment.runtime, ...report.runs.map((run) => run.runtime ?? '')])]
      .filter((r) => r !== '')
      .sort()
      .join(', ');
  if (runtimes(base) !== runtimes(next)) {
    differences.push(`interpreter: ${runtimes(base)} before, ${runtimes(next)} now`);
  }
  if (differences.length === 0) return [];
  return [
    {
      code: 'environment-differs',
      message: `The reports come from different environments (${differences.join('; ')}): a change in time may be the machine's, not the code's.`,
    },
  ];
}
