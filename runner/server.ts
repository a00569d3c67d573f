// The runner as a language server (IPC from the extension, or --stdio): CodeLens above each function that can be
// profiled, the function list, and profile runs one at a time with progress, partial results and cancel.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeControl } from '../protocol/terminalText';
import { describeRecording, RECORDED, recordingOf, type RecordingSummary } from '../protocol/recording';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeLensRefreshRequest,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  createConnection,
  type CodeLens,
} from 'vscode-languageserver/node';
import {
  CancelNotification,
  CompareRequest,
  type CompareResult,
  FunctionsRequest,
  PartialNotification,
  ProfileRequest,
  ProgressNotification,
  ResultsNotification,
  type DiscoveredFunction,
  type ProfileResult,
} from '../protocol/lsp';
import { parseReport, type Language } from '../protocol/report';
import { compareReports } from './analysis/compare';
import { DocumentTrees } from './discovery/documentTrees';
import { Grammars } from './discovery/grammars';
import { languageOfFile, languageOfId, NOTEBOOK_CELL_SCHEME } from '../protocol/languages';
import { withoutIPython } from './notebook/ipythonLines';
import { resultSummary } from '../protocol/resultSummary';
import { withoutTaskTables, writeReportFile } from '../protocol/reportFile';
import { profileTarget } from './lsp/profileTarget';
import { LiveAnswers } from './lsp/liveAnswers';
import { RunQueue } from './lsp/runQueue';
import { killAllHarnesses } from './profile/harnessProcess';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const grammars = Grammars.shared();
const trees = grammars.then((loaded) => new DocumentTrees(loaded));
const queue = new RunQueue();
const running = new Map<string, AbortController>();
/** Lens titles of profiled functions, by "uri#function". */
const results = new Map<string, string>();
let canRefreshLenses = false;
/** The provisional answers of runs under way: their lenses read "so far ..." until the run ends. */
const live = new LiveAnswers(() => refreshLenses());

/** URIs from the client's converter and from vscode.Uri.toString() may percent-encode differently: compare decoded. */
function resultKey(uri: string, name: string): string {
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    // A malformed escape: keep the URI as it came.
  }
  return `${decoded}#${name}`;
}

connection.onInitialize((params) => {
  canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'amdahl-runner' },
  };
});

function languageOf(document: TextDocument): ReturnType<typeof languageOfId> {
  return languageOfId(document.languageId) ?? languageOfFile(document.uri);
}

/** The last discovery per document, by version: VS Code asks for lenses again without an edit (scrolling, refresh). */
const discovered = new Map<string, { version: number; functions: DiscoveredFunction[] }>();

async function functionsOf(document: TextDocument, language: Language): Promise<DiscoveredFunction[]> {
  const cached = discovered.get(document.uri);
  if (cached?.version === document.version) return cached.functions;
  // A notebook cell's IPython-only lines are not Python: discovery reads the cell as its module will hold it.
  const text = document.uri.startsWith(`${NOTEBOOK_CELL_SCHEME}:`)
    ? withoutIPython(document.getText()).text
    : document.getText();
  const functions = await (await trees).discover(document.uri, language, text);
  discovered.set(document.uri, { version: document.version, functions });
  return functions;
}

documents.onDidClose(({ document }) => {
  discovered.delete(document.uri);
  void trees.then((kept) => kept.forget(document.uri));
});

connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
  const document = documents.get(textDocument.uri);
  const language = document && languageOf(document);
  if (!document || !language) return [];
  const functions = await functionsOf(document, language);
  const lenses: CodeLens[] = [];
  for (const fn of functions) {
    if (!fn.profilable) continue;
    const range = {
      start: { line: fn.line, character: fn.character },
      end: { line: fn.line, character: fn.character },
    };
    // Recorded inputs are offered first: the function's real calls rather than an input list.
    const recording = language === 'python' ? recordingFor(document.uri, fn.name) : null;
    if (recording) {
      lenses.push({
        range,
        command: {
          title: describeRecording(recording),
          command: 'amdahl.profile',
          arguments: [document.uri, fn.name, RECORDED],
        },
      });
    }
    lenses.push({
      range,
      command: {
        title: 'Profile Parallel Speedup',
        command: 'amdahl.profile',
        arguments: [document.uri, fn.name],
      },
    });
    const key = resultKey(document.uri, fn.name);
    const result = live.title(key, fn.name) ?? results.get(key);
    if (result) {
      lenses.push({
        range,
        command: { title: result, command: 'amdahl.openLastReport', arguments: [document.uri, fn.name] },
      });
    }
  }
  return lenses;
});

