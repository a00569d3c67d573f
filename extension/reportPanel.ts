// The report page in a webview panel, one panel reused for every report: the page bundle (dist/webview.js) is
// loaded under a nonce; it says "ready", then gets the report, or a running profile's points so far and each
// new one as it comes; exports it asks for are saved where the user says.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Comparison } from '../protocol/comparison';
import type { Environment, Point, Report, Run } from '../protocol/report';
import { assertNever, type FromWebview, type ToWebview } from '../protocol/webview';
import { newNonce, renderWebviewHtml } from '../webview/shell/html';
import { PageContent } from './pageContent';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly content = new PageContent();
  /** The file and function of the report shown, for the page's "Profile at sizes...". */
  private origin: { uri: string; function: string } | undefined;

  /** reportFolder: where report files the page reads lie (the history); the page may load resources from it. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly reportFolder: vscode.Uri,
  ) {}

  /**
   * Shows a finished report (a run's final one, or one from the history) and gives the panel the focus; resolves
   * once the panel has become the active one, or after 2 s if it already was.
   */
  show(
    report: Report,
    title: string,
    options: {
      /** A comparison: the older report overlaid, with the verdicts. */
      overlay?: { baseline: Report; comparison: Comparison };
      /** The function the report is of, for "Profile at sizes...". */
      origin?: { uri: string; function: string };
    } = {},
  ): Promise<void> {
    return this.present(title, options.origin, () => this.content.showReport(report, options.overlay));
  }

  /**
   * As show, for a whole report in a file of the report folder: the page reads the file itself, so its task
   * tables never pass through the extension host.
   */
  showFile(file: string, title: string, origin?: { uri: string; function: string }): Promise<void> {
    return this.present(title, origin, (webview) =>
      this.content.showReportFile(webview.asWebviewUri(vscode.Uri.file(file)).toString()),
    );
  }

  private present(
    title: string,
    origin: { uri: string; function: string } | undefined,
    message: (webview: vscode.Webview) => ToWebview,
  ): Promise<void> {
    this.origin = origin;
    this.open(title, false, message);
    const panel = this.panel;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        listener?.dispose();
        resolve();
      };
      const timer = setTimeout(done, 2000);
      const listener = panel?.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.active) done();
      });
    });
  }

  /** A run has started: its points will stream to the panel, opened beside the editor without taking the focus. */
  startRun(runId: string, fn: string, environment: Environment): void {
    this.open(`Amdahl: ${fn} (running)`, true, () => this.content.startRun(runId, fn, environment));
  }

  /** A new point of the live run; a point of any other run is dropped. */
  addPoint(runId: string, run: Run, point: Point): void {
    const message = this.content.addPoint(runId, run, point);
    if (message) this.post(message);
  }

  /** Shows the panel (made if needed) with the content `message` makes; a new page gets it once it is ready. */
  private open(title: string, preserveFocus: boolean, message: (webview: vscode.Webview) => ToWebview): void {
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
      this.post(message(this.panel.webview));
      return;
    }
    message(this.create(title, preserveFocus).webview);
  }

  private create(title: string, preserveFocus: boolean): vscode.WebviewPanel {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      'amdahl.report',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, localResourceRoots: [dist, this.reportFolder], retainContextWhenHidden: true },
    );
    this.panel = panel;
    this.panelDisposables = [
      panel.onDidDispose(() => {
        for (const disposable of this.panelDisposables) disposable.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
      }),
      panel.webview.onDidReceiveMessage((message: FromWebview) => void this.receive(message)),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })),
    ];
    panel.webview.html = renderWebviewHtml({
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      cspSource: panel.webview.cspSource,
      nonce: newNonce(),
    });
    return panel;
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        for (const missed of this.content.replay()) this.post(missed);
        return;
      case 'export': {
        const target = await vscode.window.showSaveDialog({
          title: 'Export from the Amdahl report',
          defaultUri: vscode.Uri.file(message.filename),
        });
        if (!target) return;
        await writeFile(target.fsPath, Buffer.from(message.data, message.encoding));
        void vscode.window.showInformationMessage(`Amdahl: written to ${target.fsPath}`);
        return;
      }
      case 'error':
        this.log.error(`the report page: ${message.message}`);
        void vscode.window.showErrorMessage(
          `Amdahl: the report page could not draw the report: ${message.message}`,
        );
        return;
      case 'profileSizes':
        if (this.origin) {
          await vscode.commands.executeCommand(
            'amdahl.profileAtSizes',
            this.origin.uri,
            this.origin.function,
          );
        } else {
          void vscode.window.showErrorMessage(
            'Amdahl: this report does not say which file it came from; use "Profile at Input Sizes" from the palette.',
          );
        }
        return;
      default:
        assertNever(message);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
