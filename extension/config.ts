// The one typed reader of the amdahl.* settings, read per resource at the moment of use (never cached).
import * as vscode from 'vscode';
import { BackendName, isStartMethod, OFFERED_BACKENDS, START_METHODS } from '../protocol/backends';
import { parseChunksize, type ChunksizeChoice } from '../protocol/chunksize';
import { DEFAULT_PRECISION_PERCENT } from '../protocol/profile';
import { parseTaskOrder, type TaskOrder } from '../protocol/taskOrder';

export interface AmdahlConfig {
  /** Worker counts; null for the engine's default (1, 2, 4, ... up to the usable cores). */
  workers: number[] | null;
  backends: BackendName[] | null;
  startMethod: string | null;
  /** amdahl.chunksize: "auto", a list, or null for the backends' own chunking. */
  chunksize: ChunksizeChoice | null;
  /** amdahl.order: longest-first also measures each pool with the inputs longest first. */
  order: TaskOrder;
  repeat: number | null;
  budgetSeconds: number;
  /** Percent: the recommended count's speedup known within it. */
  precision: number;
  timeoutSeconds: number;
  codeLens: boolean;
  pythonPath: string | null;
  /** Folders for a Python target's import path, as written (relative to the workspace folder). */
  pythonPathEntries: string[];
}

export type ConfigRead = { ok: true; value: AmdahlConfig } | { ok: false; error: string };

export function readConfig(scope: vscode.ConfigurationScope | undefined): ConfigRead {
  const settings = vscode.workspace.getConfiguration('amdahl', scope);
  const workers = settings.get<unknown>('workers', []);
  if (!Array.isArray(workers) || !workers.every((k) => Number.isInteger(k) && (k as number) > 0)) {
    return { ok: false, error: 'amdahl.workers must be a list of positive integers' };
  }
  const backends = settings.get<unknown>('backends', []);
  if (!Array.isArray(backends) || !backends.every((b) => BackendName.safeParse(b).success)) {
    return { ok: false, error: `amdahl.backends must list backends among ${OFFERED_BACKENDS.join(', ')}` };
  }
  const startMethod = settings.get<string>('startMethod', '');
  if (startMethod !== '' && !isStartMethod(startMethod)) {
    return { ok: false, error: `amdahl.startMethod must be one of ${START_METHODS.join(', ')} (or empty)` };
  }
  const chunksizeText = settings.get<string>('chunksize', '').trim();
  const chunksize = chunksizeText === '' ? null : parseChunksize(chunksizeText, 'amdahl.chunksize');
  if (chunksize && !chunksize.ok) return { ok: false, error: chunksize.error };
  const order = parseTaskOrder(settings.get<string>('order', 'given'), 'amdahl.order');
  if (!order.ok) return { ok: false, error: order.error };
  const repeat = settings.get<number>('repeat', 0);
  if (!Number.isInteger(repeat) || repeat < 0) {
    return { ok: false, error: 'amdahl.repeat must be a whole number (0 for adaptive repetition)' };
  }
  const budgetSeconds = settings.get<number>('budgetSeconds', 60);
  if (!(budgetSeconds > 0)) return { ok: false, error: 'amdahl.budgetSeconds must be a positive number' };
  const precision = settings.get<number>('precision', DEFAULT_PRECISION_PERCENT);
  if (!(precision > 0 && precision < 100)) {
    return { ok: false, error: 'amdahl.precision must be a percentage above 0 and below 100' };
  }
  const timeoutSeconds = settings.get<number>('timeoutSeconds', 300);
  if (!(timeoutSeconds > 0)) return { ok: false, error: 'amdahl.timeoutSeconds must be a positive number' };
  const pythonPath = settings.get<string>('pythonPath', '').trim();
  const pythonPathEntries = settings.get<unknown>('pythonPathEntries', []);
  if (
    !Array.isArray(pythonPathEntries) ||
    !pythonPathEntries.every((e) => typeof e === 'string' && e.trim())
  ) {
    return { ok: false, error: 'amdahl.pythonPathEntries must be a list of folder paths' };
  }
  return {
    ok: true,
    value: {
      workers: workers.length > 0 ? [...new Set(workers as number[])].sort((a, b) => a - b) : null,
      backends: backends.length > 0 ? (backends as BackendName[]) : null,
      startMethod: startMethod || null,
      chunksize: chunksize?.ok ? chunksize.value : null,
      order: order.value,
      repeat: repeat > 0 ? repeat : null,
      budgetSeconds,
      precision,
      timeoutSeconds,
      codeLens: settings.get<boolean>('codeLens', true),
      pythonPath: pythonPath || null,
      pythonPathEntries: (pythonPathEntries as string[]).map((entry) => entry.trim()),
    },
  };
}
