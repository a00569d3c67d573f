// A report from the points a run had sent before it was lost (runner crash, VS Code closing): nothing measured
// is thrown away, and the report says it is partial.
import { SCHEMA_VERSION, type Message, type Report, type Run } from '../protocol/report';
import { nodeEnvironment } from '../protocol/nodeEnvironment';

export function partialReport(runs: Run[], error: Message): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    environment: nodeEnvironment(runtimesOf(runs)),
    runs: runs.map((run) => ({ ...run, partial: true })),
    warnings: [],
    errors: [error],
    partial: true,
  };
}

/** The runtimes the runs were measured on, e.g. "CPython 3.11.7, PyPy 7.3.15"; undefined if none says. */
function runtimesOf(runs: Run[]): string | undefined {
  const runtimes = [...new Set(runs.flatMap((run) => (run.runtime ? [run.runtime] : [])))];
  return runtimes.length > 0 ? runtimes.join(', ') : undefined;
}
