// Runs the built CLI as a user does, timing it and sampling its peak RSS (VmHWM, Linux) until it exits: the CLI
// process runs the profile engine, so this is the runner's memory. Shared by the runner and scale benches.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const cli = path.resolve(__dirname, '..', 'bin', 'amdahl.js');

export interface CliRun {
  code: number | null;
  stderr: string;
  wallSeconds: number;
  peakRssBytes: number;
}

/** `echo`: copy the CLI's stderr to this process's (its errors), as well as keeping it. */
export async function runCliMeasured(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  echo = true,
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (echo) process.stderr.write(chunk);
  });
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakRssBytes = Math.max(peakRssBytes, Number(match[1]) * 1024);
    } catch {
      // exited between samples
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  return { code, stderr, wallSeconds: (performance.now() - started) / 1000, peakRssBytes };
}
