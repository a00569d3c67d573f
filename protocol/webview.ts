// Messages between the extension and the report webview: tagged unions split by direction, switched on `type`.
import type { Comparison } from './comparison';
import type { Environment, Point, Report, Run } from './report';

/** Sent by the extension to the page. */
export type ToWebview =
  /**
   * A whole report to draw; `baseline` is an earlier report overlaid for a before/after comparison, and
   * `comparison` the verdicts of the report against it.
   */
  | { type: 'report'; report: Report; baseline?: Report; comparison?: Comparison }
  /**
   * A whole report for the page to read itself from `url` (a webview resource URI of the file the runner wrote),
   * so that its megabytes of task tables never pass through the extension host.
   */
  | { type: 'reportFile'; url: string }
  /**
   * A profile of `function` has started: the page starts an empty report on `environment` and says the run is
   * going on; `partial` messages fill it in, and the run's final `report` replaces it.
   */
  | { type: 'live'; function: string; environment: Environment }
  /**
   * One configuration finished while a profile runs: `run` names the run (its points may be empty), `point` is
   * the new measurement. `environment` lets the page start a report when no `report` message came first.
   */
  | { type: 'partial'; run: Run; point: Point; environment?: Environment }
  /** The colour theme changed; the page re-reads the --vscode-* variables and redraws. */
  | { type: 'theme' };

/** What an export holds, and so the file the extension should offer to save. */
export type ExportKind = 'png' | 'csv' | 'json' | 'trace';

/** Sent by the page to the extension. */
export type FromWebview =
  /** The page's script is running and listening: the extension may send the report now. */
  | { type: 'ready' }
  /** The user asked for an export; `data` is text, or base64 for a PNG (`encoding` says which). */
  | { type: 'export'; kind: ExportKind; filename: string; data: string; encoding: 'utf8' | 'base64' }
  /** The report could not be drawn (it failed validation, or a chart threw); shown on the page as well. */
  | { type: 'error'; message: string }
  /** "Profile at sizes...": profile the shown report's function again over input sizes (the extension asks which). */
  | { type: 'profileSizes' };

/** The id of the <script type="application/json"> element that carries the report in a standalone page. */
export const EMBEDDED_REPORT_ID = 'amdahl-report';

/** What the standalone page embeds under EMBEDDED_REPORT_ID. */
export interface EmbeddedReport {
  report: unknown;
  baseline?: unknown;
  comparison?: unknown;
}

/** Fails to compile when a switch over a message union misses a case. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
