// `amdahl record`: runs the command with the target recorded, and says where the recording is, or why there is none.
import path from 'node:path';
import { escapeControl } from '../../protocol/terminalText';
import { recordInputs } from '../record/record';
import { UsageError } from './args';
import { parseRecordLine } from './recordArgs';

export async function runRecord(argv: string[]): Promise<number> {
  let request;
  try {
    request = parseRecordLine(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`amdahl: ${error.message}\nRun "amdahl --help" for usage.\n`);
      return 2;
    }
    throw error;
  }
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  const outcome = await recordInputs(
    request,
    { stdout: (chunk) => process.stdout.write(chunk), stderr: (chunk) => process.stderr.write(chunk) },
    controller.signal,
  );
  process.off('SIGINT', cancel);
  process.off('SIGTERM', cancel);
  if (!outcome.ok) {
    process.stderr.write(`amdahl: ${escapeControl(outcome.message, { keepNewlines: true })}\n`);
    return 1;
  }
  const { summary, notes } = outcome;
  const shown = path.relative(process.cwd(), summary.recording) || summary.recording;
  const target = `${path.relative(process.cwd(), summary.file)}:${summary.function}`;
  const lines = [
    `amdahl: recorded ${summary.calls} call(s) of ${summary.function} (${megabytes(summary.bytes)}) into ${shown}`,
    ...notes,
    `This file holds your data and stays on this machine; loading a pickle runs code, so profile only recordings you made.`,
    `Profile over it: amdahl profile ${target} --inputs @recorded`,
  ];
  process.stdout.write(`${escapeControl(lines.join('\n'), { keepNewlines: true })}\n`);
  return 0;
}

function megabytes(bytes: number): string {
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
