import { stringify } from 'csv-stringify/sync';
import { formatCount, formatMoney, formatShare } from './stats';
import { KIND_TITLES, type CoverageReport, type Finding, type FindingKind } from './types';

/** The `--json` shape: inventory (file, name, matched, share) and findings. */
export interface CoverageJson {
  segments: { file: string; name: string; matched: number | null; share: number | null }[];
  findings: { kind: FindingKind; stage?: string; files?: string[]; evidence: string; priority: Finding['priority']; recommendation: string }[];
}

export function coverageJson(report: CoverageReport): CoverageJson {
  return {
    segments: report.segments.map((s) => ({ file: s.file, name: s.name, matched: s.matched, share: s.share })),
    findings: report.findings.map((f) => ({
      kind: f.kind,
      ...(f.stage ? { stage: f.stage } : {}),
      ...(f.files?.length ? { files: f.files } : {}),
      evidence: f.evidence,
      priority: f.priority,
      recommendation: f.recommendation,
    })),
  };
}

/** A Markdown table cell: no line breaks, pipes escaped, no HTML from segment or list names. */
function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

function table(header: string[], rows: unknown[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The coverage report and tracker as Markdown (coverage.md). */
export function coverageMarkdown(report: CoverageReport): string {
  const ws = report.workspace;
  const t = report.thresholds;
  const out: string[] = [];
  out.push(`# Segment coverage: ${cell(ws.name)}`, '');
  out.push(
    `As of ${ws.now} (UTC) · ${formatCount(ws.profiles)} profiles · ${formatCount(ws.events)} events · ${report.segments.length} segment files · ${report.lists.length} lists.`,
    '',
  );
  out.push('## Summary', '');
  for (const s of report.summary) out.push(`- **${capital(s.status)} (${s.count})**${s.items.length ? `: ${s.items.map(cell).join(', ')}` : ''}`);
  out.push('');
  out.push('## Findings', '');
  if (!report.findings.length) out.push('No findings.', '');
  for (const kind of Object.keys(KIND_TITLES) as FindingKind[]) {
    const findings = report.findings.filter((f) => f.kind === kind);
    if (!findings.length) continue;
    out.push(`### ${KIND_TITLES[kind]} (${findings.length})`, '');
    out.push(
      ...table(
        ['Priority', kind === 'missing' ? 'Stage' : 'Segment', 'Files', 'Evidence', 'Recommendation'],
        findings.map((f) => [
          f.priority,
          kind === 'missing' ? `${f.title} (${f.stage})` : f.title,
          (f.files ?? (f.proposal ? [`new: ${f.proposal.fileName}`] : [])).join(', '),
          f.evidence,
          f.recommendation,
        ]),
      ),
    );
    out.push('');
  }
  out.push('## Coverage tracker', '');
  out.push(
    ...table(
      ['Recommended segment', 'Rule', 'Evidence', 'Intended use', 'Priority', 'Suggested owner', 'Review status', 'Refresh cadence'],
      report.tracker.map((r) => [
        r.segment + (r.files.length ? ` (${r.files.join(', ')})` : ''),
        r.rule,
        r.evidence,
        r.use,
        r.priority,
        r.owner,
        r.status,
        r.cadence,
      ]),
    ),
  );
  out.push('');
  out.push('## Lifecycle stages', '');
  out.push(
    ...table(
      ['Stage', 'Audience now', 'Covered by', 'Basis'],
      report.stages.map((s) => [
        `${s.title} (${s.stage})`,
        s.matched === null ? 'n/a' : `${formatCount(s.matched)} (${formatShare(ws.profiles ? s.matched / ws.profiles : 0)})`,
        s.coveredBy.length
          ? s.coveredBy.map((c) => `${c.file} (${c.how}${c.jaccard === null ? '' : `, Jaccard ${c.jaccard.toFixed(2)}`})`).join(', ')
          : s.supported
            ? '**missing**'
            : 'not supported by the data',
        s.basis,
      ]),
    ),
  );
  out.push('');
  out.push('## Thresholds from the data', '');
  out.push(
    `- Buyers: ${formatCount(t.buyers)}; 90th percentile of orders per buyer: ${t.ordersP90 ?? 'n/a'}; of spend per buyer: ${t.spendP90 === null ? 'n/a' : formatMoney(t.spendP90)}.`,
  );
  out.push(`- VIP: ${t.vipSpend === null ? '' : `${formatMoney(t.vipSpend)}+ spent or `}${t.vipOrders ?? 'n/a'}+ orders.`);
  out.push(
    `- Days between orders (${formatCount(t.repeatGaps)} repeat orders): median ${t.medianGapDays ?? 'n/a'}, 75th percentile ${t.p75GapDays ?? 'n/a'}, 95th percentile ${t.p95GapDays ?? 'n/a'}.`,
  );
  out.push(
    `- Replenishment cycle: ${t.replenishmentDays === null ? 'n/a' : `${t.replenishmentDays} days`}; at risk: last order ${t.atRiskDays}–${t.atRiskEndDays} days ago; lapsed: nothing for ${t.lapsedDays} days; engaged windows: ${t.engagedWindows.join(', ')} days.`,
  );
  out.push(
    `- A file covers a stage by membership at Jaccard ≥ ${t.coverJaccard}; duplicates at Jaccard ≥ ${t.duplicateJaccard}; too broad at ≥ ${formatShare(t.tooBroadShare)} of profiles; a metric is silent after ${t.staleMetricDays} days without events; smallest audience: ${formatCount(t.minAudience)}.`,
  );
  out.push('');
  out.push('## Segment inventory', '');
  out.push(
    ...table(
      ['File', 'Name', 'Rule', 'Members', 'Share', 'Metrics', 'Lists', 'Stages'],
      report.segments.map((s) => [
        s.file,
        s.name,
        s.errors?.length ? `invalid: ${s.errors.join('; ')}` : s.rule,
        s.matched === null ? `n/a${s.notEvaluable?.length ? ` (${s.notEvaluable.join('; ')})` : ''}` : formatCount(s.matched),
        s.share === null ? 'n/a' : formatShare(s.share),
        s.metrics.map((m) => `${m.name ?? '?'} (${m.id})${m.found ? '' : ' — not in workspace'}`).join(', '),
        s.lists.map((l) => `${l.name ?? '?'} (${l.id})${l.found ? '' : ' — not in workspace'}`).join(', '),
        s.stages.join(', '),
      ]),
    ),
  );
  out.push('');
  out.push('## Lists', '');
  out.push(
    ...table(
      ['List', 'ID', 'Opt-in', 'Members', 'Share', 'Used by'],
      report.lists.map((l) => [l.name, l.id, l.optInProcess ?? '', formatCount(l.members), formatShare(l.share), l.usedBy.join(', ')]),
    ),
  );
  out.push('');
  return out.join('\n');
}

/** Spreadsheets run cells starting with = + - @ as formulas: quote them. */
function safeCsv(value: unknown): string {
  const text = String(value ?? '');
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const CSV_HEADER = [
  'Recommended segment',
  'Files',
  'Kind',
  'Stage',
  'Rule',
  'Evidence',
  'Intended use',
  'Priority',
  'Suggested owner',
  'Review status',
  'Refresh cadence',
  'Recommendation',
];

/** The coverage tracker as CSV (coverage.csv): one row per recommendation or existing segment. */
export function coverageCsv(report: CoverageReport): string {
  return stringify([
    CSV_HEADER,
    ...report.tracker.map((r) =>
      [r.segment, r.files.join('; '), r.kind, r.stage ?? '', r.rule, r.evidence, r.use, r.priority, r.owner, r.status, r.cadence, r.recommendation].map(
        safeCsv,
      ),
    ),
  ]);
}

/** A short plain-text report for the terminal. */
export function coverageText(report: CoverageReport): string {
  const ws = report.workspace;
  const out: string[] = [];
  out.push(
    `Segment coverage of ${ws.name} as of ${ws.now}: ${formatCount(ws.profiles)} profiles, ${report.segments.length} segment files, ${report.lists.length} lists`,
  );
  out.push('');
  out.push('Segments:');
  for (const s of report.segments) {
    const count =
      s.matched === null
        ? `not evaluated (${[...(s.errors ?? []), ...(s.notEvaluable ?? [])].join('; ')})`
        : `${formatCount(s.matched).padStart(7)} (${formatShare(s.share ?? 0)})`;
    const named = !s.file.toLowerCase().includes(s.name.toLowerCase().replace(/ /g, '-'));
    out.push(`  ${s.file}${named ? ` — ${s.name}` : ''}: ${count}${s.stages.length ? `  [${s.stages.join(', ')}]` : ''}`);
  }
  out.push('');
  out.push(report.findings.length ? 'Findings:' : 'No findings.');
  for (const f of report.findings) {
    out.push(`  ${f.priority.toUpperCase().padEnd(6)} ${f.kind}${f.stage ? ` ${f.stage}` : ''}${f.files?.length ? ` (${f.files.join(', ')})` : ''}`);
    out.push(`         ${f.evidence}`);
    out.push(`         → ${f.recommendation}`);
  }
  out.push('');
  out.push('Summary:');
  for (const s of report.summary) out.push(`  ${s.status}: ${s.count}`);
  const creatable = report.findings.filter((f) => f.kind === 'missing').map((f) => f.stage);
  if (creatable.length)
    out.push('', `Create files with: segment-lens coverage DIR --create ${creatable.slice(0, 3).join(' ')}${creatable.length > 3 ? ' …' : ''}`);
  return out.join('\n');
}
