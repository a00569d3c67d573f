// The virtual environment with Ray that the ray backend's tests and the cluster benchmark run in: made once with
// `python3 -m venv` and `pip install ray` under test/.ray-venv (ignored by git), then reused; a fresh clone makes it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RAY_VENV = path.join(__dirname, '.ray-venv');
export const RAY_PYTHON = path.join(RAY_VENV, 'bin', 'python');
/** Written once pip has installed Ray: a folder without it is an interrupted install, made again. */
const COMPLETE = path.join(RAY_VENV, '.amdahl-complete');

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 1_800_000 });
  if (result.status !== 0) {
    throw new Error(
      `${what} failed (${result.error?.message ?? `exit ${result.status}`}): ${command} ${args.join(' ')}`,
    );
  }
}

/** The interpreter with Ray, installing it first when test/.ray-venv does not have it yet. */
export function rayPython(log: (line: string) => void = console.log): string {
  if (existsSync(COMPLETE) && existsSync(RAY_PYTHON)) return RAY_PYTHON;
  log(
    `prerequisites: installing Ray into ${path.relative(process.cwd(), RAY_VENV) || RAY_VENV} (python3 -m venv, pip install ray; once, a minute or two)`,
  );
  rmSync(RAY_VENV, { recursive: true, force: true });
  try {
    run('python3', ['-m', 'venv', RAY_VENV], 'python3 -m venv (on Debian: apt-get install python3-venv)');
    // One retry per index, not pip's five: where an index in pip's configuration cannot be reached (a machine
    // with a local package index and no PyPI), five retries with back-off cost minutes for nothing.
    run(RAY_PYTHON, ['-m', 'pip', 'install', '--quiet', '--retries', '1', 'ray'], 'pip install ray');
    run(RAY_PYTHON, ['-c', 'import ray'], 'import ray in the new environment');
  } catch (error) {
    rmSync(RAY_VENV, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(COMPLETE, 'ray\n');
  return RAY_PYTHON;
}
