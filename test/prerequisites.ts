// The first step of `npm test` and `npm run bench`: checks what the suites need beyond npm's packages, installs
// what is missing where it can (root with apt-get; Ray with pip into test/.ray-venv), and otherwise stops at once
// with the one command to run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import {
  CACHE_DIR,
  CHROMIUM_PATH,
  CODE_SERVER_VERSION,
  KERBEROS_HEADERS,
  NODE_VERSION,
  provision,
} from './e2e/provision';
import { rayPython } from './rayEnvironment';

export type Suite = 'integration' | 'e2e' | 'bench';

/** How to tell that a requirement is met: what the suites actually call, not the package database. */
export type Probe = { command: string } | { anyFile: string[] } | { pythonModule: string; python: string };

export interface Requirement {
  /** The Debian package that provides it. */
  debianPackage: string;
  /** What the suites use, in the words of the message a newcomer reads. */
  what: string;
  suites: Suite[];
  probe: Probe;
}

/** Debian's python3-numpy, -joblib, -distributed and -ipyparallel serve this interpreter. */
const DEBIAN_PYTHON = '/usr/bin/python3';

/** The one list of what the suites need from the system; `.ci/run` installs it through `npm test`. */
export const REQUIREMENTS: Requirement[] = [
  {
    debianPackage: 'python3',
    what: 'python3 on PATH, the default interpreter of every Python profile',
    suites: ['integration', 'e2e', 'bench'],
    probe: { command: 'python3' },
  },
  {
    debianPackage: 'pypy3',
    what: 'pypy3 on PATH: the harness is tested on PyPy as well as CPython',
    suites: ['integration'],
    probe: { command: 'pypy3' },
  },
  {
    debianPackage: 'chromium',
    what: `Chromium at ${CHROMIUM_PATH}: the report page and VS Code (code-server) run in it`,
    suites: ['integration', 'e2e', 'bench'],
    probe: { anyFile: [CHROMIUM_PATH] },
  },
  {
    debianPackage: 'python3-numpy',
    what: `NumPy for ${DEBIAN_PYTHON}: the seed sample's NumPy variant, hidden parallelism, recorded arrays`,
    suites: ['integration', 'e2e', 'bench'],
    probe: { pythonModule: 'numpy', python: DEBIAN_PYTHON },
  },
  {
    debianPackage: 'python3-pytest',
    what: `pytest for ${DEBIAN_PYTHON}: a test run recorded as the command of amdahl record`,
    suites: ['integration'],
    probe: { pythonModule: 'pytest', python: DEBIAN_PYTHON },
  },
  {
    debianPackage: 'python3-joblib',
    what: `joblib for ${DEBIAN_PYTHON}: the joblib backend, tested on a real pool`,
    suites: ['integration', 'bench'],
    probe: { pythonModule: 'joblib', python: DEBIAN_PYTHON },
  },
  {
    debianPackage: 'python3-distributed',
    what: `Dask distributed for ${DEBIAN_PYTHON}: the dask backend, tested on a real cluster`,
    suites: ['integration', 'bench'],
    probe: { pythonModule: 'distributed', python: DEBIAN_PYTHON },
  },
  {
    debianPackage: 'python3-ipyparallel',
    what: `IPython Parallel for ${DEBIAN_PYTHON}: the ipyparallel backend, tested on a real cluster`,
    suites: ['integration', 'bench'],
    probe: { pythonModule: 'ipyparallel', python: DEBIAN_PYTHON },
  },
  {
    debianPackage: 'libkrb5-dev',
    what: "the Kerberos headers: code-server's native modules are built against them",
    suites: ['e2e'],
    probe: { anyFile: KERBEROS_HEADERS },
  },
  {
    debianPackage: 'hyperfine',
    what: 'hyperfine on PATH: the benchmarks compare against it',
    suites: ['bench'],
    probe: { command: 'hyperfine' },
  },
];

/** What the check asks of the machine; the real one is `thisSystem`, tests pass their own answers. */
export interface System {
  met(probe: Probe): boolean;
  isRoot: boolean;
  hasCommand(name: string): boolean;
}

export type Plan =
  | { action: 'ready' }
  | { action: 'install'; missing: Requirement[]; packages: string[] }
  | { action: 'instruct'; missing: Requirement[]; message: string };

