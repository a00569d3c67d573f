// A lock on the e2e cache across processes, so two test runs never install or package into the same folder at once.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const pause = new Int32Array(new SharedArrayBuffer(4));

function holderAlive(lockDir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs body while holding lockDir; waits for another holder, and takes over a lock whose holder has died. */
export function withCacheLock<T>(lockDir: string, body: () => T, timeoutMs = 20 * 60 * 1000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder that has not written its pid yet looks dead for a moment; give it that moment.
      Atomics.wait(pause, 0, 0, 500);
      if (!holderAlive(lockDir)) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for the lock ${lockDir}`);
    }
  }
  try {
    return body();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
