// Recorded inputs (`amdahl record`): where they live, and the summary written beside each recording, which the CLI,
// the runner and the extension read without loading the recording itself (a pickle runs code when loaded).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** `--inputs @recorded`: the newest recording of the target's function. `--inputs @<file>` names one. */
export const RECORDED = '@recorded';
/** Folder of the recordings, below the target's project root. */
export const RECORDINGS_FOLDER = path.join('.amdahl', 'inputs');
export const DEFAULT_MAX_CALLS = 64;
export const DEFAULT_MAX_BYTES = 200_000_000;

/** `<name>.json` beside `<name>.pkl`: what was recorded, by which command, when. */
export const RecordingSummary = z.object({
  format: z.literal('amdahl-recording-summary'),
  /** The recording, absolute. */
  recording: z.string(),
  file: z.string(),
  function: z.string(),
  /** The module name the recorded program imported the file under. */
  module: z.string(),
  command: z.array(z.string()),
  createdAt: z.string(),
  calls: z.number().int(),
  bytes: z.number().int(),
  /** Why recording stopped before the command ended: max-calls, max-bytes; null when it ran to the end. */
  stoppedBy: z.enum(['max-calls', 'max-bytes']).nullable(),
  skipped: z.array(z.object({ site: z.string(), reason: z.string(), argument: z.string().optional() })),
  /** Call sites and how many recorded calls each made, most first. */
  callSites: z.array(z.object({ site: z.string(), calls: z.number().int() })),
  interpreter: z.object({
    implementation: z.string(),
    version: z.array(z.number().int()),
    executable: z.string(),
  }),
  sourceHash: z.string(),
});
export type RecordingSummary = z.infer<typeof RecordingSummary>;

/** The folder a target's recordings are in: its project root's, else the working folder's. */
export function recordingsFolder(projectRoot: string | null, cwd: string): string {
  return path.join(projectRoot ?? cwd, RECORDINGS_FOLDER);
}

/**
 * The newest recording of `fn` in `file`, looked for in the recordings folder of every folder above the file (its
 * project root is one of them) and of the working folder; null when there is none.
 */
export function recordingOf(file: string, fn: string, cwd: string): RecordingSummary | null {
  const folders: string[] = [];
  for (let folder = path.dirname(path.resolve(file)); ; folder = path.dirname(folder)) {
    folders.push(path.join(folder, RECORDINGS_FOLDER));
    if (path.dirname(folder) === folder) break;
  }
  folders.push(path.join(cwd, RECORDINGS_FOLDER));
  const found = folders.flatMap((folder) => findRecording(folder, file, fn) ?? []);
  found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return found[0] ?? null;
}

/** The newest recording of `fn` in `file` in the folder, read from the summaries; null when there is none. */
export function findRecording(folder: string, file: string, fn: string): RecordingSummary | null {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    return null;
  }
  const found: RecordingSummary[] = [];
  for (const name of names) {
    const summary = readSummary(path.join(folder, name));
    if (summary && summary.function === fn && path.resolve(summary.file) === path.resolve(file)) {
      found.push(summary);
    }
  }
  found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return found[0] ?? null;
}

export function readSummary(file: string): RecordingSummary | null {
  try {
    const parsed = RecordingSummary.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "recorded: 64 calls from `pytest tests/...`, 2 h ago": how a lens or a prompt offers a recording. */
export function describeRecording(summary: RecordingSummary, now: Date = new Date()): string {
  const command = shownCommand(summary.command);
  const shown = command.length > 40 ? `${command.slice(0, 37)}...` : command;
  const calls = `${summary.calls} call${summary.calls === 1 ? '' : 's'}`;
  return `recorded: ${calls} from \`${shown}\`, ${ago(new Date(summary.createdAt), now)}`;
}

/** The command as typed: "Record Inputs..." runs a typed command line through a shell, which is not part of it. */
function shownCommand(argv: string[]): string {
  const [program = '', flag, line] = argv;
  const shell = /(^|[\\/])(sh|bash|cmd)(\.exe)?$/i.test(program) && (flag === '-c' || flag === '/c');
  return shell && line !== undefined && argv.length === 3 ? line : argv.join(' ');
}

function ago(then: Date, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  if (!Number.isFinite(seconds)) return 'at an unknown time';
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}