export function plan(suites: Suite[], system: System): Plan {
  const missing = REQUIREMENTS.filter(
    (requirement) =>
      requirement.suites.some((suite) => suites.includes(suite)) && !system.met(requirement.probe),
  );
  if (missing.length === 0) return { action: 'ready' };
  const packages = missing.map((requirement) => requirement.debianPackage);
  const aptGet = system.hasCommand('apt-get');
  if (aptGet && system.isRoot) return { action: 'install', missing, packages };
  return { action: 'instruct', missing, message: instructions(missing, aptGet, system.hasCommand('sudo')) };
}

function instructions(missing: Requirement[], aptGet: boolean, sudo: boolean): string {
  const packages = missing.map((requirement) => requirement.debianPackage).join(' ');
  const width = Math.max(...missing.map((requirement) => requirement.debianPackage.length));
  const lines = missing.map(
    (requirement) =>
      `  ${requirement.debianPackage.padEnd(width)}  ${requirement.what} (${requirement.suites.join(', ')})`,
  );
  let howTo: string;
  if (!aptGet) {
    howTo = `This system has no apt-get: install the equivalents of these Debian packages with its package manager.`;
  } else if (sudo) {
    howTo = `Run this one command, then npm test again:\n  sudo sh -c 'apt-get update && apt-get install -y ${packages}'`;
  } else {
    howTo = `Run this one command as root, then npm test again:\n  apt-get update && apt-get install -y ${packages}`;
  }
  return `The tests need what this machine lacks (Debian package, what it is for, which suites):\n${lines.join('\n')}\n${howTo}`;
}

export function onPath(name: string, searchPath = process.env.PATH ?? ''): boolean {
  return searchPath
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function pythonHasModule(python: string, module: string): boolean {
  if (!existsSync(python)) return false;
  // find_spec locates a module without importing it: Dask's import alone takes a second.
  const found = spawnSync(
    python,
    ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)', module],
    {
      stdio: 'ignore',
      timeout: 10_000,
    },
  );
  return found.status === 0;
}

export const thisSystem: System = {
  met(probe) {
    if ('command' in probe) return onPath(probe.command);
    if ('anyFile' in probe) return probe.anyFile.some((file) => existsSync(file));
    return pythonHasModule(probe.python, probe.pythonModule);
  },
  isRoot: process.getuid?.() === 0,
  hasCommand: (name) => onPath(name),
};

function aptGet(args: string[]): void {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0)
    throw new Error(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** The end-to-end suite installs Node 24 and code-server into test/e2e/.cache on first use; do it now, and say so. */
function provisionEndToEnd(): void {
  if (!existsSync(path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`, '.provisioned'))) {
    console.log(
      `prerequisites: installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} from npm into test/e2e/.cache (the end-to-end suite runs VS Code in code-server; once, a few minutes)`,
    );
  }
  provision();
}

export function main(suites: Suite[], system = thisSystem, runAptGet = aptGet): number {
  const decided = plan(suites, system);
  if (decided.action === 'instruct') {
    console.error(decided.message);
    return 1;
  }
  if (decided.action === 'install') {
    const names = decided.missing.map((requirement) => requirement.debianPackage).join(', ');
    console.log(
      `prerequisites: installing ${names} with apt-get (${decided.missing.map((r) => r.what).join('; ')})`,
    );
    runAptGet(['update', '-qq']);
    runAptGet(['install', '-y', '-qq', ...decided.packages]);
    const still = plan(suites, system);
    if (still.action !== 'ready') {
      console.error(
        `prerequisites: apt-get installed ${names}, yet these are still missing: ${still.missing.map((r) => r.what).join('; ')}`,
      );
      return 1;
    }
  }
  if (suites.includes('e2e')) provisionEndToEnd();
  return 0;
}

if (require.main === module) {
  const asked = process.argv.slice(2);
  const known: Suite[] = ['integration', 'e2e', 'bench'];
  const unknown = asked.filter((name) => !known.includes(name as Suite));
  if (unknown.length > 0) {
    console.error(`prerequisites: unknown suite ${unknown.join(', ')} (known: ${known.join(', ')})`);
    process.exit(2);
  }
  const suites = asked.length > 0 ? (asked as Suite[]) : (['integration', 'e2e'] as Suite[]);
  try {
    process.exitCode = main(suites);
    // Ray has no Debian package: the ray backend's tests and the cluster benchmark get a virtual environment.
    if (process.exitCode === 0 && suites.some((suite) => suite !== 'e2e')) rayPython();
  } catch (error) {
    console.error(`prerequisites: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
