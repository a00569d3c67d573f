// Checks that an interpreter exists and is a Python new enough for the harness, before any target is loaded.
import { spawn } from 'node:child_process';
import type { Message } from '../../protocol/report';

export interface PythonInfo {
  executable: string;
  version: [number, number, number];
  implementation: string;
}

export type InterpreterCheck = { ok: true; value: PythonInfo } | { ok: false; error: Message };

// Valid in Python 2 and 3 alike, so an old interpreter is told apart from something that is not Python.
const PROBE =
  'import sys; v = sys.version_info; ' +
  "sys.stdout.write('AMDAHL-PROBE %d %d %d %s' % (v[0], v[1], v[2], " +
  "getattr(getattr(sys, 'implementation', None), 'name', 'cpython')))";

const MINIMUM: [number, number] = [3, 8];

/** The check's own bound: a wrapper script that hangs must not hold the profile (a pass's --timeout is later). */
export const CHECK_TIMEOUT_MS = 15_000;

export function checkPython(executable: string, timeoutMs = CHECK_TIMEOUT_MS): Promise<InterpreterCheck> {
  return new Promise((resolve) => {
    const fail = (message: string, detail?: string): void =>
      resolve({
        ok: false,
        error: { code: 'interpreter-not-found', message, ...(detail ? { detail } : {}) },
      });
    let output = '';
    let settled = false;
    let timedOut = false;
    // A group of its own: a wrapper script's children (a `sleep` it runs without exec) are killed with it.
    const child = spawn(executable, ['-c', PROBE], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const why = error.code === 'ENOENT' ? 'was not found' : `could not be started (${error.message})`;
      fail(
        `The Python interpreter "${executable}" ${why}; pass --python with the path of Python 3.8 or newer.`,
      );
    });
    // Settle on the pipes' close, or shortly after the exit: a process the interpreter left behind (killed with
    // its group, but not necessarily in it) must not hold the answer for ever.
    let status: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const finish = (): void => {
      if (settled || status === null) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      const { code, signal } = status;
      if (timedOut) {
        fail(
          `"${executable}" did not answer when asked for its version within ${timeoutMs / 1000} s, so it was stopped; pass --python with the path of Python 3.8 or newer (a wrapper script should end with exec).`,
        );
        return;
      }
      const match = /AMDAHL-PROBE (\d+) (\d+) (\d+) (\S+)/.exec(output);
      if (!match) {
        const ended = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        fail(
          `"${executable}" is not a Python interpreter: asked for its version it ${ended} and printed ${JSON.stringify(output.slice(0, 200))}.`,
        );
        return;
      }
      const version: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const implementation = match[4]!;
      if (version[0] < MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] < MINIMUM[1])) {
        resolve({
          ok: false,
          error: {
            code: 'interpreter-unsupported',
            message: `"${executable}" is Python ${version.join('.')}; Amdahl needs Python ${MINIMUM.join('.')} or newer.`,
          },
        });
        return;
      }
      resolve({ ok: true, value: { executable, version, implementation } });
    };
    child.on('exit', (code, signal) => {
      status = { code, signal };
      killGroup();
      setTimeout(finish, 1000).unref();
    });
    child.on('close', finish);
  });
}
