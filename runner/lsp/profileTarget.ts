// Checks a profile request against the saved file (it exists, the function is still there and can be run),
// then runs the profile engine; every failure comes back as data.
import { readFile } from 'node:fs/promises';
import type { ProfileParams, ProfileResult } from '../../protocol/lsp';
import type { ProfileEvents } from '../../protocol/profile';
import { discoverFunctions } from '../discovery/discover';
import type { Grammars } from '../discovery/grammars';
import { profile } from '../profile/profile';

export async function profileTarget(
  grammars: Grammars,
  params: ProfileParams,
  events: ProfileEvents,
  signal: AbortSignal,
): Promise<ProfileResult> {
  for (const target of params.options.targets) {
    let source: string;
    try {
      source = await readFile(target.file, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : String(error);
      return {
        ok: false,
        error: { code: 'file-not-found', message: `Cannot profile ${target.file}: ${reason}.` },
      };
    }
    const found = await discoverFunctions(grammars, target.language, target.file, source);
    const match = found.find((fn) => fn.name === target.function);
    if (!match) {
      const offered = found.filter((fn) => fn.profilable).map((fn) => fn.name);
      return {
        ok: false,
        error: {
          code: 'function-not-found',
          message: `${target.file} (as saved) has no function ${target.function}; it offers ${offered.join(', ') || 'none'}.`,
        },
      };
    }
    if (!match.profilable) {
      return {
        ok: false,
        error: {
          code: 'function-not-profilable',
          message: `${target.function} cannot be profiled: ${match.reason ?? ''}.`,
        },
      };
    }
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
