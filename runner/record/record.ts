// `amdahl record`: runs the user's own command with the target function wrapped (runner/harness/python/record_site
// on PYTHONPATH), then keeps the calls it recorded as .amdahl/inputs/<module>.<function>.pkl with a summary beside
// it. A failing command, a function never called and a recorder that never started are errors that say why; the
// recording of a failing command is not kept, so it never replaces a good one.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TargetSpec } from '../../protocol/profile';
import { recordingsFolder, type RecordingSummary } from '../../protocol/recording';
import { packageRoot } from '../profile/packageRoot';
import { projectRoot } from '../profile/projectPaths';

export interface RecordRequest {
  target: TargetSpec;
  command: string[];
  maxCalls: number;
  maxBytes: number;
  cwd: string;
}

export interface RecordStreams {
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
}

export type RecordOutcome =
  { ok: true; summary: RecordingSummary; notes: string[] } | { ok: false; message: string; detail?: string };

/** Lines of the command's output a failure shows. */
const TAIL_LINES = 15;
const TAIL_BYTES = 64 * 1024;
/** How long a cancelled command has to end after SIGTERM before its process group is killed. */
const TERM_GRACE_MS = 2000;

/** What a recorder process wrote to its events file (runner/harness/python/amdahl_harness/recorder.py). */
interface RecorderEvent {
  claimed?: boolean;
  module?: string;
  interpreter?: RecordingSummary['interpreter'];
  sourceHash?: string;
  call?: number;
  bytes?: number;
  site?: string;
  skipped?: string;
  argument?: string;
  stopped?: 'max-calls' | 'max-bytes';
  calls?: number;
  next?: number;
  missing?: boolean;
  found?: string;
  functions?: string[];
  wrapped?: boolean;
  mainScript?: boolean;
  exit?: boolean;
  imported?: boolean;
  modules?: string[];
  internal?: string;
}

export async function recordInputs(
  request: RecordRequest,
  streams: RecordStreams,
  signal?: AbortSignal,
): Promise<RecordOutcome> {
  const session = mkdtempSync(path.join(os.tmpdir(), 'amdahl-record-'));
  try {
    const ran = await runCommand(request, session, streams, signal);
    const events = readEvents(session);
    return keep(request, session, ran, events);
  } finally {
    rmSync(session, { recursive: true, force: true });
  }
}

interface CommandRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  tail: string;
  spawnError: string | null;
}

function runCommand(
  request: RecordRequest,
  session: string,
  streams: RecordStreams,
  signal: AbortSignal | undefined,
): Promise<CommandRun> {
  const site = path.join(packageRoot(), 'runner', 'harness', 'python', 'record_site');
  const config = {
    file: request.target.file,
    function: request.target.function,
    session,
    maxCalls: request.maxCalls,
    maxBytes: request.maxBytes,
    root: projectRoot(request.target.file) ?? request.cwd,
  };
  const pythonPath = [site, process.env.PYTHONPATH].filter((p) => p).join(path.delimiter);
  const [program, ...args] = request.command;
  // Its own process group, so that whatever the command leaves behind is ended with it.
  const child = spawn(program!, args, {
    cwd: request.cwd,
    env: { ...process.env, PYTHONPATH: pythonPath, AMDAHL_RECORD: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let tail = '';
  const keepTail = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout.on('data', (chunk: Buffer) => (streams.stdout(chunk), keepTail(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (streams.stderr(chunk), keepTail(chunk)));
  const endGroup = (sig: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      // the group has ended
    }
  };
  const cancel = (): void => {
    endGroup('SIGTERM');
    setTimeout(() => endGroup('SIGKILL'), TERM_GRACE_MS).unref();
  };
  signal?.addEventListener('abort', cancel, { once: true });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      signal?.removeEventListener('abort', cancel);
      resolve({ code: null, signal: null, tail, spawnError: error.message });
    });
    // What the command left running would hold its output open: it ends with the command.
    child.on('exit', () => endGroup('SIGKILL'));
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', cancel);
      resolve({ code, signal: sig, tail, spawnError: null });
    });
  });
}

function readEvents(session: string): RecorderEvent[] {
  const events: RecorderEvent[] = [];
  for (const name of readdirSync(session).filter((n) => n.startsWith('events-'))) {
    for (const line of readFileSync(path.join(session, name), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as RecorderEvent);
      } catch {
        // a line cut short by a process that died while writing it
      }
    }
  }
  return events;
}

