// "Amdahl: Open Last Report", "Show Report History", "Export Report..." and "Compare Reports...": the saved reports.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CompareRequest } from '../protocol/lsp';
import { parseReport, type Report, type ReportParse } from '../protocol/report';
import { renderStandaloneHtml } from '../webview/shell/html';
import { readableJson } from '../protocol/taskTable';
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
    : `${readableJson(read.value)}\n`;
  await writeFile(target.fsPath, contents);
  void vscode.window.showInformationMessage(`Amdahl: report written to ${target.fsPath}`);
}

async function pick(history: History, title: string): Promise<HistoryEntry | undefined> {
  const entries = await history.list();
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('Amdahl: no report yet; profile a function first.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(entries.map(historyItem), { title });
  return picked?.entry;
}

function historyItem(entry: HistoryEntry): vscode.QuickPickItem & { entry: HistoryEntry } {
  return {
    label: entry.function,
    description: `${entry.title}${entry.partial ? ' (partial)' : ''}`,
    detail: `${vscode.Uri.parse(entry.uri).fsPath} · ${entry.createdAt}`,
    entry,
  };
}

/** A report to compare, with the name the comparison shows it by. */
interface Picked {
  file: string;
  report: Report;
}

/**
 * "Amdahl: Compare Reports...": two reports, each from the history or a file on disk (a CLI --json, an export);
 * the runner compares them (as `amdahl compare`), and the page shows the newer over the older, dashed, with a
 * verdict per matched point.
 */
export async function compareReports(
  history: History,
  panel: ReportPanel,
  client: LanguageClient,
): Promise<void> {
  const first = await pickReport(history, 'Amdahl: compare which report? (1 of 2)');
  if (!first) return;
  const second = await pickReport(history, 'Amdahl: compare it with which report? (2 of 2)');
  if (!second) return;
  // The older report is the base, whichever was picked first.
  const [base, next] = first.report.createdAt <= second.report.createdAt ? [first, second] : [second, first];
  const result = await client.sendRequest(CompareRequest, { base, new: next });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Amdahl: cannot compare: ${result.error}`);
    return;
  }
  await panel.show(next.report, `Amdahl: ${path.basename(next.file)} vs ${path.basename(base.file)}`, {
    overlay: { baseline: base.report, comparison: result.comparison },
  });
}

const FROM_DISK = 'Open a report file...';

async function pickReport(history: History, title: string): Promise<Picked | undefined> {
  const items: (vscode.QuickPickItem & { entry?: HistoryEntry })[] = [
    { label: FROM_DISK, description: 'a report JSON written by amdahl --json or exported' },
    ...(await history.list()).map(historyItem),
  ];
  const picked = await vscode.window.showQuickPick(items, { title });
  if (!picked) return undefined;
  if (picked.entry) {
    const read = await history.read(picked.entry);
    if (read.ok) return { file: `${picked.entry.function} (${picked.entry.createdAt})`, report: read.value };
    void vscode.window.showErrorMessage(`Amdahl: ${read.error}`);
    return undefined;
  }
  const [uri] =
    (await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { 'Amdahl report': ['json'] },
    })) ?? [];
  if (!uri) return undefined;
  const read = await readReportFile(uri.fsPath);
  if (read.ok) return { file: uri.fsPath, report: read.value };
  void vscode.window.showErrorMessage(`Amdahl: ${uri.fsPath}: ${read.error}`);
  return undefined;
}

async function readReportFile(file: string): Promise<ReportParse> {
  try {
    return parseReport(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    return {
      ok: false,
      error: `cannot read the report: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** A saved report on the page: one in a report file of its own is read by the page, not parsed here. */
async function open(history: History, panel: ReportPanel, entry: HistoryEntry): Promise<void> {
  const title = `Amdahl: ${entry.function}${entry.partial ? ' (partial)' : ''}`;
  const origin = { uri: entry.uri, function: entry.function };
  if (entry.reportFile !== entry.file) {
    void panel.showFile(entry.reportFile, title, origin);
    return;
  }
  const read = await history.read(entry);
  if (read.ok) void panel.show(read.value, title, { origin });
  else void vscode.window.showErrorMessage(`Amdahl: ${read.error}`);
}
