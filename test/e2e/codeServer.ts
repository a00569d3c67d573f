// Starts code-server on 127.0.0.1 with isolated user data and extensions, and stops its whole process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { alive, allProcesses, descendants } from './processTree';
import type { Toolchain } from './provision';

export interface CodeServerOptions {
  toolchain: Toolchain;
  /** Holds User/settings.json and the server's state; one per session so no state leaks between scenarios. */
  userDataDir: string;
  extensionsDir: string;
  /** false opens the workspace in restricted mode (no trust prompt, no trust). */
  trusted: boolean;
  /** Extra user settings, e.g. amdahl.* for a scenario. */
  settings?: Record<string, unknown>;
  /** Where the server's stdout and stderr go, for reading after a failure. */
  logFile: string;
}

export interface CodeServer {
  url: string;
  /** The server's pid, also its process group id. */
  pid: number;
  port: number;
  /** Kills the process group; safe to call twice. */
  stop: () => Promise<void>;
}

/** Settings that keep the workbench quiet and predictable; trust is decided per scenario. */
function userSettings(options: CodeServerOptions): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    // code-server would otherwise announce every port a profiled pool or the runner opens.
    'remote.autoForwardPorts': false,
    'editor.codeLens': true,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    'security.workspace.trust.enabled': !options.trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.emptyWindow': false,
    ...options.settings,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Installs a .vsix the way a user does, into the isolated extensions folder. */
export function installExtension(
  toolchain: Toolchain,
  vsix: string,
  extensionsDir: string,
  userDataDir: string,
): void {
  mkdirSync(extensionsDir, { recursive: true });
  const result = spawnSync(
    toolchain.node,
    [
      toolchain.codeServerEntry,
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || /fail|error/i.test(output)) {
    throw new Error(
      `code-server could not install ${vsix} (exit ${result.status ?? result.signal}):\n${output}`,
    );
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userDir = path.join(options.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(userSettings(options), null, 2));
  const port = await freePort();
  const args = [
    options.toolchain.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    options.userDataDir,
    '--extensions-dir',
    options.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-file-downloads',
    '--ignore-last-opened',
  ];
  if (options.trusted) args.push('--disable-workspace-trust');
  const log = openSync(options.logFile, 'a');
  // detached: the server and everything it starts (extension host, runner, Python pools) share one process
  // group, so one kill reaches them all.
  const child = spawn(options.toolchain.node, args, {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const stop = stopper(child);
  try {
    await waitHealthy(port, child, options.logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, port, stop };
}

/** Servers still running; killed when this process exits, also by Ctrl-C or a runner's SIGTERM. */
const killOnExit = new Set<() => void>();
const killAll = (): void => killOnExit.forEach((kill) => kill());
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/**
 * Kills the process group and any descendant that left it (a runner may start its pools in their own group);
 * on process exit too, so an aborted test run leaves nothing behind.
 */
function stopper(child: ChildProcess): () => Promise<void> {
  const pgid = child.pid;
  const signalAll = (signal: NodeJS.Signals, strays: number[]): void => {
    if (pgid === undefined) return;
    for (const target of [-pgid, ...strays]) {
      try {
        process.kill(target, signal);
      } catch {
        // Already gone.
      }
    }
  };
  const everything = (): number[] => (pgid === undefined ? [] : descendants(pgid).map((info) => info.pid));
  const onExit = (): void => signalAll('SIGKILL', everything());
  killOnExit.add(onExit);
  let stopped: Promise<void> | undefined;
  return () => {
    stopped ??= (async () => {
      killOnExit.delete(onExit);
      const strays = everything();
      signalAll('SIGTERM', strays);
      const deadline = Date.now() + 5000;
      const remaining = (): boolean => groupAlive(pgid) || strays.some(alive);
      while (Date.now() < deadline && remaining()) await sleep(100);
      signalAll('SIGKILL', strays.filter(alive));
      const hardDeadline = Date.now() + 5000;
      while (Date.now() < hardDeadline && remaining()) await sleep(50);
    })();
    return stopped;
  };
}

/** Whether any living (not zombie) process is still in the group. */
export function groupAlive(pgid: number | undefined): boolean {
  return pgid !== undefined && allProcesses().some((info) => info.pgid === pgid);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitHealthy(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const state: { exited: string | null } = { exited: null };
  child.once('exit', (code, signal) => (state.exited = `exited with ${code ?? signal}`));
  while (Date.now() < deadline) {
    if (state.exited) throw new Error(`code-server ${state.exited} before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within 60 s; see ${logFile}`);
}
