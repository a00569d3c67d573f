// Checks a profile request against the saved file (it exists, the function is still there and can be run),
// then runs the profile engine; every failure comes back as data.
import { readFile } from 'node:fs/promises';
import type { ProfileParams, ProfileResult } from '../../protocol/lsp';
import { isNotebookFile } from '../../protocol/languages';
import type { ProfileEvents, TargetSpec } from '../../protocol/profile';
import type { Message } from '../../protocol/report';
import { discoverFunctions } from '../discovery/discover';
import type { Grammars } from '../discovery/grammars';
import { notebookModuleFor } from '../notebook/notebookTarget';
import { profile } from '../profile/profile';

export async function profileTarget(
  grammars: Grammars,
  params: ProfileParams,
  events: ProfileEvents,
  signal: AbortSignal,
): Promise<ProfileResult> {
  for (const target of params.options.targets) {
    const problem = isNotebookFile(target.file)
      ? await notebookProblem(target)
      : await fileProblem(grammars, target);
    if (problem) return { ok: false, error: problem };
  }
  if (signal.aborted) {
    return {
      ok: false,
      error: { code: 'cancelled', message: 'The profile was cancelled before it started.' },
    };
  }
  try {
    const outcome = await profile(params.options, events, signal);
    return { ok: true, report: outcome.report, exitCode: outcome.exitCode };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'runner-error',
        message: `The runner failed: ${error instanceof Error ? error.message : String(error)}`,
        ...(error instanceof Error && error.stack ? { detail: error.stack } : {}),
      },
    };
  }
}

/** Why the saved file cannot be profiled (it is gone, the function is not there or cannot run); null if it can. */
async function fileProblem(grammars: Grammars, target: TargetSpec): Promise<Message | null> {
  let source: string;
  try {
    source = await readFile(target.file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : String(error);
    return { code: 'file-not-found', message: `Cannot profile ${target.file}: ${reason}.` };
  }
  const found = await discoverFunctions(grammars, target.language, target.file, source);
  const match = found.find((fn) => fn.name === target.function);
  if (!match) {
    const offered = found.filter((fn) => fn.profilable).map((fn) => fn.name);
    return {
      code: 'function-not-found',
      message: `${target.file} (as saved) has no function ${target.function}; it offers ${offered.join(', ') || 'none'}.`,
    };
  }
  if (!match.profilable) {
    return {
      code: 'function-not-profilable',
      message: `${target.function} cannot be profiled: ${match.reason ?? ''}.`,
    };
  }
  return null;
}

/** The same for a notebook: it is one, and its saved code cells define the function as a pool can run it. */
async function notebookProblem(target: TargetSpec): Promise<Message | null> {
  const built = await notebookModuleFor(target.file, target.function);
  return built.ok ? null : built.error;
}
