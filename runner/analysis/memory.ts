// Memory against worker count (docs/method.md, "Memory"): each point's worker and parent memory from the harness's
// closed message, the most workers that fit in the memory available at the start with 20% headroom, the cap it
// puts on the recommendation, and the memory-bound warning.
import type { Message, Point, PointMemory, Run } from '../../protocol/report';
import type { ConfigMeasurements } from './measurements';
import { mean } from './stats';

/** The share of the available memory a recommendation may plan to use (20% headroom). */
export const MEMORY_HEADROOM_SHARE = 0.8;

/**
 * A point's memory, or undefined when the harness said nothing of it (a platform without /proc). Workers that are
 * threads of the harness (threads, piscina, the serial loop, joblib's one-worker loop) come as processGrowthBytes.
 */
export function pointMemory(c: ConfigMeasurements): PointMemory | undefined {
  const closed = c.closed;
  if (!closed) return undefined;
  const parent = closed.parentPeakRssBytes ?? null;
  const growth = closed.processGrowthBytes;
  if (growth !== undefined) {
    return {
      basis: 'process-growth',
      peakRssBytes: { max: growth, mean: growth },
      uniqueBytes: null,
      parentPeakRssBytes: parent,
    };
  }
  const peaks = Object.values(closed.peakRssBytes ?? {});
  if (peaks.length === 0) return undefined;
  const uniques = Object.values(closed.uniqueBytes ?? {});
  return {
    basis: 'per-worker',
    peakRssBytes: maxMean(peaks),
    uniqueBytes: uniques.length > 0 ? maxMean(uniques) : null,
    parentPeakRssBytes: parent,
  };
}

function maxMean(values: readonly number[]): { max: number; mean: number } {
  return { max: Math.max(...values), mean: mean(values) };
}

/** What k workers need: a fixed part (the parent, or the shared process at rest) and a part per worker. */
export interface MemoryModel {
  fixedBytes: number;
  perWorkerBytes: number;
  availableBytes: number;
  /** The most workers that fit in MEMORY_HEADROOM_SHARE of the available memory (0 when not even one does). */
  maxWorkers: number;
  basis: PointMemory['basis'];
}

/**
 * Per worker: the largest unique memory of any worker (its peak RSS where unique memory is unknown), with the
 * parent's largest peak as the fixed part. Process growth: the largest growth per worker, with the process's RSS
 * at rest (its peak less its growth) as the fixed part. Null without memory figures or an available amount.
 */
export function memoryModel(points: readonly Point[], availableBytes: number | null): MemoryModel | null {
  const measured = points.filter((p) => p.memory !== undefined);
  if (availableBytes === null || measured.length === 0) return null;
  const basis = measured[0]!.memory!.basis;
  const perWorker = measured.map((p) => {
    const m = p.memory!;
    if (m.basis === 'process-growth') return m.peakRssBytes.max / p.workers;
    return (m.uniqueBytes ?? m.peakRssBytes).max;
  });
  const parents = measured.flatMap((p) => {
    const m = p.memory!;
    if (m.parentPeakRssBytes === null) return [];
    return [m.basis === 'process-growth' ? m.parentPeakRssBytes - m.peakRssBytes.max : m.parentPeakRssBytes];
  });
  const perWorkerBytes = Math.max(...perWorker);
  if (!(perWorkerBytes > 0)) return null;
  const fixedBytes = parents.length > 0 ? Math.max(0, Math.max(...parents)) : 0;
  const room = MEMORY_HEADROOM_SHARE * availableBytes - fixedBytes;
  const maxWorkers = Math.max(0, Math.floor(room / perWorkerBytes));
  return { fixedBytes, perWorkerBytes, availableBytes, maxWorkers, basis };
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

/** One sentence: how maxWorkers follows from the figures. */
function fitSentence(model: MemoryModel): string {
  const each =
    model.basis === 'per-worker'
      ? `each worker holds ${mb(model.perWorkerBytes)} of its own`
      : `the process grows ${mb(model.perWorkerBytes)} per worker (the workers share one process)`;
  return `${each}, so ${model.maxWorkers} worker${model.maxWorkers === 1 ? '' : 's'} and the parent's ${mb(model.fixedBytes)} fit in 80% of the ${mb(model.availableBytes)} available when the profile started`;
}

/** The recommendation with maxWorkersByMemory, capped (and the reason saying why) when memory allows fewer. */
export function cappedRecommendation(
  recommendation: Run['recommendation'],
  model: MemoryModel | null,
): Run['recommendation'] {
  if (!recommendation) return recommendation;
  if (!model) return { ...recommendation, maxWorkersByMemory: null };
  const withMax = { ...recommendation, maxWorkersByMemory: model.maxWorkers };
  if (recommendation.workers <= model.maxWorkers) return withMax;
  const capped = Math.max(1, model.maxWorkers);
  return {
    ...withMax,
    workers: capped,
    reason: `${capped} worker${capped === 1 ? '' : 's'}, capped by memory: ${fitSentence(model)}. By speed alone: ${recommendation.reason}`,
  };
}

/** memory-bound: a measured worker count, the speed-based recommendation or the fit's peak exceeds what fits. */
export function memoryBoundWarning(
  label: string,
  points: readonly Point[],
  model: MemoryModel | null,
  cpuWorkers: number | null,
  peakWorkers: number | null,
): Message | null {
  if (!model) return null;
  const measured = Math.max(...points.map((p) => p.workers));
  const over: string[] = [];
  if (measured > model.maxWorkers) over.push(`${measured} workers were measured`);
  if (cpuWorkers !== null && cpuWorkers > model.maxWorkers) {
    over.push(`the speed-based recommendation is ${cpuWorkers}`);
  }
  if (peakWorkers !== null && Number.isFinite(peakWorkers) && peakWorkers > model.maxWorkers) {
    over.push(`the scaling fit predicts the most speed at ${peakWorkers.toFixed(1)} workers`);
  }
  if (over.length === 0) return null;
  return {
    code: 'memory-bound',
    message: `${label}: memory allows ${model.maxWorkers} worker${model.maxWorkers === 1 ? '' : 's'}, but ${over.join(', and ')}: ${fitSentence(model)}.`,
    scope: label,
    suggestion:
      'Use at most that many workers, or lower what each holds: share read-only data through fork or shared memory, and free large intermediates inside the task.',
  };
}
