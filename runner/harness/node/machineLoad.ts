// CPU accounting around a counted pass: the machine's busy CPU time from os.cpus() (every platform) and this
// harness's own from process.cpuUsage(), which counts every thread of the process (piscina's workers included).
import os from 'node:os';
import type { PassLoad } from '../../../protocol/harness';
import { now } from './channel';

export interface LoadReading {
  at: number;
  system: number | null;
  own: number;
}

/** Busy CPU seconds summed over every CPU (user, nice, sys, irq); null where the OS gives no times. */
export function systemBusySeconds(): number | null {
  const cpus = os.cpus();
  if (cpus.length === 0) return null;
  let ms = 0;
  for (const cpu of cpus) ms += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  return ms / 1000;
}

export function loadReading(): LoadReading {
  const usage = process.cpuUsage();
  return { at: now(), system: systemBusySeconds(), own: (usage.user + usage.system) / 1e6 };
}

export function loadBetween(before: LoadReading, after: LoadReading): PassLoad {
  return {
    seconds: after.at - before.at,
    systemCpuSeconds: before.system === null || after.system === null ? null : after.system - before.system,
    ownCpuSeconds: after.own - before.own,
  };
}
