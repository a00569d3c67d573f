// Which chunksizes a pool is measured at (--chunksize): a list as given, clamped to the input count, or `auto`, a
// small geometric set per worker count around the pool's own default and the tiny-tasks rule, measured beside
// the default chunking. Planned once the serial warm-up has given the median task time.
import { CHUNKING, takesChunksize, type ChunksizeChoice } from '../../protocol/chunksize';
import type { PoolConfig } from '../../protocol/harness';
import { suggestedChunksize } from '../analysis/warnings';

/** `auto` fills between its anchors until neighbours are at most this factor apart. */
const FILL_RATIO = 16;

/**
 * The chunksizes `auto` measures at k workers besides the default chunking: 1, the pool's own default
 * (Pool.map: ceil(n / (4k))), ceil(n / k), the tiny-tasks suggestion, and powers of two between them until
 * neighbours are at most FILL_RATIO apart. The backend's own default is left out: the default run measures it.
 */
export function autoChunksizes(
  inputs: number,
  workers: number,
  medianTaskSeconds: number | null,
  defaultChunksize: number | null,
): number[] {
  if (inputs < 1) return [];
  const anchors = [1, Math.ceil(inputs / (4 * workers)), Math.ceil(inputs / workers)];
  if (medianTaskSeconds !== null) anchors.push(suggestedChunksize(medianTaskSeconds, inputs, workers));
  const sizes = [...new Set(anchors.map((c) => Math.min(Math.max(1, c), inputs)))].sort((a, b) => a - b);
  for (let i = 0; i + 1 < sizes.length;) {
    const [low, high] = [sizes[i]!, sizes[i + 1]!];
    const between = 2 ** Math.round(Math.log2(Math.sqrt(low * high)));
    if (high / low > FILL_RATIO && between > low && between < high) sizes.splice(i + 1, 0, between);
    else i += 1;
  }
  return sizes.filter((c) => c !== defaultChunksize);
}

export interface ChunksizeExpansion {
  /** The configurations to measure, in their planned order. */
  configs: PoolConfig[];
  /** Chunksizes asked for above the input count, measured at the input count instead. */
  clamped: number[];
}

/**
 * The configurations with the chunksizes of `choice`: a list replaces each chunking backend's default with one
 * configuration per chunksize; `auto` keeps the default and adds autoChunksizes beside it.
 */
export function withChunksizes(
  configs: readonly PoolConfig[],
  choice: ChunksizeChoice,
  inputs: number,
  medianTaskSeconds: number | null,
): ChunksizeExpansion {
  const clamped = new Set<number>();
  const planned: PoolConfig[] = [];
  const ids = new Set<string>();
  const add = (config: PoolConfig): void => {
    if (ids.has(config.id)) return;
    ids.add(config.id);
    planned.push(config);
  };
  for (const config of configs) {
    const chunking = CHUNKING[config.backend];
    if (!takesChunksize(config.backend) || !chunking || config.chunksize !== undefined) {
      add(config);
      continue;
    }
    let sizes: number[];
    if (choice === 'auto') {
      add(config);
      const own = chunking.defaultFor?.(inputs, config.workers) ?? null;
      sizes = autoChunksizes(inputs, config.workers, medianTaskSeconds, own);
    } else {
      for (const c of choice) if (inputs > 0 && c > inputs) clamped.add(c);
      sizes = choice.map((c) => (inputs > 0 ? Math.min(c, inputs) : c));
    }
    for (const chunksize of sizes) add({ ...config, id: `${config.id}-c${chunksize}`, chunksize });
  }
  return { configs: planned, clamped: [...clamped].sort((a, b) => a - b) };
}
