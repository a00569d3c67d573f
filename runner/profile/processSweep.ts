// Finds and ends the processes one harness started that escaped its process group (a new session, a double fork):
// each harness runs with a marker variable in its environment, which every descendant inherits, so on Linux a
// scan of /proc/<pid>/environ finds them wherever they were reparented. Elsewhere there is no such scan.
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks every process of one harness run. */
export const RUN_ID_VARIABLE = 'AMDAHL_RUN_ID';

/** Whether this platform lets a run find its escaped processes (Linux's /proc). */
export const canSweep = process.platform === 'linux';

export interface SweptProcess {
  pid: number;
  /** The command line, for a message; '' when it could not be read. */
  command: string;
  /** Its process group: those in the harness's own group are not escaped, the group is killed as one. */
  pgid: number;
}

/** Live (not zombie) processes other than this one whose environment holds RUN_ID_VARIABLE=runId. */
export function markedProcesses(runId: string): SweptProcess[] {
  if (!canSweep) return [];
  const needle = Buffer.from(`${RUN_ID_VARIABLE}=${runId}\0`, 'latin1');
  const found: SweptProcess[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`);
      if (environ.indexOf(needle) < 0) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // After the command's closing parenthesis: state, ppid, pgrp.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      found.push({ pid: Number(entry), command: commandLine(entry), pgid: Number(pgrp) });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/** SIGKILLs every process marked with runId; returns the ones it found. */
export function sweepMarkedProcesses(runId: string): SweptProcess[] {
  const found = markedProcesses(runId);
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Ended by itself in the meantime.
    }
  }
  return found;
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
