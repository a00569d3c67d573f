// What a profile is asked to do, and the events it reports while it runs: shared by the CLI, the runner
// server (LSP) and the extension.
import type { ChunksizeChoice } from './chunksize';
import type { TaskOrder } from './taskOrder';
import type { BackendName, Language, Point, Report, Run } from './report';

/** --precision and amdahl.precision default: the headline speedup known within 5%. */
export const DEFAULT_PRECISION_PERCENT = 5;

export interface TargetSpec {
  /** Absolute path of the file. */
  file: string;
  function: string;
  language: Language;
  /** Python: a recording (`amdahl record`) whose calls are the inputs, absolute; absent: the inputs expression. */
  recording?: string;
}

export interface ProfileOptions {
  targets: TargetSpec[];
  /** Input expression in the target's language; null for the default. */
  inputs: string | null;
  starmap: boolean;
  /** --sizes: input sizes, each bound to `n` in the inputs expression and measured as runs of their own. */
  sizes?: number[];
  /** --weak: weak scaling, worker count k at n = k x the smallest size. */
  weak?: boolean;
  /** Worker counts; null for 1, 2, 4, ... up to and including the usable cores. */
  workers: number[] | null;
  /**
   * --chunksize, amdahl.chunksize: the chunksizes to measure on the backends that take one (protocol/chunksize.ts);
   * 'auto' sweeps a geometric set per worker count; null or absent: the backend's own chunking only.
   */
  chunksize?: ChunksizeChoice | null;
  /** --order, amdahl.order: longest-first also measures each pool with the inputs longest first. */
  order?: TaskOrder;
  /** Backends besides serial; null for the language default (process,thread for Python; piscina for JS/TS). */
  backends: BackendName[] | null;
  /** Python start methods to compare; null for the platform default. */
  startMethods: string[] | null;
  /** Python interpreters to compare; empty for python3 on PATH. */
  pythons: string[];
  /** Counted samples per configuration; null for adaptive repetition. */
  repeat: number | null;
  /** Seconds for adaptive repetition beyond the minimum samples. */
  budgetSeconds: number;
  /** Percent: stop once the recommended count's speedup is known within it (default 5). */
  precision?: number;
  /** Limit for any single pass or pool operation, in seconds. */
  timeoutSeconds: number;
  /** Engine options: dask scheduler address, ipyparallel profile, ... */
  engineOptions: Record<string, string>;
  /**
   * The workspace folder, or the CLI's working folder: reports name files relative to it, and a target with no
   * project root of its own (pyproject.toml, setup.cfg, package.json, .git) runs in it.
   */
  cwd: string;
  /** Folders for a Python target's import path (amdahl.pythonPathEntries, --python-path), absolute. */
  pythonPathEntries?: string[];
  /** The .env file whose PYTHONPATH is used (python.envFile, --env-file); absent: the project root's .env. */
  envFile?: string | null;
}

export type ProfilePhase = 'starting' | 'loading' | 'warmup' | 'measuring' | 'closing' | 'analyzing' | 'done';

export interface ProfileProgress {
  phase: ProfilePhase;
  /** 0..1 of the planned work; adaptive repetition may extend the plan. */
  fraction: number;
  message: string;
  /** The answer so far, e.g. "process S(2) ≈ 1.78 [1.61, 1.97]", once the first rounds give one. */
  provisional?: string;
}

export interface ProfileEvents {
  progress?: (progress: ProfileProgress) => void;
  /** A configuration has a new point (live charts); the run is rebuilt each time with what is measured. */
  partial?: (run: Run, point: Point) => void;
  /** A line for the log (runner diagnostics, never user output). */
  log?: (line: string) => void;
}

export interface ProfileOutcome {
  report: Report;
  /** 0 profiled; 1 a target failed (see report.errors). */
  exitCode: 0 | 1;
}
