// The V8 heap limit of every worker thread, so a task that exhausts memory ends its worker
// (ERR_WORKER_OUT_OF_MEMORY, reported as worker-died) instead of the whole harness or the machine.
import os from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';

/** AMDAHL_NODE_WORKER_HEAP_MB, else a share of memory per thread (k pool threads, the serial one, the harness). */
export function workerResourceLimits(threads: number): ResourceLimits {
  const configured = Number(process.env.AMDAHL_NODE_WORKER_HEAP_MB);
  if (Number.isFinite(configured) && configured > 0) return { maxOldGenerationSizeMb: configured };
  const share = Math.floor(os.totalmem() / 2 ** 20 / (threads + 2));
  return { maxOldGenerationSizeMb: Math.min(4096, Math.max(256, share)) };
}
