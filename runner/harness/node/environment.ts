// The hello message: what runtime this is and how many cores it can use.
import os from 'node:os';
import type { HelloMessage } from '../../../protocol/harness';
import { cpuModel, physicalCores } from './cores';

export function hello(): HelloMessage {
  return {
    type: 'hello',
    runtime: `Node.js ${process.versions.node}`,
    implementation: 'node',
    version: process.versions.node,
    executable: process.execPath,
    pid: process.pid,
    logicalCores: os.cpus().length,
    // Affinity and (since Node 20) cgroup quotas included: what a pool can really run on at once.
    usableCores: os.availableParallelism(),
    physicalCores: physicalCores(),
    cpuModel: cpuModel(),
    platform: `${os.type()}-${os.release()}-${os.arch()}`,
    hostname: os.hostname(),
    gil: null,
    backends: ['serial', 'piscina'],
  };
}
