// The backends: one row each, read by the settings, the CLI, the profile engine and the analysis, and checked
// against the manifest, the README and the Python harness's registry by test/unit/backends-table.test.ts.
import { z } from 'zod';
import type { Language } from './languages';

interface BackendInfo {
  languages: readonly Language[];
  /**
   * Whether each task's arguments and results are serialized and copied to a worker and back: pickled for
   * the Python pools and engines, structured-cloned for piscina. Serial and thread tasks share the caller's
   * objects. A calibration that cannot serialize an argument rules these out, and their transfer is costed.
   */
  copiesData: boolean;
  /** Whether the pool is created with a start method (fork, spawn, forkserver). */
  startMethods: boolean;
  /**
   * Whether Amdahl can limit each worker's BLAS/OpenMP threads (its own initializer runs in every worker
   * process), so hidden parallelism gets a configuration with one library thread per worker.
   */
  limitsLibraryThreads: boolean;
  /** Where its workers run: this machine only, or on a cluster too (a running scheduler, ipcluster or Ray head). */
  placement: 'local' | 'cluster';
  /** The package that must be importable (pip name for Python, npm name for Node), or null: the runtime has it. */
  package: string | null;
  /** Measured when no backends are given (serial, the baseline, is always measured). */
  isDefault: boolean;
}

const PYTHON = ['python'] as const;
const JS = ['javascript', 'typescript'] as const;

export const BACKENDS = {
  serial: {
    languages: ['python', 'javascript', 'typescript'],
    copiesData: false,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'local',
    package: null,
    isDefault: true,
  },
  process: {
    languages: PYTHON,
    copiesData: true,
    startMethods: true,
    limitsLibraryThreads: true,
    placement: 'local',
    package: null,
    isDefault: true,
  },
  thread: {
    languages: PYTHON,
    copiesData: false,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'local',
    package: null,
    isDefault: true,
  },
  'futures-process': {
    languages: PYTHON,
    copiesData: true,
    startMethods: true,
    limitsLibraryThreads: true,
    placement: 'local',
    package: null,
    isDefault: false,
  },
  piscina: {
    languages: JS,
    copiesData: true,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'local',
    package: 'piscina',
    isDefault: true,
  },
  joblib: {
    languages: PYTHON,
    copiesData: true,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'local',
    package: 'joblib',
    isDefault: false,
  },
  dask: {
    languages: PYTHON,
    copiesData: true,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'cluster',
    package: 'distributed',
    isDefault: false,
  },
  ipyparallel: {
    languages: PYTHON,
    copiesData: true,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'cluster',
    package: 'ipyparallel',
    isDefault: false,
  },
  ray: {
    languages: PYTHON,
    copiesData: true,
    startMethods: false,
    limitsLibraryThreads: false,
    placement: 'cluster',
    package: 'ray',
    isDefault: false,
  },
} as const satisfies Record<string, BackendInfo>;

export type BackendName = keyof typeof BACKENDS;
const NAMES = Object.keys(BACKENDS) as [BackendName, ...BackendName[]];
export const BackendName = z.enum(NAMES);

/** The baseline every profile measures; never chosen, so never offered. */
export const SERIAL = 'serial' satisfies BackendName;

/** The backends a user can choose, in the order the settings, the CLI help and the README list them. */
export const OFFERED_BACKENDS: readonly BackendName[] = NAMES.filter((name) => name !== SERIAL);

/** Backends whose tasks are serialized and copied to their workers (see BackendInfo.copiesData). */
export const SERIALIZING: ReadonlySet<BackendName> = new Set(
  NAMES.filter((name) => BACKENDS[name].copiesData),
);

/** Backends whose pools take a start method. */
export const START_METHOD_BACKENDS: ReadonlySet<BackendName> = new Set(
  NAMES.filter((name) => BACKENDS[name].startMethods),
);

/** Backends whose workers' library threads Amdahl can limit (see BackendInfo.limitsLibraryThreads). */
export const LIBRARY_THREAD_BACKENDS: ReadonlySet<BackendName> = new Set(
  NAMES.filter((name) => BACKENDS[name].limitsLibraryThreads),
);

/** How Python creates worker processes, for the backends that take a start method. */
export const START_METHODS = ['fork', 'spawn', 'forkserver'] as const;
export type StartMethod = (typeof START_METHODS)[number];

export function isStartMethod(name: string): name is StartMethod {
  return (START_METHODS as readonly string[]).includes(name);
}

export function backendRuns(backend: BackendName, language: Language): boolean {
  return (BACKENDS[backend].languages as readonly Language[]).includes(language);
}

/** The offered backends for a language, e.g. ['process', 'thread', 'futures-process', ...] for Python. */
export function offeredBackends(language: Language): BackendName[] {
  return OFFERED_BACKENDS.filter((name) => backendRuns(name, language));
}

/** The backends measured besides serial when none are given. */
export function defaultBackends(language: Language): BackendName[] {
  return offeredBackends(language).filter((name) => BACKENDS[name].isDefault);
}

/** How the ray backend maps the inputs: remote functions over chunks (the default) or a pool of k actors. */
export const RAY_MODES = ['tasks', 'actors'] as const;
export type RayMode = (typeof RAY_MODES)[number];
