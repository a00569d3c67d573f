// The custom LSP methods between the extension (client) and the runner's language server: each declared once.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Comparison } from './comparison';
import type { ProfileOptions, ProfileProgress } from './profile';
import type { Language, Message, Point, Report, Run } from './report';

/**
 * Node flags the extension starts the language server with: the server is idle most of the time, so a small
 * young generation keeps its resident memory down (it holds a few documents and parse trees, no big heaps).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=1'];

/** How a function was written; decides whether it can be profiled. */
export type FunctionKind = 'function' | 'async-function' | 'arrow-function' | 'method' | 'nested-function';

/** One function found in a file by the parser, profilable or not (then with the reason). */
export interface DiscoveredFunction {
  /** The name the harness imports: a module-level name, an export name, or "default". */
  name: string;
  kind: FunctionKind;
  /** Zero-based line and character where the definition starts (decorators included): the lens goes here. */
  line: number;
  character: number;
  /** Zero-based last line of the definition, to find the function at the cursor. */
  endLine: number;
  profilable: boolean;
  /** Why it is not offered, for the quick pick: "methods cannot be imported by name", ... */
  reason?: string;
  /** The expression from an `amdahl: inputs=...` comment right above the definition. */
  inputs?: string;
}

export interface FunctionsParams {
  uri: string;
}
export interface FunctionsResult {
  language: Language | null;
  functions: DiscoveredFunction[];
}

export interface ProfileParams {
  /** Chosen by the client; names the run in cancel, progress and partial notifications. */
  runId: string;
  /** The file as a URI, for the lens that shows the result afterwards. */
  uri: string;
  options: ProfileOptions;
  /**
   * Where the runner writes the whole report as JSON (the extension's history): the answer then carries the report
   * without its task tables, so the extension host never parses megabytes of them; the page reads the file.
   */
  reportFile?: string;
}

/**
 * The outcome as data: a report (maybe with errors in it), or why no profile could start. `reportFile`: the whole
 * report was written there, and `report` is it without task tables (protocol/reportFile.ts).
 */
export type ProfileResult =
  { ok: true; report: Report; exitCode: 0 | 1; reportFile?: string } | { ok: false; error: Message };

export interface CancelParams {
  runId: string;
}
export interface ProgressParams {
  runId: string;
  progress: ProfileProgress;
}
export interface PartialParams {
  runId: string;
  run: Run;
  point: Point;
}

/** A profiled function's headline for its lens, e.g. "3.4x on 4 workers, 85% efficient". */
export interface ResultSummary {
  uri: string;
  function: string;
  title: string;
}
export interface ResultsParams {
  results: ResultSummary[];
}

/** Two reports to compare, each with the name it is shown by (a file, a history entry). */
export interface CompareParams {
  base: { file: string; report: Report };
  new: { file: string; report: Report };
}
/** The comparison, or why there is none (the reports share no target, backend and interpreter). */
export type CompareResult = { ok: true; comparison: Comparison } | { ok: false; error: string };

/** Client -> server: the functions of a file (profilable or not), for the command palette's quick pick. */
export const FunctionsRequest = new RequestType<FunctionsParams, FunctionsResult, void>('amdahl/functions');
/** Client -> server: profile one function; answers when the run has ended, cancelled runs included. */
export const ProfileRequest = new RequestType<ProfileParams, ProfileResult, void>('amdahl/profile');
/** Client -> server: compare two reports point by point (the runner's analysis, as `amdahl compare`). */
export const CompareRequest = new RequestType<CompareParams, CompareResult, void>('amdahl/compare');
/** Client -> server: cancel a run; its harness process groups are killed and a partial report answers. */
export const CancelNotification = new NotificationType<CancelParams>('amdahl/cancel');
/** Server -> client: how far a run has got. */
export const ProgressNotification = new NotificationType<ProgressParams>('amdahl/progress');
/** Server -> client: a configuration has a new measured point (kept by the client in case the run is lost). */
export const PartialNotification = new NotificationType<PartialParams>('amdahl/partial');
/** Client -> server: results from stored reports, so lenses show them after a restart. */
export const ResultsNotification = new NotificationType<ResultsParams>('amdahl/results');
