import type { ProfileDelta, SegmentDiffReport, SegmentFileDiff } from './diff';
import { formatNumber, plural, shortCommit } from './format';
import { escapeMarkdown, markdownCode } from './markdown';
import type { ProfileSummary } from './profiles';
import type { SegmentEvaluation } from './segmentEvaluation';

/** What the base revision was, in words: "HEAD~1 (0123456789ab)". */
function baseLabel(report: SegmentDiffReport): string {
  return report.base.commit ? `${report.base.revision} (${shortCommit(report.base.commit)})` : report.base.revision;
}

/** A side's count in a few words: "1,234", "invalid", "not evaluable", or "—" when the file is absent. */
export function sideCount(side: SegmentEvaluation | null): string {
  if (!side) return '—';
  switch (side.outcome.kind) {
    case 'counted':
      return formatNumber(side.outcome.matched);
    case 'invalid':
      return 'invalid';
    case 'not-evaluable':
      return 'not evaluable';
  }
}

/** "+3 / −1", or "?" when a side cannot be counted. */
export function deltaLabel(file: SegmentFileDiff): string {
  return file.added && file.removed ? `+${formatNumber(file.added.count)} / −${formatNumber(file.removed.count)}` : '?';
}

/** What a side says when it has no count: its errors, or why it is not evaluable locally. */
function sideProblem(side: SegmentEvaluation): string[] {
  if (side.outcome.kind === 'invalid') return side.outcome.errors.map((e) => `invalid: ${e.line}:${e.column}: ${e.message} [${e.code}]`);
  if (side.outcome.kind === 'not-evaluable') return [`not evaluable locally: ${side.outcome.reasons.join('; ')}`];
  return [];
}

function statusLabel(file: SegmentFileDiff): string {
  return file.status === 'renamed' ? `renamed from ${file.oldPath}` : file.status;
}

function profileLine(profile: ProfileSummary): string {
  return [profile.id, profile.email ?? '(no email)', profile.name ?? '', profile.location ?? ''].filter(Boolean).join('  ');
}

function textDelta(sign: '+' | '-', label: string, delta: ProfileDelta | null): string[] {
  if (!delta || delta.count === 0) return [];
  const more = delta.count - delta.sample.length;
  return [
    `  ${label} (${formatNumber(delta.count)}):`,
    ...delta.sample.map((p) => `    ${sign} ${profileLine(p)}`),
    ...(more > 0 ? [`    … and ${plural(more, 'more profile')} (--json lists every ID)`] : []),
  ];
}

function textSide(label: string, side: SegmentEvaluation | null): string[] {
  if (!side) return [];
  const [first, ...rest] = side.description ? [side.description, ...sideProblem(side)] : sideProblem(side);
  return [`  ${label} ${first}`, ...rest.map((line) => `          ${line}`)];
}

/** The diff for a terminal: per file its change, both readings, the counts and who enters and leaves. */
export function diffAsText(report: SegmentDiffReport): string {
  const lines: string[] = [];
  if (report.noCommits) lines.push(`The repository has no commits yet: every segment file is new (added).`);
  if (report.files.length === 0) {
    lines.push(report.noCommits ? 'No segment files in the working tree.' : `No segment file differs from ${baseLabel(report)}.`);
    return lines.join('\n');
  }
  lines.push(
    `${plural(report.files.length, 'segment file')} ${report.noCommits ? 'in the working tree' : `differ${report.files.length === 1 ? 's' : ''} from ${baseLabel(report)}`}:`,
  );
  for (const file of report.files) {
    const name = file.after?.name ?? file.before?.name;
    lines.push('', `${file.path}${name ? ` (${name})` : ''}: ${statusLabel(file)}${file.definitionChanged ? '' : ', definition unchanged'}`);
    lines.push(...textSide('before:', file.before), ...textSide('after: ', file.after));
    lines.push(
      `  count:  ${sideCount(file.before)} → ${sideCount(file.after)} of ${plural(file.workspace.profiles, 'profile')} in ${file.workspace.name} (${deltaLabel(file)})`,
    );
    lines.push(...textDelta('+', 'added', file.added), ...textDelta('-', 'removed', file.removed));
  }
  return lines.join('\n');
}

function markdownSide(label: string, side: SegmentEvaluation | null): string[] {
  if (!side) return [];
  const problems = sideProblem(side).map((p) => `- ${escapeMarkdown(p, 500)}`);
  const reading = side.description ? escapeMarkdown(side.description, 4000) : '';
  return [`**${label}** ${reading}`.trimEnd(), ...(problems.length ? ['', ...problems] : []), ''];
}

function markdownDelta(label: string, delta: ProfileDelta | null): string[] {
  if (!delta) return [];
  if (delta.count === 0) return [`**${label}:** none`, ''];
  const shown = delta.sample.length < delta.count ? `, first ${formatNumber(delta.sample.length)}` : '';
  return [
    `**${label} (${formatNumber(delta.count)}${shown}):**`,
    '',
    ...delta.sample.map((p) => `- ${markdownCode(p.id)}${p.email ? ` ${markdownCode(p.email)}` : ''}`),
    '',
  ];
}

/**
 * The diff as a pull-request comment: a summary table, then per file a collapsible section with
 * the old and new readings and the first profiles that enter and leave. Everything that comes
 * from files or data is escaped (see escapeMarkdown).
 */
export function diffAsMarkdown(report: SegmentDiffReport): string {
  const lines = ['### Segment Lens: segment changes', ''];
  if (report.noCommits) lines.push('The repository has no commits yet: every segment file is new (added).', '');
  if (report.files.length === 0) {
    lines.push(report.noCommits ? 'No segment files in the working tree.' : `No segment file differs from ${markdownCode(baseLabel(report))}.`);
    return `${lines.join('\n')}\n`;
  }
  if (!report.noCommits) lines.push(`Compared with ${markdownCode(baseLabel(report))}; counts in the workspace as it is now.`, '');
  lines.push('| File | Change | Before → after | Added / removed |', '|---|---|---:|---:|');
  for (const file of report.files) {
    lines.push(
      `| ${markdownCode(file.path)} | ${escapeMarkdown(statusLabel(file))} | ${escapeMarkdown(sideCount(file.before))} → ${escapeMarkdown(sideCount(file.after))} | ${escapeMarkdown(deltaLabel(file))} |`,
    );
  }
  lines.push('');
  for (const file of report.files) {
    const name = file.after?.name ?? file.before?.name;
    lines.push(
      `<details><summary>${markdownCode(file.path)}${name ? ` ${escapeMarkdown(name)}` : ''}: ${escapeMarkdown(statusLabel(file))}, ${escapeMarkdown(sideCount(file.before))} → ${escapeMarkdown(sideCount(file.after))} of ${escapeMarkdown(plural(file.workspace.profiles, 'profile'))} in ${escapeMarkdown(file.workspace.name)}</summary>`,
      '',
      ...(file.definitionChanged ? [] : ['The definition is unchanged.', '']),
      ...markdownSide('Before:', file.before),
      ...markdownSide('After:', file.after),
      ...markdownDelta('Added', file.added),
      ...markdownDelta('Removed', file.removed),
      '</details>',
      '',
    );
  }
  return lines.join('\n');
}
