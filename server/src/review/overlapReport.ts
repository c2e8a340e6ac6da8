import { formatNumber, plural } from './format';
import type { OverlapResult, SegmentOverlap } from './overlap';

/** Up to this many segments the text report prints the full pairwise matrix. */
export const MATRIX_LIMIT = 8;
const LISTED_PAIRS = 20;
const LISTED_CELLS = 30;

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);

function label(result: OverlapResult, s: number): string {
  const segment = result.segments[s];
  // The legend above gives each file in full; here the name, or the file name without its folder and extension.
  return `[${s + 1}] ${segment.name ?? segment.file.replace(/^.*[\\/]/, '').replace(/(\.segment)?\.json$/, '')}`;
}

function matrixLines(result: OverlapResult): string[] {
  const width = Math.max(5, ...result.pairwise.flat().map((v) => formatNumber(v).length + 2));
  const header = ' '.repeat(6) + result.segments.map((_, j) => `[${j + 1}]`.padStart(width)).join('');
  const rows = result.pairwise.map((row, i) => `${`[${i + 1}]`.padEnd(6)}${row.map((v) => formatNumber(v).padStart(width)).join('')}`);
  return [`Profiles in both (row and column; the diagonal is each segment's count):`, `  ${header}`, ...rows.map((r) => `  ${r}`)];
}

function pairLines(result: OverlapResult): string[] {
  const pairs: { i: number; j: number; count: number }[] = [];
  result.pairwise.forEach((row, i) =>
    row.forEach((count, j) => {
      if (j > i) pairs.push({ i, j, count });
    }),
  );
  pairs.sort((a, b) => b.count - a.count || a.i - b.i || a.j - b.j);
  const shown = pairs.slice(0, LISTED_PAIRS);
  return [
    `Largest pairwise overlaps (profiles in both):`,
    ...shown.map((p) => `  ${formatNumber(p.count).padStart(8)}  ${label(result, p.i)}  ∩  ${label(result, p.j)}`),
    ...(pairs.length > shown.length ? [`  … ${plural(pairs.length - shown.length, 'more pair')} (--json has the matrix)`] : []),
  ];
}

/** The overlap for a terminal: the segments, the matrix (or the largest pairs), and the exclusive cells. */
export function overlapAsText(result: OverlapResult, workspaceName: string): string {
  const lines: string[] = [];
  lines.push(`${plural(result.segments.length, 'segment')} in ${workspaceName} (${plural(result.total, 'profile')}):`);
  result.segments.forEach((segment, s) =>
    lines.push(`  [${s + 1}] ${segment.file}${segment.name ? ` (${segment.name})` : ''}: ${plural(segment.count, 'profile')}`),
  );
  lines.push(`In at least one: ${plural(result.union, 'profile')} (${percent(result.union, result.total)})`);
  if (result.segments.length >= 2) lines.push('', ...(result.segments.length <= MATRIX_LIMIT ? matrixLines(result) : pairLines(result)));
  if (result.cells.length) {
    lines.push('', 'Exclusive intersections (each profile in exactly one row; largest first):');
    const shown = result.cells.slice(0, LISTED_CELLS);
    for (const cell of shown) {
      const names = cell.members.map((s) => label(result, s)).join('  ∩  ');
      lines.push(`  ${formatNumber(cell.count).padStart(8)}  ${cell.members.length === 1 ? `${names} only` : names}`);
    }
    if (result.cells.length > shown.length) lines.push(`  … ${plural(result.cells.length - shown.length, 'more cell')} (--json lists every cell)`);
  }
  if (result.leftOut.length) {
    lines.push('', 'Left out (not counted):');
    for (const segment of result.leftOut) {
      const why =
        segment.outcome.kind === 'invalid'
          ? `invalid: ${segment.outcome.errors.map((e) => `${e.line}:${e.column}: ${e.message} [${e.code}]`).join('; ')}`
          : `not evaluable locally: ${segment.outcome.reasons.join('; ')}`;
      lines.push(`  ${segment.file}${segment.name ? ` (${segment.name})` : ''}: ${why}`);
    }
  }
  return lines.join('\n');
}

/** The overlap as JSON: the result, with each cell's segment files and profile IDs. */
export function overlapAsJson(overlap: SegmentOverlap, workspace: { name: string; root: string; now: string }): unknown {
  const { result } = overlap;
  return {
    workspace: { ...workspace, profiles: result.total },
    union: result.union,
    segments: result.segments,
    pairwise: result.pairwise,
    cells: result.cells.map((cell) => ({ ...cell, files: cell.members.map((s) => result.segments[s].file), ids: overlap.cellProfileIds(cell.members) })),
    left_out: result.leftOut,
  };
}
