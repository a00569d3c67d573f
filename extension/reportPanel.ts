// The report in a webview panel, one panel reused for every report. Until the interactive report page lands,
// it shows the standalone page (no script; every report string escaped), which the CSP keeps locked down.
import * as vscode from 'vscode';
import type { Report } from '../protocol/report';
import { renderStandaloneHtml } from '../runner/report/html';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  show(report: Report, title: string): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'amdahl.report',
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.title = title;
    this.panel.webview.html = renderStandaloneHtml(report);
    this.panel.reveal(vscode.ViewColumn.Beside);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
