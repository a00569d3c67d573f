// Core counts and CPU model as the hello reports them: usable, logical and (from /sys topology) physical.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

/** Physical cores from Linux's /sys topology (distinct package and core ids of online CPUs), else null. */
export function physicalCores(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const base = '/sys/devices/system/cpu';
    const cores = new Set<string>();
    for (const entry of readdirSync(base)) {
      if (!/^cpu\d+$/.test(entry)) continue;
      const topology = `${base}/${entry}/topology`;
      try {
        const core = readFileSync(`${topology}/core_id`, 'utf8').trim();
        const pkg = readFileSync(`${topology}/physical_package_id`, 'utf8').trim();
        cores.add(`${pkg}:${core}`);
      } catch {
        // An offline CPU has no topology folder: it is not a core anyone can use.
      }
    }
    return cores.size > 0 ? cores.size : null;
  } catch {
    return null;
  }
}

export function cpuModel(): string | null {
  const model = os.cpus()[0]?.model?.trim();
  return model ? model : null;
}
