// `--inputs @recorded` and `--inputs @<file.pkl>`: each target's recording, found from the summaries beside the
// recordings (never by loading one), and the interpreter that recorded it as the default --python.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TargetSpec } from '../../protocol/profile';
import { readSummary, RECORDED, recordingOf } from '../../protocol/recording';
import { UsageError } from './args';

export function resolveRecordings(
  inputs: string | undefined,
  starmap: boolean,
  targets: TargetSpec[],
  cwd: string,
): { targets: TargetSpec[]; pythons: string[] } | null {
  if (inputs === undefined || !inputs.startsWith('@')) return null;
  if (starmap)
    throw new UsageError(
      `--starmap and --inputs ${inputs} do not go together: recorded calls are applied as they were made`,
    );
  const pythons = new Set<string>();
  const resolved = targets.map((target) => {
    if (target.language !== 'python') {
      throw new UsageError(
        `--inputs ${inputs}: recorded inputs are for Python targets, and ${path.basename(target.file)} is ${target.language}`,
      );
    }
    const summary =
      inputs === RECORDED
        ? recordingOf(target.file, target.function, cwd)
        : readSummary(path.resolve(cwd, inputs.slice(1)).replace(/\.pkl$/, '') + '.json');
    if (inputs === RECORDED && summary === null) {
      throw new UsageError(
        `--inputs ${RECORDED}: there is no recording of ${target.function} in ${path.relative(cwd, target.file) || target.file}; make one with "amdahl record ${path.relative(cwd, target.file)}:${target.function} -- <command that calls it>"`,
      );
    }
    const recording = inputs === RECORDED ? summary!.recording : path.resolve(cwd, inputs.slice(1));
    if (!existsSync(recording)) throw new UsageError(`--inputs ${inputs}: no such file ${recording}`);
    if (summary && existsSync(summary.interpreter.executable)) pythons.add(summary.interpreter.executable);
    return { ...target, recording };
  });
  return { targets: resolved, pythons: pythons.size === 1 ? [...pythons] : [] };
}
