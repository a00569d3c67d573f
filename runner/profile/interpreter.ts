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

export function checkPython(executable: string, timeoutMs = 20_000): Promise<InterpreterCheck> {
  return new Promise((resolve) => {
    const fail = (message: string, detail?: string): void =>
      resolve({
        ok: false,
        error: { code: 'interpreter-not-found', message, ...(detail ? { detail } : {}) },
      });
    let output = '';
    let settled = false;
    const child = spawn(executable, ['-c', PROBE], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
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
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
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
    });
  });
}
