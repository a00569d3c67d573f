// Chart colours read from the --vscode-* variables, and the hooks that redraw when the theme changes.
export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  warning: string;
  /** One colour per run, in order. */
  series: string[];
  /** Colours of the overhead components. */
  components: string[];
  highContrast: boolean;
}

function variable(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function readTheme(): Theme {
  const blue = variable('--vscode-charts-blue', '#0969da');
  const red = variable('--vscode-charts-red', '#cf222e');
  const green = variable('--vscode-charts-green', '#1a7f37');
  const yellow = variable('--vscode-charts-yellow', '#bf8700');
  const orange = variable('--vscode-charts-orange', '#bc4c00');
  const purple = variable('--vscode-charts-purple', '#8250df');
  const foreground = variable('--vscode-charts-foreground', variable('--vscode-foreground', '#1f2328'));
  const lines = variable('--vscode-charts-lines', '#8c959f');
  const highContrast = document.body.classList.contains('vscode-high-contrast');
  return {
    foreground,
    muted: variable('--vscode-descriptionForeground', lines),
    // High contrast themes want visible structure: a stronger grid.
    grid: withAlpha(lines, highContrast ? 0.6 : 0.25),
    background: variable('--vscode-editor-background', '#ffffff'),
    warning: variable('--vscode-editorWarning-foreground', yellow),
    series: [blue, orange, green, purple, red, yellow],
    components: [blue, purple, orange, yellow, red, green, lines],
    highContrast,
  };
}

/** Adds transparency to a #rgb or #rrggbb colour; other notations are returned as they are. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (!hex) return colour;
  const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d).join('') : hex[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Calls redraw when VS Code swaps its theme class on <body> or the system's colour scheme changes. */
export function watchTheme(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  new MutationObserver(redraw).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme', 'style'],
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}
