// Profile runs from the extension's side: one at a time (later ones wait, shown as queued), each under a
// cancellable progress notification and a status bar item; results are saved, shown, and put on the lens.
import { escapeControl } from '../protocol/terminalText';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { CodeLensRequest, type LanguageClient } from 'vscode-languageclient/node';
import {
  CancelNotification,
  PartialNotification,
  ProfileRequest,
  ProgressNotification,
  type ProfileResult,
} from '../protocol/lsp';
import type { ProfileOptions, ProfileProgress } from '../protocol/profile';
import type { Report, Run } from '../protocol/report';
import type { History } from './history';
import { offerInterpreterChoice } from './interpreter';
import { revealErrorCell } from './notebookCells';
import { resultSummary } from '../protocol/resultSummary';
import { nodeEnvironment } from '../protocol/nodeEnvironment';
import { partialReport } from './partialReport';
import type { ReportPanel } from './reportPanel';

export interface RunRequest {
  uri: string;
  function: string;
  options: ProfileOptions;
}

interface ActiveRun {
  runId: string;
  request: RunRequest;
  /** The latest snapshot of each configuration's run, kept in case the runner is lost. */
  partialRuns: Map<string, Run>;
  /** Whether the report panel was opened for this run's live points (once, at its first point). */
  shownLive: boolean;
  onProgress: (progress: ProfileProgress) => void;
  settled: Promise<void>;
}

