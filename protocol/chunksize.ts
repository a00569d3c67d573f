// How many inputs a pool sends a worker at a time (--chunksize, amdahl.chunksize): which backends take it, what
// each calls it, and how a choice is read and shown. One table, read by the CLI, the settings, the runner and
// the lens.
import type { BackendName } from './backends';

/** `auto`: a measured sweep per worker count; a list: exactly those chunksizes. */
export type ChunksizeChoice = 'auto' | number[];

interface Chunking {
  /** The pool call as a user writes it, with k workers. */
  pool: (workers: number) => string;
  /** The knob's name in that library. */
  knob: string;
  /** The chunksize the backend uses when none is given; null where it adapts by itself (joblib's 'auto'). */
  defaultFor: ((inputs: number, workers: number) => number) | null;
}

/** Pool.map's own chunking: ceil(n / (4k)). */
export function poolMapDefault(inputs: number, workers: number): number {
  return Math.max(1, Math.ceil(inputs / (4 * workers)));
}

/** The backends that take a chunksize. */
export const CHUNKING: Readonly<Partial<Record<BackendName, Chunking>>> = {
  process: { pool: (k) => `Pool(${k})`, knob: 'chunksize', defaultFor: poolMapDefault },
  'futures-process': {
    pool: (k) => `ProcessPoolExecutor(${k})`,
    knob: 'chunksize',
    defaultFor: () => 1,
  },
  joblib: { pool: (k) => `Parallel(n_jobs=${k})`, knob: 'batch_size', defaultFor: null },
  // One pool.run() per input is how piscina is mostly used; a chunk maps over a slice of the inputs in the worker.
  piscina: { pool: (k) => `Piscina(${k})`, knob: 'inputs per run', defaultFor: () => 1 },
};

export function takesChunksize(backend: BackendName): boolean {
  return CHUNKING[backend] !== undefined;
}

/** The largest chunksize accepted on the command line or in the settings (larger is clamped to n anyway). */
const MAX_CHUNKSIZE = 1_000_000_000;

export type ChunksizeParse = { ok: true; value: ChunksizeChoice } | { ok: false; error: string };

/** `auto`, or a comma-separated list of positive integers; the error is a sentence naming `option`. */
export function parseChunksize(text: string, option: string): ChunksizeParse {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'auto') return { ok: true, value: 'auto' };
  const parts = trimmed.split(',').map((part) => part.trim());
  return chunksizeList(
    parts.map((part) => (/^[0-9]+$/.test(part) ? Number(part) : Number.NaN)),
    option,
    text,
  );
}

/** A list of positive integers (the setting's array form), deduplicated and sorted. */
export function chunksizeList(values: readonly unknown[], option: string, shown?: string): ChunksizeParse {
  const bad = values.length === 0 || values.some((v) => !Number.isInteger(v) || (v as number) < 1);
  if (bad || values.some((v) => (v as number) > MAX_CHUNKSIZE)) {
    return {
      ok: false,
      error: `${option} must be "auto" or a list of positive integers, e.g. 1,16,256 (got "${shown ?? values.join(',')}")`,
    };
  }
  return { ok: true, value: [...new Set(values as number[])].sort((a, b) => a - b) };
}

/** e.g. "Pool(4), chunksize=16"; backends without a chunksize: "process, 4 workers". */
export function poolCallText(backend: BackendName, workers: number, chunksize: number | undefined): string {
  const chunking = CHUNKING[backend];
  if (!chunking || chunksize === undefined) return `${backend}, ${workers} worker${workers === 1 ? '' : 's'}`;
  return `${chunking.pool(workers)}, ${chunking.knob}=${chunksize}`;
}
