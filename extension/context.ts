// Everything the extension holds while active: the log, the runner client, runs, history and the report panel,
// each registered for disposal the moment it is created.
import * as vscode from 'vscode';
import { ResultsNotification, type ResultSummary } from '../protocol/lsp';
import { createClient } from './client';
import { History } from './history';
import { compareReports, exportReport, openLastReport, showHistory } from './historyCommands';
import { profileCommand } from './profileCommand';
import { recordCommand } from './recordCommand';
import { ReportPanel } from './reportPanel';
import { Runs } from './runs';

export class AmdahlContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly log: vscode.LogOutputChannel;
  readonly runs: Runs;
  private readonly client;

  constructor(private readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Amdahl', { log: true }));
    this.client = createClient(extension, this.log);
    const storage = (extension.storageUri ?? extension.globalStorageUri).fsPath;
    const reports = `${storage}/reports`;
    const history = new History(reports);
    const panel = this.own(new ReportPanel(extension.extensionUri, this.log, vscode.Uri.file(reports)));
    this.runs = this.own(new Runs(this.client, history, panel, this.log));
    const state = extension.workspaceState;
    this.own(
      vscode.commands.registerCommand('amdahl.profile', (uri?: string, name?: string, inputs?: string) =>
        profileCommand({ client: this.client, runs: this.runs, state }, uri, name, { inputs }),
      ),
      vscode.commands.registerCommand('amdahl.recordInputs', (uri?: string, name?: string) =>
        recordCommand({ client: this.client, state, extensionUri: extension.extensionUri }, uri, name),
      ),
      vscode.commands.registerCommand('amdahl.profileAtSizes', (uri?: string, name?: string) =>
        profileCommand({ client: this.client, runs: this.runs, state }, uri, name, { atSizes: true }),
      ),
      vscode.commands.registerCommand('amdahl.cancel', () => this.runs.cancel()),
      vscode.commands.registerCommand('amdahl.openLastReport', (uri?: string, name?: string) =>
        openLastReport(history, panel, uri, name),
      ),
      vscode.commands.registerCommand('amdahl.showHistory', () => showHistory(history, panel)),
      vscode.commands.registerCommand('amdahl.exportReport', () => exportReport(history)),
      vscode.commands.registerCommand('amdahl.compareReports', () =>
        compareReports(history, panel, this.client),
      ),
    );
    this.history = history;
  }

  private readonly history: History;

  async start(): Promise<void> {
    await this.client.start();
    // Lenses show the results of earlier runs, newest per function.
    const seen = new Set<string>();
    const results: ResultSummary[] = [];
    for (const entry of await this.history.list()) {
      const key = `${entry.uri}#${entry.function}`;
      if (seen.has(key)) continue;
      seen.add(key);
      results.push({ uri: entry.uri, function: entry.function, title: entry.title });
    }
    if (results.length > 0) await this.client.sendNotification(ResultsNotification, { results });
  }

  private own<T extends vscode.Disposable>(...items: [T, ...vscode.Disposable[]]): T {
    this.disposables.push(...items);
    return items[0];
  }

  async dispose(): Promise<void> {
    await this.runs.shutdown(3000);
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    await this.client.stop(2000).catch(() => undefined);
  }
}
