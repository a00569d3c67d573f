// Where the page runs: inside a VS Code webview (messages to the extension) or as a standalone file
// (exports download). The rest of the page talks only to this.
import type { ExportKind, FromWebview } from '../protocol/webview';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

const vscode: VsCodeApi | null = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;

export const inVsCode = vscode !== null;

export function post(message: FromWebview): void {
  vscode?.postMessage(message);
}

const MIME: Record<ExportKind, string> = {
  png: 'image/png',
  csv: 'text/csv',
  json: 'application/json',
  trace: 'application/json',
};

/** Text exports, or a PNG as a data URL: saved by the extension in VS Code, downloaded otherwise. */
export function exportFile(kind: ExportKind, filename: string, content: string): void {
  const base64 = kind === 'png' ? content.slice(content.indexOf(',') + 1) : null;
  if (vscode) {
    vscode.postMessage(
      base64 === null
        ? { type: 'export', kind, filename, data: content, encoding: 'utf8' }
        : { type: 'export', kind, filename, data: base64, encoding: 'base64' },
    );
    return;
  }
  const blob =
    base64 === null
      ? new Blob([content], { type: MIME[kind] })
      : new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: MIME[kind] });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
