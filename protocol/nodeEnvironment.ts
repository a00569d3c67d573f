// The machine as Node sees it, for a report no harness described: one in which no harness started, a partial
// one the extension builds after losing the runner, and the live page before the runner's report comes.
import os from 'node:os';
import type { Environment } from './report';

/** runtime: what ran the measured code, where known (a Python run's interpreter); else this Node.js. */
export function nodeEnvironment(runtime?: string): Environment {
  return {
    logicalCores: os.cpus().length,
    usableCores: os.availableParallelism(),
    physicalCores: null,
    runtime: runtime ?? `Node.js ${process.versions.node}`,
    platform: `${os.platform()}-${os.arch()}`,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
  };
}
