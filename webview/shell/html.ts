// The report page's HTML: one offline file with the bundle and the report inlined (`--html`), and the shell
// the extension's webview panel loads the bundle into. Both are locked down by a CSP with a script nonce.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../protocol/report';
import { jsonPieces } from '../../protocol/taskTable';
import { EMBEDDED_REPORT_ID, type EmbeddedReport } from '../../protocol/webview';
import { PAGE_STYLE, STANDALONE_THEME } from '../style';
import { renderStaticPage, type StandaloneOptions } from './staticPage';

export type { StandaloneOptions } from './staticPage';

/** dist/webview.js beside the bundled CLI, or under dist/ when this file runs from source (tests, tsx). */
export function webviewBundlePath(): string | null {
  const candidates = [
    path.join(__dirname, 'webview.js'),
    path.resolve(__dirname, '..', '..', 'dist', 'webview.js'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

const SCRIPT_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON that can sit inside a <script> element, in pieces (protocol/taskTable.ts jsonPieces): no "<" (so no
 * "</script>" or "<!--"), no U+2028/9. Each piece is escaped on its own, which is the same as escaping the whole:
 * every escape replaces one character.
 */
export function* scriptSafeJson(value: unknown): Generator<string> {
  for (const piece of jsonPieces(value)) {
    yield piece.replace(/[<>&\u2028\u2029]/g, (character) => SCRIPT_ESCAPES[character]!);
  }
}

/** Script text that cannot close its element early: "</script" and "<!--" become escapes JS reads the same. */
function inlineScript(source: string): string {
  return source
    .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

/**
 * One offline HTML file: the page bundle under a nonce'd script, the report (and the baseline) as JSON data,
 * its own light/dark theme following prefers-color-scheme with a toggle. Without script (or without a built
 * bundle) the static page in <noscript> still shows every number.
 */
export function renderStandaloneHtml(report: Report, options: StandaloneOptions = {}): string {
  return [...standaloneHtmlPieces(report, options)].join('');
}

/** renderStandaloneHtml in pieces to write one after another: the report's JSON is most of a large page. */
export function* standaloneHtmlPieces(report: Report, options: StandaloneOptions = {}): Generator<string> {
  const nonce = newNonce();
  const bundlePath = webviewBundlePath();
  const fallback = renderStaticPage(report, options);
  const embedded: EmbeddedReport = {
    report,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.comparison ? { comparison: options.comparison } : {}),
  };
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data: blob:`;
  yield `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amdahl report</title>
<style nonce="${nonce}">${STANDALONE_THEME}${PAGE_STYLE}</style></head>
<body><main id="app"></main>
<noscript><style nonce="${nonce}">${fallback.style}</style>${fallback.body}</noscript>
`;
  if (bundlePath) {
    yield `<script type="application/json" id="${EMBEDDED_REPORT_ID}">`;
    yield* scriptSafeJson(embedded);
    yield `</script>
<script nonce="${nonce}">${inlineScript(readFileSync(bundlePath, 'utf8'))}</script>`;
  }
  yield `
</body></html>
`;
}

export interface WebviewHtmlOptions {
  /** webview.asWebviewUri(Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString() */
  scriptUri: string;
  /** webview.cspSource */
  cspSource: string;
  /** A fresh newNonce() per page load. */
  nonce: string;
}

/**
 * The shell for a VS Code webview panel (enableScripts: true, localResourceRoots: [Uri.joinPath(extensionUri,
 * 'dist')] and the folder of any report file it is pointed at). The page posts {type: 'ready'}; answer with
 * {type: 'report', report, baseline?} or {type: 'reportFile', url}, which it fetches (protocol/webview.ts).
 */
export function renderWebviewHtml({ scriptUri, cspSource, nonce }: WebviewHtmlOptions): string {
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource} 'nonce-${nonce}'; img-src ${cspSource} data: blob:; font-src ${cspSource}; connect-src ${cspSource}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Amdahl report</title>
<style nonce="${nonce}">${PAGE_STYLE}</style></head>
<body><main id="app"><p class="muted">Waiting for the report…</p></main>
<script nonce="${nonce}" src="${attribute(scriptUri)}"></script>
</body></html>
`;
}

function attribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
