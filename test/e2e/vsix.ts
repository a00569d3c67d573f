// Packages the extension as the released .vsix (npm run package) and installs it, cached by the sources' hash.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { withCacheLock } from './cacheLock';
import { installExtension } from './codeServer';
import { CACHE_DIR, ProvisionError, REPO_ROOT, type Toolchain } from './provision';

/** What goes into the .vsix; a change to any of these repackages it. */
const PACKAGED_SOURCES = [
  'extension',
  'runner',
  'webview',
  'protocol',
  'package.json',
  // The .vsix ships piscina and esbuild.wasm from node_modules; their versions are in the lock file.
  'package-lock.json',
  'esbuild.mjs',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'media',
];

function sourcesHash(): string {
  const listed = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '--', ...PACKAGED_SOURCES], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const hash = createHash('sha256');
  for (const file of listed.split('\n').filter(Boolean).sort()) {
    const absolute = path.join(REPO_ROOT, file);
    if (!existsSync(absolute)) continue;
    hash.update(file).update('\0').update(readFileSync(absolute)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function packageScript(): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return manifest.scripts?.package;
}

/** Runs `npm run package` and returns the .vsix it wrote. */
function packageVsix(destination: string): void {
  if (!packageScript()) {
    throw new ProvisionError(
      'package.json has no "package" script: the extension must be packaged with `npm run package` before the e2e tests can install it',
    );
  }
  const before = Date.now();
  const result = spawnSync('npm', ['run', 'package'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 5 * 60 * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`npm run package failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
  const written = readdirSync(REPO_ROOT)
    .filter((name) => name.endsWith('.vsix'))
    .map((name) => ({ name, mtime: statSync(path.join(REPO_ROOT, name)).mtimeMs }))
    .filter((entry) => entry.mtime >= before - 1000)
    .sort((a, b) => b.mtime - a.mtime);
  const newest = written[0];
  if (!newest) throw new Error('npm run package succeeded but wrote no .vsix in the repository root');
  copyFileSync(path.join(REPO_ROOT, newest.name), destination);
}

export interface InstalledExtension {
  vsix: string;
  extensionsDir: string;
}

/**
 * Packages and installs the extension once per source state; later sessions reuse the installed folder
 * (scenarios run one at a time, so sharing it is safe).
 */
export function installedExtension(toolchain: Toolchain): InstalledExtension {
  return withCacheLock(path.join(CACHE_DIR, '.vsix-lock'), () => packageAndInstall(toolchain));
}

function packageAndInstall(toolchain: Toolchain): InstalledExtension {
  const hash = sourcesHash();
  const dir = path.join(CACHE_DIR, 'vsix', hash);
  const vsix = path.join(dir, 'amdahl.vsix');
  const extensionsDir = path.join(dir, 'extensions');
  const stamp = path.join(dir, '.installed');
  if (existsSync(stamp) && existsSync(vsix)) return { vsix, extensionsDir };
  // Earlier source states are not coming back often enough to keep 30 MB each; start from an empty folder.
  rmSync(path.dirname(dir), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  packageVsix(vsix);
  installExtension(toolchain, vsix, extensionsDir, path.join(dir, 'install-user-data'));
  const installed = readdirSync(extensionsDir).filter((name) => name.startsWith('amdahl.'));
  if (installed.length === 0)
    throw new Error(`installing ${vsix} left no amdahl.* folder in ${extensionsDir}`);
  writeFileSync(stamp, installed.join('\n'));
  return { vsix, extensionsDir };
}
