// The page's stylesheet, built only on --vscode-* variables so that VS Code's light, dark and high-contrast
// themes apply as they are; the standalone page defines those variables itself (STANDALONE_THEME).
export const PAGE_STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); line-height: 1.45; }
#app { max-width: 1280px; margin: 0 auto; padding: 20px 24px 48px; }
header.top { display: flex; gap: 16px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
h1 { font-size: 1.6em; font-weight: 600; margin: 0 0 2px; }
h2 { font-size: 1.15em; font-weight: 600; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, #8884)); }
h3 { font-size: 1em; font-weight: 600; margin: 0 0 6px; }
.muted { color: var(--vscode-descriptionForeground); }
.live { padding: 6px 10px; border-left: 3px solid var(--vscode-progressBar-background, #0e70c0); background: var(--vscode-editorWidget-background); }
.toolbar { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
button, select { font: inherit; color: var(--vscode-button-secondaryForeground, var(--vscode-foreground));
  background: var(--vscode-button-secondaryBackground, transparent); border: 1px solid var(--vscode-button-border, var(--vscode-widget-border, #8886));
  border-radius: 4px; padding: 3px 10px; cursor: pointer; }
select { background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border-color: var(--vscode-dropdown-border, #8886); padding: 2px 6px; }
button:hover { background: var(--vscode-button-secondaryHoverBackground, #8882); }
button:focus-visible, select:focus-visible, [tabindex]:focus-visible, summary:focus-visible, input:focus-visible {
  outline: 2px solid var(--vscode-focusBorder); outline-offset: 1px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.85em; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: 12px; margin-top: 18px; }
.card { background: var(--vscode-editorWidget-background, var(--vscode-sideBar-background)); border: 1px solid var(--vscode-widget-border, #8883);
  border-radius: 8px; padding: 12px 14px; }
.card .title { display: flex; align-items: center; gap: 8px; font-weight: 600; margin-bottom: 8px; overflow-wrap: anywhere; }
.swatch { width: 10px; height: 10px; border-radius: 2px; flex: none; }
.card .figures { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 12px; }
.figure .value { font-size: 1.6em; font-weight: 600; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.card .why { margin-top: 8px; font-size: 0.92em; color: var(--vscode-descriptionForeground); }
.card .serial-cores { margin-top: 6px; font-size: 0.92em; }
.delta-up { color: var(--vscode-charts-green, #1a7f37); } .delta-down { color: var(--vscode-charts-red, #cf222e); }
.verdict.faster { color: var(--vscode-charts-green, #1a7f37); } .verdict.slower { color: var(--vscode-charts-red, #cf222e); font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
.chart { background: var(--vscode-editorWidget-background, transparent); border: 1px solid var(--vscode-widget-border, #8883); border-radius: 8px; padding: 10px 12px; min-width: 0; }
.chart.wide { grid-column: 1 / -1; }
.chart header { display: flex; justify-content: space-between; align-items: center; gap: 8px; margin-bottom: 6px; }
.chart header h3 { flex: 1; margin: 0; }
.chart.timeline header { flex-wrap: wrap; }
.chart .canvas-box { position: relative; height: 320px; }
.chart.small .canvas-box { height: 240px; }
.chart.timeline .canvas-box { height: 360px; }
.chart .note { font-size: 0.88em; margin-top: 4px; }
.messages { display: grid; gap: 8px; }
.message { border-left: 4px solid var(--vscode-editorWarning-foreground, #bf8700); background: var(--vscode-textBlockQuote-background, #8881);
  padding: 8px 12px; border-radius: 0 6px 6px 0; overflow-wrap: anywhere; }
.message.error { border-left-color: var(--vscode-editorError-foreground, #cf222e); }
.message .code { font-family: var(--vscode-editor-font-family, monospace); font-weight: 600; margin-right: 6px; }
.message .scope { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.message .fix { margin-top: 4px; } .message .fix::before { content: "Fix: "; font-weight: 600; }
pre { font-family: var(--vscode-editor-font-family, monospace); white-space: pre-wrap; overflow-wrap: anywhere; background: var(--vscode-textCodeBlock-background, #8881);
  padding: 8px 10px; border-radius: 4px; max-height: 320px; overflow: auto; margin: 6px 0; }
dl.environment { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.environment dt { color: var(--vscode-descriptionForeground); } dl.environment dd { margin: 0; overflow-wrap: anywhere; }
.table-wrap { overflow: auto; max-height: 520px; border: 1px solid var(--vscode-widget-border, #8883); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; padding: 6px 8px; color: var(--vscode-descriptionForeground); }
th, td { padding: 4px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--vscode-widget-border, #8882); }
th:first-child, td:first-child { text-align: left; }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background); font-weight: 600; }
tbody tr:hover { background: var(--vscode-list-hoverBackground); }
tr.baseline td { color: var(--vscode-descriptionForeground); font-style: italic; }
.invalid { border: 1px solid var(--vscode-inputValidation-errorBorder, #cf222e); background: var(--vscode-inputValidation-errorBackground, #cf222e14);
  border-radius: 8px; padding: 16px 20px; margin-top: 24px; }
.invalid h2 { border: 0; margin-top: 0; }
.partial { margin-left: 8px; }
fieldset.toggles { display: flex; flex-wrap: wrap; gap: 6px 18px; border: 0; padding: 0; margin: 0 0 12px; }
fieldset.toggles legend { float: left; margin-right: 10px; color: var(--vscode-descriptionForeground); }
fieldset.toggles label { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; }
.pop-table { margin-bottom: 12px; max-height: none; width: fit-content; max-width: 100%; }
.pop-table th.indent-1 { padding-left: 24px; } .pop-table th.indent-2 { padding-left: 38px; } .pop-table th.indent-3 { padding-left: 52px; }
.pop-table td.low { color: var(--vscode-charts-red, #cf222e); font-weight: 600; }
.heat.recommended { outline: 2px solid var(--vscode-focusBorder, #0969da); outline-offset: -2px; font-weight: 600; }
.ranking-headline, .chunksize-summary { font-weight: 600; }
td.prediction, output.prediction { font-style: italic; }
p.machine input { width: 6em; }
[hidden] { display: none !important; }
`;

/** The dark palette, used when toggled and when the system prefers dark (unless toggled to light). */
const DARK_PALETTE = `color-scheme: dark; --vscode-foreground: #e6edf3; --vscode-editor-background: #0d1117;
  --vscode-descriptionForeground: #9198a1; --vscode-widget-border: #30363d; --vscode-panel-border: #30363d;
  --vscode-editorWidget-background: #151b23; --vscode-focusBorder: #4493f8; --vscode-badge-background: #1f3a5f; --vscode-badge-foreground: #9ecbff;
  --vscode-button-secondaryBackground: #21262d; --vscode-button-secondaryForeground: #e6edf3; --vscode-button-secondaryHoverBackground: #30363d;
  --vscode-dropdown-background: #0d1117; --vscode-dropdown-foreground: #e6edf3; --vscode-list-hoverBackground: #161b22;
  --vscode-editorWarning-foreground: #d29922; --vscode-editorError-foreground: #f85149; --vscode-textBlockQuote-background: #151b23;
  --vscode-textCodeBlock-background: #151b23; --vscode-charts-blue: #4493f8; --vscode-charts-red: #f85149; --vscode-charts-green: #3fb950;
  --vscode-charts-yellow: #d29922; --vscode-charts-orange: #db6d28; --vscode-charts-purple: #ab7df8; --vscode-charts-foreground: #e6edf3;
  --vscode-charts-lines: #6e7681;`;

/** The standalone page's own light and dark palettes, following prefers-color-scheme unless toggled. */
export const STANDALONE_THEME = `
:root, :root[data-theme="light"] { color-scheme: light; --vscode-foreground: #1f2328; --vscode-editor-background: #ffffff;
  --vscode-descriptionForeground: #59636e; --vscode-widget-border: #d1d9e0; --vscode-panel-border: #d1d9e0;
  --vscode-editorWidget-background: #f6f8fa; --vscode-focusBorder: #0969da; --vscode-badge-background: #ddf4ff; --vscode-badge-foreground: #0550ae;
  --vscode-button-secondaryBackground: #f6f8fa; --vscode-button-secondaryForeground: #1f2328; --vscode-button-secondaryHoverBackground: #eaeef2;
  --vscode-dropdown-background: #ffffff; --vscode-dropdown-foreground: #1f2328; --vscode-list-hoverBackground: #f3f6f9;
  --vscode-editorWarning-foreground: #9a6700; --vscode-editorError-foreground: #cf222e; --vscode-textBlockQuote-background: #f6f8fa;
  --vscode-textCodeBlock-background: #f6f8fa; --vscode-charts-blue: #0969da; --vscode-charts-red: #cf222e; --vscode-charts-green: #1a7f37;
  --vscode-charts-yellow: #bf8700; --vscode-charts-orange: #bc4c00; --vscode-charts-purple: #8250df; --vscode-charts-foreground: #1f2328;
  --vscode-charts-lines: #8c959f; --vscode-font-family: system-ui, -apple-system, "Segoe UI", sans-serif; --vscode-font-size: 14px;
  --vscode-editor-font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; }
:root[data-theme="dark"] { ${DARK_PALETTE} }
@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${DARK_PALETTE} } }
`;
