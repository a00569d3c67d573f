// Runs the built CLI as a user does, timing it and taking its peak RSS (VmHWM, Linux): sampled while it runs, and
// read by the CLI itself as it exits (bench/peakRss.cjs, preloaded), so the peak of writing the report at the end
// counts. The CLI process runs the profile engine, so this is the runner's memory. Shared by the runner and scale
// benches.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const cli = path.resolve(__dirname, '..', 'bin', 'amdahl.js');
const peakAtExit = path.resolve(__dirname, 'peakRss.cjs');
const PEAK_LINE = /\namdahl-bench-vmhwm-kb (\d+)\n/;

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
  const child = spawn(process.execPath, ['-r', peakAtExit, cli, ...args], {
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
  const atExit = PEAK_LINE.exec(stderr);
  if (atExit) peakRssBytes = Math.max(peakRssBytes, Number(atExit[1]) * 1024);
  return {
    code,
    stderr: stderr.replace(PEAK_LINE, ''),
    wallSeconds: (performance.now() - started) / 1000,
    peakRssBytes,
  };
}