function keep(
  request: RecordRequest,
  session: string,
  ran: CommandRun,
  events: RecorderEvent[],
): RecordOutcome {
  const shownCommand = request.command.join(' ');
  const fn = request.target.function;
  const shownFile = path.relative(request.cwd, request.target.file) || request.target.file;
  if (ran.spawnError !== null) {
    return { ok: false, message: `The command \`${shownCommand}\` could not be started: ${ran.spawnError}.` };
  }
  if (ran.code !== 0) {
    const how = ran.signal ? `was ended by ${ran.signal}` : `failed with exit code ${ran.code}`;
    return {
      ok: false,
      message: `The command \`${shownCommand}\` ${how}, so nothing was recorded (a failing run does not replace a recording). Its last lines:\n${lastLines(ran.tail)}`,
    };
  }
  const claimed = events.find((e) => e.claimed);
  if (!claimed) return notCalled(request, events, shownCommand, shownFile);
  const calls = events.filter((e) => e.call !== undefined);
  const skipped = events.filter((e) => e.skipped !== undefined);
  if (calls.length === 0) {
    return {
      ok: false,
      message: `${fn} was called ${skipped.length} time(s) by \`${shownCommand}\`, but no call could be pickled, so nothing was recorded: ${skipped
        .slice(0, 3)
        .map((s) => `${s.argument ?? 'an argument'} at ${s.site}: ${s.skipped}`)
        .join('; ')}.`,
    };
  }
  const folder = recordingsFolder(projectRoot(request.target.file), request.cwd);
  mkdirSync(folder, { recursive: true });
  ignoreInGit(path.dirname(folder));
  const name = `${claimed.module}.${fn}`;
  const recording = path.join(folder, `${name}.pkl`);
  renameOrCopy(path.join(session, 'calls.pkl'), recording);
  const stopped = events.find((e) => e.stopped !== undefined);
  const summary: RecordingSummary = {
    format: 'amdahl-recording-summary',
    recording,
    file: request.target.file,
    function: fn,
    module: claimed.module!,
    command: request.command,
    createdAt: new Date().toISOString(),
    calls: calls.length,
    bytes: calls.reduce((sum, e) => sum + (e.bytes ?? 0), 0),
    stoppedBy: stopped?.stopped ?? null,
    skipped: skipped.map((s) => ({
      site: s.site ?? '?',
      reason: s.skipped!,
      ...(s.argument ? { argument: s.argument } : {}),
    })),
    callSites: callSites(calls),
    interpreter: claimed.interpreter!,
    sourceHash: claimed.sourceHash!,
  };
  writeFileSync(path.join(folder, `${name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  return { ok: true, summary, notes: notes(summary, stopped, request) };
}

function notCalled(
  request: RecordRequest,
  events: RecorderEvent[],
  shownCommand: string,
  shownFile: string,
): RecordOutcome {
  const fn = request.target.function;
  const missing = events.find((e) => e.missing);
  if (missing) {
    return {
      ok: false,
      message: `${shownFile} has no top-level function ${fn} when \`${shownCommand}\` imports it (as ${missing.module}, where ${fn} is ${missing.found === 'NoneType' ? 'not defined' : `a ${missing.found}`}); its top-level functions are: ${(missing.functions ?? []).join(', ') || 'none'}.`,
    };
  }
  if (events.some((e) => e.mainScript)) {
    return {
      ok: false,
      message: `\`${shownCommand}\` runs ${shownFile} as its main script (__main__), which the recorder cannot wrap before it runs; record a command that imports it instead, e.g. a test, or \`python -c "import ${path.basename(shownFile, path.extname(shownFile))} as m; m.main()"\`.`,
    };
  }
  const exits = events.filter((e) => e.exit);
  if (exits.length === 0) {
    return {
      ok: false,
      message: `No Python process of \`${shownCommand}\` ran with the recorder, so ${fn} was not recorded: the command must run Python with the environment it is given (not python -E or -I, which ignore PYTHONPATH).`,
    };
  }
  const imported = exits.some((e) => e.imported);
  const modules = [...new Set(exits.flatMap((e) => e.modules ?? []))].sort();
  const listed =
    modules.length > 20
      ? `${modules.slice(0, 20).join(', ')} and ${modules.length - 20} more`
      : modules.join(', ');
  const what = imported
    ? `${fn} in ${shownFile} was imported but never called by \`${shownCommand}\``
    : `\`${shownCommand}\` never imported ${shownFile}, so ${fn} was never called`;
  return {
    ok: false,
    message: `${what}; nothing was recorded. The modules of the project it imported: ${listed || 'none'}.`,
  };
}

function notes(
  summary: RecordingSummary,
  stopped: RecorderEvent | undefined,
  request: RecordRequest,
): string[] {
  const out: string[] = [];
  if (summary.stoppedBy === 'max-bytes') {
    out.push(
      `Recording stopped at --max-bytes ${request.maxBytes}: the next call would have taken ${stopped?.next ?? '?'} bytes more; the ${summary.calls} calls before it are kept.`,
    );
  }
  for (const s of summary.skipped) {
    out.push(
      `A call at ${s.site} was skipped: ${s.argument ?? 'an argument'} cannot be pickled (${s.reason}).`,
    );
  }
  return out;
}

function callSites(calls: RecorderEvent[]): RecordingSummary['callSites'] {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.site ?? '?', (counts.get(call.site ?? '?') ?? 0) + 1);
  return [...counts].map(([site, n]) => ({ site, calls: n })).sort((a, b) => b.calls - a.calls);
}

function lastLines(text: string): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return (
    lines
      .slice(-TAIL_LINES)
      .map((line) => `  ${line}`)
      .join('\n') || '  (no output)'
  );
}

/** Recordings hold the user's data: .amdahl/ keeps itself out of git. */
function ignoreInGit(folder: string): void {
  const ignore = path.join(folder, '.gitignore');
  if (!existsSync(ignore))
    writeFileSync(ignore, "# Amdahl's recorded inputs hold your data: keep them out of git.\n*\n");
}

function renameOrCopy(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    writeFileSync(to, readFileSync(from));
  }
}
