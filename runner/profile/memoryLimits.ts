// The memory a profile may use, read when it starts: Linux's MemAvailable, or less where the runner's memory
// cgroup (v2 memory.max, v1 hierarchical_memory_limit) leaves less; elsewhere what Node calls free memory. And
// the cgroup's OOM-kill counter, which tells a harness the kernel killed for memory from any other SIGKILL.
import { readFileSync } from 'node:fs';
import os from 'node:os';

// cgroup v1 writes "no limit" as a page-aligned LONG_MAX; anything this large is no limit.
const UNLIMITED = 2 ** 62;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The number after `key` in a "key value" file (meminfo's kB figures are converted by the caller). */
function keyed(text: string | null, key: string): number | null {
  const line = text?.split('\n').find((l) => l.split(/[\s:]+/)[0] === key);
  const value = line ? Number(line.split(/[\s:]+/)[1]) : NaN;
  return Number.isFinite(value) ? value : null;
}

function integer(text: string | null): number | null {
  const value = text === null ? NaN : Number(text.trim());
  return Number.isFinite(value) ? value : null;
}

/** This process's memory cgroup folder, where a cgroup file system is mounted at the usual place. */
function memoryCgroup(): { version: 1 | 2; dir: string } | null {
  const groups = read('/proc/self/cgroup') ?? '';
  for (const line of groups.split('\n')) {
    const [, controllers, where] = line.split(':');
    if (where === undefined) continue;
    if (controllers === '' && read('/sys/fs/cgroup/cgroup.controllers') !== null) {
      return { version: 2, dir: `/sys/fs/cgroup${where}` };
    }
    if (controllers?.split(',').includes('memory'))
      return { version: 1, dir: `/sys/fs/cgroup/memory${where}` };
  }
  return null;
}

function cgroupHeadroom(): number | null {
  const group = memoryCgroup();
  if (!group) return null;
  const limit =
    group.version === 2
      ? integer(read(`${group.dir}/memory.max`))
      : keyed(read(`${group.dir}/memory.stat`), 'hierarchical_memory_limit');
  const usage = integer(
    read(`${group.dir}/${group.version === 2 ? 'memory.current' : 'memory.usage_in_bytes'}`),
  );
  return limit !== null && usage !== null && limit < UNLIMITED ? Math.max(0, limit - usage) : null;
}

/** How many processes the OOM killer has ended in this process's memory cgroup; null where it cannot be read. */
export function cgroupOomKills(): number | null {
  const group = memoryCgroup();
  if (!group) return null;
  const file = group.version === 2 ? 'memory.events' : 'memory.oom_control';
  return keyed(read(`${group.dir}/${file}`), 'oom_kill');
}

/** Why a process killed by SIGKILL most likely ran out of memory, or null: the OOM-kill counter rose. */
export function oomCause(killsBefore: number | null): string | null {
  const kills = cgroupOomKills();
  if (killsBefore === null || kills === null || kills <= killsBefore) return null;
  return `most likely the kernel's OOM killer, out of memory: the memory cgroup's OOM-kill counter rose from ${killsBefore} to ${kills}`;
}

export function availableMemoryBytes(): number {
  const kib = keyed(read('/proc/meminfo'), 'MemAvailable');
  const available = kib !== null ? kib * 1024 : os.freemem();
  const headroom = cgroupHeadroom();
  return headroom !== null ? Math.min(available, headroom) : available;
}
