// "Amdahl: Open Last Report", "Show Report History" and "Export Report...": the saved reports.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { renderStandaloneHtml } from '../webview/shell/html';
import type { History, HistoryEntry } from './history';
import type { ReportPanel } from './reportPanel';

export async function openLastReport(
  history: History,
  panel: ReportPanel,
  uri?: string,
  name?: string,
): Promise<void> {
  const entries = await history.list();
  const entry = uri && name ? entries.find((e) => e.uri === uri && e.function === name) : entries[0];
  if (!entry) {
    void vscode.window.showInformationMessage('Amdahl: no report yet; profile a function first.');
    return;
  }
  await open(history, panel, entry);
}

export async function showHistory(history: History, panel: ReportPanel): Promise<void> {
  const entry = await pick(history, 'Amdahl: report history');
  if (entry) await open(history, panel, entry);
}

export async function exportReport(history: History): Promise<void> {
  const entry = await pick(history, 'Amdahl: export which report?');
  if (!entry) return;
  const read = await history.read(entry);
  if (!read.ok) {
    void vscode.window.showErrorMessage(`Amdahl: ${read.error}`);
    return;
  }
  const target = await vscode.window.showSaveDialog({
    title: 'Export Amdahl report',
    defaultUri: vscode.Uri.file(`amdahl-${entry.function}.json`),
    filters: { 'Report JSON': ['json'], 'Standalone page': ['html'] },
  });
  if (!target) return;
  const contents = target.fsPath.endsWith('.html')
    ? renderStandaloneHtml(read.value)
    : `${JSON.stringify(read.value, null, 2)}\n`;
  await writeFile(target.fsPath, contents);
  void vscode.window.showInformationMessage(`Amdahl: report written to ${target.fsPath}`);
}

async function pick(history: History, title: string): Promise<HistoryEntry | undefined> {
  const entries = await history.list();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Amdahl: no report yet; profile a function first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: entry.function,
      description: `${entry.title}${entry.partial ? ' (partial)' : ''}`,
      detail: `${vscode.Uri.parse(entry.uri).fsPath} · ${entry.createdAt}`,
      entry,
    })),
    { title },
  );
  return picked?.entry;
}

async function open(history: History, panel: ReportPanel, entry: HistoryEntry): Promise<void> {
  const read = await history.read(entry);
  if (read.ok)
    void panel.show(read.value, `Amdahl: ${entry.function}${entry.partial ? ' (partial)' : ''}`, {
      uri: entry.uri,
      function: entry.function,
    });
  else void vscode.window.showErrorMessage(`Amdahl: ${read.error}`);
}