export class Runs implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.status];
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private active: ActiveRun | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly history: History,
    private readonly panel: ReportPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status.command = 'amdahl.cancel';
    this.disposables.push(
      client.onNotification(ProgressNotification, ({ runId, progress }) => {
        if (this.active?.runId === runId) this.active.onProgress(progress);
      }),
      client.onNotification(PartialNotification, ({ runId, run, point }) => {
        const active = this.active;
        if (active?.runId !== runId) return;
        const key = [run.backend, run.startMethod ?? '', run.libraryThreads ?? '', run.runtime ?? ''].join(
          '|',
        );
        active.partialRuns.set(key, run);
        if (!active.shownLive) {
          active.shownLive = true;
          this.panel.startRun(runId, active.request.function, nodeEnvironment(run.runtime));
        }
        this.panel.addPoint(runId, run, point);
      }),
    );
  }

  /** Queues a run; resolves when it has ended, however it ended. */
  start(request: RunRequest): Promise<void> {
    this.queued += 1;
    this.updateStatus();
    const run = this.tail.then(() => {
      this.queued -= 1;
      return this.execute(request);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  cancel(): void {
    if (this.active) void this.client.sendNotification(CancelNotification, { runId: this.active.runId });
  }

  private async execute(request: RunRequest): Promise<void> {
    const runId = randomUUID();
    const title = `Amdahl: profiling ${request.function}`;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        let reported = 0;
        let settle: () => void = () => undefined;
        const active: ActiveRun = {
          runId,
          request,
          partialRuns: new Map(),
          shownLive: false,
          onProgress: (next) => {
            const percent = Math.max(0, Math.min(100, next.fraction * 100));
            progress.report({ message: next.message, increment: Math.max(0, percent - reported) });
            reported = Math.max(reported, percent);
          },
          settled: new Promise<void>((resolve) => (settle = resolve)),
        };
        this.active = active;
        this.updateStatus();
        const cancelling = token.onCancellationRequested(() => this.cancel());
        try {
          const result = await this.request(active);
          await this.finish(request, result, [...active.partialRuns.values()]);
        } finally {
          cancelling.dispose();
          this.active = undefined;
          settle();
          this.updateStatus();
        }
      },
    );
  }

  /** The runner's answer, or, if the runner died, a partial report from what it had sent. */
  private async request(active: ActiveRun): Promise<ProfileResult> {
    try {
      return await this.client.sendRequest(ProfileRequest, {
        runId: active.runId,
        uri: active.request.uri,
        options: active.request.options,
        reportFile: this.history.reserve(active.request.function),
      });
    } catch (error) {
      this.log.error(`the runner was lost during a run: ${escapeControl(String(error))}`);
      return {
        ok: true,
        exitCode: 1,
        report: partialReport([...active.partialRuns.values()], {
          code: 'runner-crashed',
          message: `The runner stopped during the profile (${error instanceof Error ? error.message : String(error)}); the report keeps what was measured. The runner is restarted.`,
        }),
      };
    }
  }

  /** measured: the runs' latest snapshots as sent during the run, kept if the run fails without a report. */
  private async finish(request: RunRequest, result: ProfileResult, measured: Run[]): Promise<void> {
    if (!result.ok) {
      this.log.error(`${result.error.code}: ${escapeControl(result.error.message)}`);
      // Points were shown live: end that page with them and the error instead of leaving it "running".
      if (measured.length > 0) await this.saveAndShow(request, partialReport(measured, result.error));
      switch (result.error.code) {
        case 'interpreter-not-found':
          await offerInterpreterChoice(result.error.message);
          break;
        default:
          void vscode.window.showErrorMessage(`Amdahl: ${result.error.message}`);
      }
      return;
    }
    await this.saveAndShow(request, result.report, result.reportFile);
    const first = result.report.errors[0];
    if (!first) return;
    switch (first.code) {
      case 'interpreter-not-found':
        void offerInterpreterChoice(first.message);
        break;
      case 'cancelled':
        void vscode.window.showInformationMessage(`Amdahl: ${first.message}`);
        break;
      default:
        void vscode.window.showErrorMessage(`Amdahl: ${first.message}`);
    }
    // An error in a notebook's cell: take the user to that cell and line.
    const inCell = result.report.errors.find((error) => error.cell);
    if (inCell)
      await revealErrorCell(request.uri, inCell).catch((error: unknown) => this.log.warn(String(error)));
  }

  /** reportFile: the runner wrote the whole report there, and `report` lacks its task tables. */
  private async saveAndShow(request: RunRequest, report: Report, reportFile?: string): Promise<void> {
    const title = resultSummary(report, request.function);
    let file = reportFile;
    try {
      ({ reportFile: file } = await this.history.save(
        {
          uri: request.uri,
          function: request.function,
          title,
          createdAt: report.createdAt,
          partial: report.partial ?? false,
        },
        report,
        reportFile,
      ));
    } catch (error) {
      this.log.error(`cannot save the report: ${String(error)}`);
    }
    const origin = { uri: request.uri, function: request.function };
    const shown = file
      ? this.panel.showFile(file, `Amdahl: ${request.function}`, origin)
      : this.panel.show(report, `Amdahl: ${request.function}`, { origin });
    void shown.then(() => this.refreshLenses(request.uri));
  }

  /**
   * Asks VS Code for the file's lenses again, so the one above the function shows the result. The server's own
   * workspace/codeLens/refresh comes just before the run's answer, and VS Code's CodeLens controller cancels a
   * pending lens update when its editor loses the text focus (onDidBlurEditorText), which the report panel
   * taking the focus does a moment later: the editor beside it kept the old lens until it was clicked. Fired
   * once the panel has the focus, this update is not cancelled.
   */
  private refreshLenses(uri: string): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (document)
      this.client.getFeature(CodeLensRequest.method).getProvider(document)?.onDidChangeCodeLensEmitter.fire();
  }

  /** VS Code is closing: cancel the run and keep its partial report (the runner's, or the one built here). */
  async shutdown(timeoutMs: number): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.cancel();
    const answered = await Promise.race([
      active.settled.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs)),
    ]);
    if (answered) return;
    const report = partialReport([...active.partialRuns.values()], {
      code: 'cancelled',
      message: 'VS Code closed during the profile; the report keeps what was measured.',
    });
    await this.history
      .save(
        {
          uri: active.request.uri,
          function: active.request.function,
          title: 'partial report',
          createdAt: report.createdAt,
          partial: true,
        },
        report,
      )
      .catch(() => undefined);
  }

  private updateStatus(): void {
    if (!this.active && this.queued === 0) {
      this.status.hide();
      return;
    }
    const name = this.active ? this.active.request.function : 'next run';
    const queued = this.queued > 0 ? ` (+${this.queued} queued)` : '';
    this.status.text = `$(sync~spin) Amdahl: ${name}${queued}`;
    this.status.tooltip = 'Amdahl is profiling; click to cancel';
    this.status.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
