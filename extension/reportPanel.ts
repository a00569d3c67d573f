// The report page in a webview panel, one panel reused for every report: the page bundle (dist/webview.js) is
// loaded under a nonce; it says "ready", then gets the report; exports it asks for are saved where the user says.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Report } from '../protocol/report';
import { assertNever, type FromWebview, type ToWebview } from '../protocol/webview';
import { newNonce, renderWebviewHtml } from '../runner/report/html';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private report: Report | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(report: Report, title: string): void {
    this.report = report;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside);
      this.post({ type: 'report', report });
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      'amdahl.report',
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true },
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
  }

  private post(message: ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async receive(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        if (this.report) this.post({ type: 'report', report: this.report });
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
      default:
        assertNever(message);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
