/// <reference lib="dom" />

/**
 * The colours and line widths charts take from the VS Code theme. VS Code sets its colours as
 * `--vscode-*` custom properties on <html> and the theme kind as a class on <body>
 * (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`); a canvas
 * cannot use CSS variables, so they are read here and read again when the theme changes.
 */
export interface ChartTheme {
  highContrast: boolean;
  /** Text: tick labels, legends. */
  foreground: string;
  /** Axis and grid lines. */
  lines: string;
  /** The data series. */
  series: string;
  /** A second series / the selection (a day shown "as of", the chosen cell). */
  accent: string;
  /** Things that are not data (the empty dots of an UpSet matrix). */
  muted: string;
  background: string;
  /** Stroke widths: thicker in high contrast. */
  lineWidth: number;
  pointRadius: number;
  /** Borders around bars, so they stand apart in high contrast. */
  borderWidth: number;
  font: string;
  fontSize: number;
}

function variable(style: CSSStyleDeclaration, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = style.getPropertyValue(name).trim();
    if (value) return value;
  }
  return undefined;
}

/** The current theme's chart colours (VS Code's charts.* colours, with their defaults' sources as fallbacks). */
export function chartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = variable(style, '--vscode-charts-foreground', '--vscode-foreground') ?? '#808080';
  return {
    highContrast,
    foreground,
    // In high contrast the grid uses the theme's contrast border, at full strength.
    lines:
      (highContrast ? variable(style, '--vscode-contrastBorder') : undefined) ??
      variable(style, '--vscode-charts-lines', '--vscode-panel-border') ??
      foreground,
    series: variable(style, '--vscode-charts-blue', '--vscode-editorInfo-foreground', '--vscode-progressBar-background', '--vscode-focusBorder') ?? foreground,
    accent: variable(style, '--vscode-charts-orange', '--vscode-focusBorder', '--vscode-contrastActiveBorder') ?? foreground,
    muted: variable(style, '--vscode-charts-lines', '--vscode-descriptionForeground', '--vscode-panel-border') ?? foreground,
    background: variable(style, '--vscode-editor-background') ?? 'transparent',
    lineWidth: highContrast ? 3 : 1.5,
    pointRadius: highContrast ? 3.5 : 2,
    borderWidth: highContrast ? 2 : 0,
    font: variable(style, '--vscode-font-family') ?? 'sans-serif',
    fontSize: Number.parseFloat(variable(style, '--vscode-font-size') ?? '12') || 12,
  };
}

/**
 * Calls `changed` whenever VS Code switches theme: it sets the body's class and theme ID and the
 * colour variables on <html> (a switch between two dark themes keeps the class).
 */
export function onThemeChange(changed: () => void): void {
  const key = () =>
    `${document.body.className}|${document.body.getAttribute('data-vscode-theme-id') ?? ''}|${document.documentElement.getAttribute('style') ?? ''}`;
  let current = key();
  const observer = new MutationObserver(() => {
    const next = key();
    if (next === current) return;
    current = next;
    changed();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