connection.onRequest(FunctionsRequest, async ({ uri }) => {
  const document = documents.get(uri);
  const language = document ? languageOf(document) : languageOfFile(uri);
  if (!document || !language) return { language, functions: [] };
  return { language, functions: await functionsOf(document, language) };
});

connection.onRequest(ProfileRequest, (params, token): Promise<ProfileResult> => {
  const controller = new AbortController();
  running.set(params.runId, controller);
  token.onCancellationRequested(() => controller.abort());
  const { runId } = params;
  return queue
    .enqueue(async () =>
      profileTarget(
        await grammars,
        params,
        {
          progress: (progress) => void connection.sendNotification(ProgressNotification, { runId, progress }),
          partial: (run, point) => {
            live.update(resultKey(params.uri, run.target.function), run);
            void connection.sendNotification(PartialNotification, { runId, run, point });
          },
          log: (line) => connection.console.log(escapeControl(line)),
        },
        controller.signal,
      ),
    )
    .then(async (result) => {
      if (!result.ok) return result;
      for (const target of params.options.targets) {
        results.set(resultKey(params.uri, target.function), resultSummary(result.report, target.function));
      }
      return params.reportFile ? deliverAsFile(result, params.reportFile) : result;
    })
    .finally(() => {
      running.delete(runId);
      for (const target of params.options.targets) live.end(resultKey(params.uri, target.function));
      refreshLenses();
    });
});

/** Writes the whole report to `file` and answers without task tables; if it cannot be written, answers it whole. */
async function deliverAsFile(
  result: Extract<ProfileResult, { ok: true }>,
  file: string,
): Promise<ProfileResult> {
  try {
    await writeReportFile(file, result.report);
    return { ...result, report: withoutTaskTables(result.report), reportFile: file };
  } catch (error) {
    connection.console.error(
      `cannot write the report to ${escapeControl(file)}: ${escapeControl(String(error))}`,
    );
    return result;
  }
}

connection.onRequest(CompareRequest, ({ base, new: next }): CompareResult => {
  const baseReport = parseReport(base.report);
  const newReport = parseReport(next.report);
  if (!baseReport.ok) return { ok: false, error: `${base.file}: ${baseReport.error}` };
  if (!newReport.ok) return { ok: false, error: `${next.file}: ${newReport.error}` };
  const outcome = compareReports(
    { file: base.file, report: baseReport.value },
    { file: next.file, report: newReport.value },
  );
  return outcome.ok ? { ok: true, comparison: outcome.value } : outcome;
});

connection.onNotification(CancelNotification, ({ runId }) => {
  connection.console.info(`cancelling run ${runId}`);
  running.get(runId)?.abort();
});

connection.onNotification(ResultsNotification, ({ results: restored }) => {
  for (const { uri, function: name, title } of restored) results.set(resultKey(uri, name), title);
  refreshLenses();
});

function recordingFor(uri: string, fn: string): RecordingSummary | null {
  if (!uri.startsWith('file:')) return null;
  const file = fileURLToPath(uri);
  return recordingOf(file, fn, path.dirname(file));
}

function refreshLenses(): void {
  if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
}

connection.onShutdown(() => {
  // A run cut off by shutdown still answers, with a report marked partial.
  for (const controller of running.values()) controller.abort();
});

// However the server ends, no harness process group outlives it.
process.on('exit', killAllHarnesses);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAllHarnesses();
    process.exit(1);
  });
}

grammars.catch((error: unknown) => connection.console.error(`cannot load the parsers: ${String(error)}`));
documents.listen(connection);
connection.listen();
