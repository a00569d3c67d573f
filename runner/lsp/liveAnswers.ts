// The provisional answers of a run under way, for the lenses: each function's runs as the partial reports so far
// have them, and a lens refresh at most every REFRESH_MS so a run of many short passes does not flood the editor.
import type { Run } from '../../protocol/report';
import { provisionalSummary } from '../../protocol/resultSummary';
import { runIdentity } from '../../protocol/runName';

const REFRESH_MS = 500;

export class LiveAnswers {
  /** By lens key ("uri#function"): each run's latest partial, by backend and start method. */
  private readonly runs = new Map<string, Map<string, Run>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly refresh: () => void) {}

  /** Takes a partial run of the function behind key, and refreshes the lenses soon. */
  update(key: string, run: Run): void {
    const runs = this.runs.get(key) ?? new Map<string, Run>();
    runs.set(runIdentity(run), run);
    this.runs.set(key, runs);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, REFRESH_MS);
  }

  /** The lens title of key's run so far, or null when none is under way or nothing is measured yet. */
  title(key: string, functionName: string): string | null {
    const runs = this.runs.get(key);
    return runs ? provisionalSummary([...runs.values()], functionName) : null;
  }

  /** The run of key ended: its lens shows the final answer (or none) from now on. */
  end(key: string): void {
    this.runs.delete(key);
  }
}
