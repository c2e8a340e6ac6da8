/**
 * The segment coverage analysis (server/src/coverage) on sample-workspace/: which lifecycle
 * stages each file covers, exactly which ones are reported missing when files are removed, that
 * the proposed files validate and select the audiences the removed files selected, and the
 * stale / duplicated / too-broad / list-vs-segment findings. The CLI is tested in
 * test/cli/coverage.test.ts.
 *
 * Every count a test expects is derived from the sample's files by the test itself (sampleFacts.ts:
 * JSON.parse of the JSONL and the rules of docs/coverage.md and docs/semantics.md), never copied
 * from the analysis' output, so a wrong count fails.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analyzeCoverage,
  coverageCsv,
  coverageJson,
  coverageMarkdown,
  coverageText,
  LIFECYCLE_STAGES,
  type CoverageReport,
  type CoverageSegmentInput,
  type Finding,
} from '../../server/src/coverage';
import { niceFloor, quantile, stepUp } from '../../server/src/coverage/stats';
import type { Bitset } from '../../server/src/engine/bitset';
import { summarizeWorkspace } from '../../server/src/engine/catalog';
import { Evaluator } from '../../server/src/engine/evaluator';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import { definitionValue, segmentName } from '../../server/src/segment/parse';
import { loadWorkspace } from '../../server/src/workspace/loadWorkspace';
import { count, overlap, percent, SampleFacts, sampleAudiences, sampleThresholds } from './sampleFacts';

const REPO = join(__dirname, '..', '..', '..');
const SAMPLE = join(REPO, 'sample-workspace');
const SEGMENTS = join(SAMPLE, 'segments');
const language = new SegmentLanguage();

/** The lifecycle files of the sample and the stage each one is. */
const LIFECYCLE_FILES: Record<string, string> = {
  'first-time-buyers.json': 'first-time-buyers',
  'repeat-buyers.json': 'repeat-buyers',
  'vip-customers.json': 'vip-customers',
  'at-risk-customers.json': 'at-risk-customers',
  'lapsed-customers.json': 'lapsed-customers',
  'engaged-non-buyers.json': 'engaged-non-buyers',
  'engaged-30-days.json': 'engaged-30-days',
  'engaged-60-days.json': 'engaged-60-days',
  'engaged-90-days.json': 'engaged-90-days',
};

function input(file: string, text: string): CoverageSegmentInput {
  const parsed = language.parse(text);
  const errors = language
    .validate(parsed)
    .filter((p) => p.severity === 'error')
    .map((p) => p.message);
  return { file, name: segmentName(parsed), definition: definitionValue(parsed), ...(errors.length ? { errors } : {}) };
}

const sampleText = (file: string) => readFileSync(join(SEGMENTS, file), 'utf8');

/** The sample's segment files (minus `without`), plus extra files. */
function inputs(without: string[] = [], extra: Record<string, unknown> = {}): CoverageSegmentInput[] {
  const files = readdirSync(SEGMENTS)
    .filter((f) => f.endsWith('.json') && !without.includes(f))
    .sort();
  return [
    ...files.map((f) => input(`segments/${f}`, sampleText(f))),
    ...Object.entries(extra).map(([f, value]) => input(`segments/${f}`, typeof value === 'string' ? value : JSON.stringify(value, null, 2))),
  ];
}

const missingStages = (report: CoverageReport) => report.findings.filter((f) => f.kind === 'missing').map((f) => f.stage as string);
const lifecycleMissing = (report: CoverageReport) =>
  missingStages(report)
    .filter((s) => (LIFECYCLE_STAGES as readonly string[]).includes(s))
    .sort();
const findingsOf = (report: CoverageReport, kind: Finding['kind']) => report.findings.filter((f) => f.kind === kind);

function members(evaluator: Evaluator, definition: unknown): Bitset {
  const result = evaluator.evaluateDefinition(definition);
  assert.ok(result.set, `not evaluable: ${result.notEvaluable.join('; ')}`);
  return result.set;
}

function jaccard(a: Bitset, b: Bitset): number {
  const union = a.or(b).count();
  return union === 0 ? 1 : a.and(b).count() / union;
}

const isSubset = (a: Bitset, b: Bitset) => a.and(b).count() === a.count();

/** RFC 4180 CSV (quoted fields with "" escapes, CRLF or LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

describe('segment coverage', function () {
  this.timeout(60_000);
  let workspace: Workspace;
  let evaluator: Evaluator;
  let full: CoverageReport;
  let facts: SampleFacts;
  let thresholds: ReturnType<typeof sampleThresholds>;
  /** Independent audiences of the sample, from its raw orders and events. */
  let audiences: ReturnType<typeof sampleAudiences>;

  before(async () => {
    facts = new SampleFacts(SAMPLE);
    thresholds = sampleThresholds(facts);
    audiences = sampleAudiences(facts, thresholds);
    workspace = (await loadWorkspace(SAMPLE)).workspace;
    evaluator = new Evaluator(workspace);
    full = analyzeCoverage(workspace, inputs(), { root: SAMPLE }, evaluator);
  });

  const analyze = (without: string[] = [], extra: Record<string, unknown> = {}) => analyzeCoverage(workspace, inputs(without, extra), {}, evaluator);

  describe('thresholds from the data', () => {
    it('rounds and ranks as documented', () => {
      assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
      assert.equal(quantile([], 0.5), null);
      assert.equal(niceFloor(874.83), 870);
      assert.equal(niceFloor(1619.86), 1600);
      assert.equal(niceFloor(95.3), 95);
      assert.equal(stepUp(88.7, [30, 60, 90, 120]), 90);
      assert.equal(stepUp(360.5, [180, 270, 365, 540]), 365);
    });

    it("derives VIP, replenishment, at-risk and lapsed windows from the sample's distributions", () => {
      const t = full.thresholds;
      // Recomputed from the raw orders with the rules of docs/coverage.md.
      const expected = thresholds;
      assert.equal(t.buyers, expected.buyers);
      assert.equal(t.repeatGaps, expected.repeatGaps);
      assert.equal(t.ordersP90, expected.ordersP90);
      assert.equal(t.spendP90, Math.round(expected.spendP90 * 10) / 10);
      assert.equal(t.medianGapDays, Math.round(expected.medianGap * 10) / 10);
      assert.deepEqual(
        [t.vipSpend, t.vipOrders, t.replenishmentDays, t.atRiskDays, t.atRiskEndDays, t.lapsedDays],
        [expected.vipSpend, expected.vipOrders, expected.replenishmentDays, expected.atRiskDays, expected.atRiskEndDays, expected.lapsedDays],
      );
      // Fewer than 5% of repeat orders come after a silence longer than the lapsed window.
      assert.ok(expected.gaps.filter((g) => g > t.lapsedDays).length / expected.gaps.length < 0.05);
    });
  });

  describe('stage recognition on the complete sample', () => {
    it('recognises every lifecycle file as its stage, and the Jazz Fans segment as a product-interest group', () => {
      for (const [file, stage] of Object.entries(LIFECYCLE_FILES)) {
        const entry = full.segments.find((s) => s.file === `segments/${file}`);
        assert.deepEqual(entry?.stages, [stage], file);
      }
      assert.deepEqual(full.segments.find((s) => s.file === 'segments/segment-SgM4xT.json')?.stages, ['product-interest-jazz']);
      for (const file of [
        'boston-purchasers.json',
        'columbus-group.json',
        'eu-residents.json',
        'hotmail-addresses.json',
        'likely-female.json',
        'newsletter-subscribers-can-receive-email.json',
      ]) {
        assert.deepEqual(full.segments.find((s) => s.file === `segments/${file}`)?.stages, [], file);
      }
    });

    it('reports only the replenishment audience as a missing lifecycle stage (no file defines one)', () => {
      assert.deepEqual(lifecycleMissing(full), ['replenishment-due']);
      const replenishment = full.findings.find((f) => f.stage === 'replenishment-due');
      const due = audiences.replenishment.size;
      assert.ok(due > 0);
      const expected = `${count(due)} profiles (${percent(due, facts.profileCount)}): half of the ${count(thresholds.repeatGaps)} repeat orders came within ${Math.round(thresholds.medianGap * 10) / 10} days`;
      assert.ok(replenishment?.evidence.startsWith(expected), `${replenishment?.evidence}\nexpected to start with: ${expected}`);
    });

    it('proposes product-interest groups for the top categories that no file covers, never the ubiquitous "Vinyl"', () => {
      const stages = missingStages(full).filter((s) => s.startsWith('product-interest-'));
      assert.ok(stages.length >= 1 && stages.length <= 5, stages.join());
      assert.ok(!stages.includes('product-interest-jazz'), 'Jazz Fans covers Jazz');
      assert.ok(!stages.includes('product-interest-vinyl'));
      const covered = full.stages.find((s) => s.stage === 'product-interest-jazz');
      assert.deepEqual(
        covered?.coveredBy.map((c) => [c.file, c.how]),
        [['segments/segment-SgM4xT.json', 'definition']],
      );
    });
  });

  describe('removed lifecycle files', () => {
    const removed = ['vip-customers.json', 'lapsed-customers.json', 'engaged-30-days.json'];
    let report: CoverageReport;
    before(() => {
      report = analyze(removed);
    });

    it('names exactly the removed stages as new gaps, and nothing that is still present', () => {
      assert.deepEqual(lifecycleMissing(report), ['engaged-30-days', 'lapsed-customers', 'replenishment-due', 'vip-customers']);
      const baseline = new Set(lifecycleMissing(full));
      assert.deepEqual(
        lifecycleMissing(report).filter((s) => !baseline.has(s)),
        removed.map((f) => LIFECYCLE_FILES[f]).sort(),
      );
      const present = Object.entries(LIFECYCLE_FILES)
        .filter(([f]) => !removed.includes(f))
        .map(([, s]) => s);
      for (const stage of present) assert.ok(!missingStages(report).includes(stage), stage);
      // Product-interest gaps do not change.
      assert.deepEqual(
        missingStages(report).filter((s) => s.startsWith('product-interest-')),
        missingStages(full).filter((s) => s.startsWith('product-interest-')),
      );
    });

    it("gives each gap evidence from the data, a priority, a status and a proposal with the workspace's metric IDs", () => {
      const vip = report.findings.find((f) => f.stage === 'vip-customers') as Finding;
      const t = thresholds;
      const vips = audiences.vip.size;
      const expected = `${count(vips)} profiles (${percent(vips, facts.profileCount)}): the top 10% of the ${count(t.buyers)} buyers spent $${count(Math.round(t.spendP90 * 10) / 10)} or more (rounded down to $${count(t.vipSpend)}); 10% placed ${t.ordersP90}+ orders`;
      assert.ok(vip.evidence.startsWith(expected), `${vip.evidence}\nexpected to start with: ${expected}`);
      assert.equal(vip.priority, 'high');
      assert.equal(vip.status, 'needs business review');
      assert.equal(vip.use, 'campaign targeting');
      assert.equal(vip.cadence, 'quarterly');
      assert.equal(vip.proposal?.fileName, 'vip-customers.json');
      assert.equal(vip.proposal?.matched, vips);
      assert.equal(
        vip.rule,
        `Placed Order with a total value that is at least ${t.vipSpend} over all time OR Placed Order at least ${t.vipOrders} times over all time`,
      );
      const engaged = report.findings.find((f) => f.stage === 'engaged-30-days') as Finding;
      assert.equal(engaged.status, 'ready to create');
      assert.deepEqual([...new Set(JSON.stringify(engaged.proposal?.definition).match(/"metric_id":"(\w+)"/g))].sort(), [
        '"metric_id":"Ls5hWq"',
        '"metric_id":"Mc9yTe"',
        '"metric_id":"Pz6tGv"',
        '"metric_id":"VwxT3a"',
      ]);
    });

    it('writes proposals that validate with no errors against the workspace', () => {
      const context = { summary: summarizeWorkspace(workspace) };
      for (const finding of report.findings.filter((f) => f.kind === 'missing')) {
        const problems = language.validate(language.parse(finding.proposal?.text ?? ''), { workspace: context });
        assert.deepEqual(
          problems.filter((p) => p.severity === 'error' || p.code === 'unknown-metric-id' || p.code === 'unknown-list-id').map((p) => p.message),
          [],
          finding.stage,
        );
      }
    });

    it("proposes the removed audiences: lapsed and engaged-30 exactly, VIP as the data's top decile inside the old $500/5-order VIPs", () => {
      const original = (file: string) => members(evaluator, definitionValue(language.parse(sampleText(file))));
      const proposed = (stage: string) => members(evaluator, JSON.parse(report.findings.find((f) => f.stage === stage)?.proposal?.text ?? 'null'));
      assert.equal(jaccard(proposed('lapsed-customers'), original('lapsed-customers.json')), 1);
      assert.equal(jaccard(proposed('engaged-30-days'), original('engaged-30-days.json')), 1);
      // The same rule as the hand-written file: byte for byte.
      assert.equal(report.findings.find((f) => f.stage === 'engaged-30-days')?.proposal?.text, sampleText('engaged-30-days.json'));
      const vip = proposed('vip-customers');
      const oldVip = original('vip-customers.json');
      assert.ok(isSubset(vip, oldVip), 'every proposed VIP was a VIP by the old rule');
      assert.ok(jaccard(vip, oldVip) > 0.6);
      // Independently: the data's VIP spend or order count, from the raw orders.
      const ids = (set: Bitset) => new Set(set.toArray().map((p) => workspace.profileIds.at(p)));
      assert.deepEqual(ids(vip), audiences.vip);
      assert.deepEqual(ids(oldVip), audiences.handVip);
      assert.deepEqual(ids(proposed('lapsed-customers')), audiences.lapsed);
      assert.deepEqual(ids(proposed('engaged-30-days')), audiences.engaged30);
    });

    it('stops reporting a gap once the proposal is added', () => {
      const created = Object.fromEntries(
        report.findings
          .filter((f) => f.kind === 'missing' && removed.some((r) => r === f.proposal?.fileName))
          .map((f) => [f.proposal?.fileName as string, f.proposal?.text as string]),
      );
      assert.equal(Object.keys(created).length, 3);
      const after = analyze(removed, created);
      assert.deepEqual(lifecycleMissing(after), ['replenishment-due']);
      for (const file of removed) assert.deepEqual(after.segments.find((s) => s.file === `segments/${file}`)?.stages, [LIFECYCLE_FILES[file]]);
    });
  });

  describe('every lifecycle file removed', () => {
    it('reports every lifecycle stage missing, and each proposal selects what the removed file selected', () => {
      const report = analyze(Object.keys(LIFECYCLE_FILES));
      assert.deepEqual(lifecycleMissing(report), [...LIFECYCLE_STAGES].sort());
      for (const [file, stage] of Object.entries(LIFECYCLE_FILES)) {
        const proposal = report.findings.find((f) => f.stage === stage)?.proposal;
        assert.ok(proposal, stage);
        const proposed = members(evaluator, proposal.definition);
        const original = members(evaluator, definitionValue(language.parse(sampleText(file))));
        assert.equal(proposed.count(), proposal.matched, stage);
        if (stage === 'vip-customers') assert.ok(isSubset(proposed, original));
        else assert.equal(jaccard(proposed, original), 1, `${stage}: ${proposed.count()} vs ${original.count()}`);
      }
    });
  });

  describe('consent-safe versions', () => {
    it('proposes the marketing audience plus "can receive email marketing", and counts who it leaves out', () => {
      const finding = full.findings.find((f) => f.stage === 'consent-safe-vip-customers') as Finding;
      assert.ok(finding);
      assert.deepEqual(finding.files, ['segments/vip-customers.json']);
      assert.equal(finding.proposal?.fileName, 'vip-customers-can-receive-email.json');
      const vip = members(evaluator, definitionValue(language.parse(sampleText('vip-customers.json'))));
      const canReceive = members(evaluator, {
        condition_groups: [
          {
            conditions: [
              { type: 'profile-marketing-consent', consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'any' } } },
            ],
          },
        ],
      });
      const safe = members(evaluator, finding.proposal?.definition);
      assert.equal(jaccard(safe, vip.and(canReceive)), 1);
      assert.equal(
        finding.evidence,
        `${vip.count() - safe.count()} of its ${vip.count()} members (${((100 * (vip.count() - safe.count())) / vip.count()).toFixed(1)}%) cannot receive email marketing; the consent-safe version has ${safe.count()}.`,
      );
      // Audiences that already require consent, and non-marketing ones, get none.
      assert.ok(!missingStages(full).some((s) => /consent-safe-(engaged-\d|newsletter|eu|hotmail|likely|boston|columbus)/.test(s)), missingStages(full).join());
    });

    it('counts the consent-safe file as covering it, and not as a duplicate', () => {
      const after = analyze([], {
        'vip-customers-can-receive-email.json': full.findings.find((f) => f.stage === 'consent-safe-vip-customers')?.proposal?.text,
      });
      assert.ok(!missingStages(after).includes('consent-safe-vip-customers'));
      assert.deepEqual(findingsOf(after, 'duplicated'), []);
    });
  });

  describe('stale', () => {
    const metricSegment = (metricId: string, value = 1) => ({
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: metricId,
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value },
              timeframe_filter: { type: 'date', operator: 'alltime' },
            },
          ],
        },
      ],
    });
    let report: CoverageReport;
    before(() => {
      report = analyze([], {
        'unknown-metric.json': metricSegment('Zz9Zz9'),
        'reviewers.json': metricSegment('Tw7pCm'),
        'wholesale.json': { condition_groups: [{ conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['Wh9Lsq'] }] }] },
        'gone-list.json': { condition_groups: [{ conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['Qq1Qq1'] }] }] },
      });
    });
    const staleOf = (file: string) => findingsOf(report, 'stale').find((f) => f.files?.[0] === `segments/${file}`);

    it('flags a metric that is not in the workspace (high, refresh)', () => {
      const f = staleOf('unknown-metric.json');
      assert.equal(f?.priority, 'high');
      assert.equal(f?.status, 'refresh');
      assert.match(f?.evidence ?? '', /uses metric Zz9Zz9, which is not in the workspace/);
      assert.equal(report.segments.find((s) => s.file === 'segments/unknown-metric.json')?.matched, null);
    });

    it('flags a metric with no events and a segment matching no one (retire)', () => {
      const f = staleOf('reviewers.json');
      assert.equal(f?.status, 'retire');
      assert.match(f?.evidence ?? '', /metric Submitted Review \(Tw7pCm\) has no events at all; matches no one/);
    });

    it('flags lists without members and lists that are not in the workspace', () => {
      assert.match(staleOf('wholesale.json')?.evidence ?? '', /list Wholesale Inquiries \(Wh9Lsq\) has no members; matches no one/);
      assert.match(staleOf('gone-list.json')?.evidence ?? '', /uses list Qq1Qq1, which is not in the workspace/);
    });

    it('flags a metric silent for longer than the stale window', () => {
      // A window one day shorter than Refunded Order's silence before "now" makes it stale.
      const last = facts.lastTime('Refunded Order');
      const silentDays = Math.floor((facts.now - last) / 86_400_000);
      assert.ok(silentDays >= 2, `the sample's refunds stop ${silentDays} days before now`);
      const r = analyzeCoverage(workspace, inputs([], { 'refunds.json': metricSegment('Ya2kFx') }), { staleMetricDays: silentDays - 1 }, evaluator);
      const f = r.findings.find((x) => x.kind === 'stale' && x.files?.[0] === 'segments/refunds.json');
      const refunders = facts.profilesWith('Refunded Order').length;
      const expected = `metric Refunded Order (Ya2kFx) has had no events since ${new Date(last).toISOString().slice(0, 10)} (${silentDays} days) (matches ${count(refunders)} profiles`;
      assert.ok(f?.evidence.includes(expected), `${f?.evidence}\nexpected to include: ${expected}`);
      assert.equal(f?.status, 'retire');
    });

    it('flags nothing stale in the complete sample', () => {
      assert.deepEqual(findingsOf(full, 'stale'), []);
    });
  });

  describe('duplicated', () => {
    it('finds a copy under another name (equivalent definitions) and keeps the file that covers the stage', () => {
      const r = analyze([], { 'repeat-customers-copy.json': sampleText('repeat-buyers.json') });
      const dup = findingsOf(r, 'duplicated');
      assert.equal(dup.length, 1);
      assert.deepEqual(dup[0].files, ['segments/repeat-buyers.json', 'segments/repeat-customers-copy.json']);
      assert.match(dup[0].evidence, /^Equivalent definitions \(same groups and conditions in any order\); /);
      assert.ok(
        dup[0].evidence.endsWith(
          `; ${count(audiences.repeat.size)} in both, 0 only in segments/repeat-buyers.json, 0 only in segments/repeat-customers-copy.json (Jaccard 1.00).`,
        ),
        dup[0].evidence,
      );
      assert.equal(dup[0].status, 'merge');
    });

    it('finds equivalent definitions whatever the order of groups and conditions', () => {
      const atRisk = JSON.parse(sampleText('at-risk-customers.json')) as { condition_groups: unknown[] };
      const r = analyze([], { 'reordered.json': { condition_groups: [...atRisk.condition_groups].reverse() } });
      assert.match(findingsOf(r, 'duplicated')[0]?.evidence ?? '', /^Equivalent definitions/);
    });

    it('finds near-identical membership (Jaccard ≥ 0.9) with different definitions', () => {
      const repeat = {
        condition_groups: [
          {
            conditions: [
              {
                type: 'profile-metric',
                metric_id: 'VwxT3a',
                measurement: 'count',
                measurement_filter: { type: 'numeric', operator: 'greater-than', value: 1 },
                timeframe_filter: { type: 'date', operator: 'alltime' },
              },
            ],
          },
        ],
      };
      const r = analyze([], { 'more-than-one-order.json': repeat });
      const dup = findingsOf(r, 'duplicated');
      assert.equal(dup.length, 1);
      // "More than one order" and "at least two" select the same repeat buyers.
      assert.ok(dup[0].evidence.startsWith(`Near-identical membership; ${count(audiences.repeat.size)} in both, 0 only in`), dup[0].evidence);
    });

    it('finds none in the complete sample', () => {
      assert.deepEqual(findingsOf(full, 'duplicated'), []);
    });
  });

  describe('too broad', () => {
    it('flags segments matching most of the account, including an empty definition', () => {
      const r = analyze([], {
        'has-email.json': {
          condition_groups: [{ conditions: [{ type: 'profile-property', property: 'email', filter: { type: 'existence', operator: 'is-set' } }] }],
        },
        'everyone.json': { condition_groups: [] },
      });
      const broad = findingsOf(r, 'too-broad');
      assert.deepEqual(broad.map((f) => f.files?.[0]).sort(), ['segments/everyone.json', 'segments/has-email.json']);
      // "is set": present and not null (an empty text is set).
      const withEmail = facts.where((_id, a) => a.email !== null && a.email !== undefined).size;
      const all = facts.profileCount;
      assert.ok(withEmail / all >= 0.8 && withEmail < all, `${withEmail} of ${all} have an email address`);
      assert.ok(
        broad
          .find((f) => f.files?.[0] === 'segments/has-email.json')
          ?.evidence.endsWith(`matches ${count(withEmail)} of ${count(all)} profiles (${percent(withEmail, all)}).`),
      );
      assert.ok(
        broad
          .find((f) => f.files?.[0] === 'segments/everyone.json')
          ?.evidence.endsWith(`matches ${count(all)} of ${count(all)} profiles (100.0%): it has no condition groups.`),
      );
      assert.deepEqual(findingsOf(full, 'too-broad'), []);
    });
  });

  describe('lists vs segments', () => {
    it('flags the VIP Club list, which a dynamic VIP segment would keep current', () => {
      const f = findingsOf(full, 'list-vs-segment');
      assert.equal(f.length, 1);
      assert.equal(f[0].stage, 'vip-customers');
      const club = facts.listMembers.get('VpC4rX') as Set<string>;
      const vips = audiences.vip;
      const { both, jaccard: j } = overlap(club, vips);
      assert.equal(
        f[0].evidence,
        `List VIP Club has ${count(club.size)} members; the VIP customers audience has ${count(vips.size)}; ${count(both)} are in both (Jaccard ${j.toFixed(2)}): ${count(club.size - both)} list members do not meet the rule and ${count(vips.size - both)} who do are not on the list.`,
      );
      assert.match(f[0].recommendation, /segments\/vip-customers\.json/);
    });

    it('flags segments whose membership is frozen (a static list would do) and segments that only mirror a list', () => {
      const r = analyze([], {
        'january-2024-buyers.json': {
          condition_groups: [
            {
              conditions: [
                {
                  type: 'profile-metric',
                  metric_id: 'VwxT3a',
                  measurement: 'count',
                  measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
                  timeframe_filter: { type: 'date', operator: 'between-static', start: '2024-01-01T00:00:00+00:00', end: '2024-01-31T00:00:00+00:00' },
                },
              ],
            },
          ],
        },
        'giveaway.json': { condition_groups: [{ conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['Kg3Bva'] }] }] },
      });
      const f = findingsOf(r, 'list-vs-segment');
      assert.match(
        f.find((x) => x.files?.[0] === 'segments/january-2024-buyers.json')?.evidence ?? '',
        /looks at fixed identifiers or at a period that has ended/,
      );
      const entrants = facts.listMembers.get('Kg3Bva')?.size ?? 0;
      assert.ok(entrants > 0);
      assert.ok(
        f
          .find((x) => x.files?.[0] === 'segments/giveaway.json')
          ?.evidence.includes(`only selects the members of list Instagram Giveaway (${count(entrants)} profiles (${percent(entrants, facts.profileCount)}))`),
      );
    });
  });

  describe('output', () => {
    it('prints the --json shape: segments {file, name, matched, share} and findings {kind, stage?, files?, evidence, priority, recommendation}', () => {
      const json = coverageJson(full);
      assert.deepEqual(Object.keys(json), ['segments', 'findings']);
      const files = facts.segmentFiles();
      assert.equal(json.segments.length, files.length);
      for (const s of json.segments) assert.deepEqual(Object.keys(s), ['file', 'name', 'matched', 'share']);
      // The hand-written VIP rule: $500 spent or 5 orders.
      const vips = audiences.handVip.size;
      assert.deepEqual(
        json.segments.find((s) => s.file === 'segments/vip-customers.json'),
        { file: 'segments/vip-customers.json', name: 'VIP customers', matched: vips, share: Math.round((vips / facts.profileCount) * 10_000) / 10_000 },
      );
      for (const f of json.findings) {
        assert.ok(['missing', 'stale', 'duplicated', 'too-broad', 'list-vs-segment'].includes(f.kind));
        assert.ok(['high', 'medium', 'low'].includes(f.priority));
        assert.ok(
          Object.keys(f).every((k) => ['kind', 'stage', 'files', 'evidence', 'priority', 'recommendation'].includes(k)),
          Object.keys(f).join(),
        );
        assert.equal(typeof f.evidence, 'string');
      }
      assert.ok(json.findings.every((f) => f.kind !== 'missing' || typeof f.stage === 'string'));
      // Plain JSON: survives a round trip (the worker posts it to the server).
      assert.deepEqual(JSON.parse(JSON.stringify(full)), full);
    });

    it('lists every file and list in the inventory with rule, metrics and lists used', () => {
      const jazz = full.segments.find((s) => s.file === 'segments/segment-SgM4xT.json');
      assert.equal(jazz?.name, 'Jazz Fans');
      assert.deepEqual(jazz?.metrics, [
        { id: 'Xq4mPc', name: 'Viewed Product', found: true },
        { id: 'Jb8Rk2', name: 'Ordered Product', found: true },
      ]);
      assert.match(jazz?.rule ?? '', /^Favorite Genre is "Jazz" OR Viewed Product at least 2 times/);
      assert.deepEqual(full.segments.find((s) => s.file === 'segments/columbus-group.json')?.lists, [{ id: 'NwS7kQ', name: 'Newsletter', found: true }]);
      // Members from the list files; users: the segment files that mention the list's ID.
      const usersOf = (id: string) => facts.segmentFiles().filter((f) => sampleText(f).includes(`"${id}"`)).length;
      assert.deepEqual(
        full.lists.map((l) => [l.name, l.members, l.usedBy.length]),
        facts.lists.map((l) => [l.name, facts.listMembers.get(l.id)?.size, usersOf(l.id)]),
      );
      assert.ok(full.lists.some((l) => l.usedBy.length > 0) && full.lists.some((l) => l.members === 0), 'the sample has a used list and an empty one');
    });

    it('writes a tracker with every column, one row per recommendation or existing file, and a summary', () => {
      const rows = parseCsv(coverageCsv(full)) as string[][];
      assert.deepEqual(rows[0], [
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
      ]);
      assert.equal(rows.length - 1, full.tracker.length);
      const files = facts.segmentFiles().length;
      // No finding other than a proposal is about a sample file, so each file has a row of its own.
      assert.deepEqual(
        full.findings.filter((f) => f.kind !== 'missing').flatMap((f) => f.files ?? []),
        [],
      );
      assert.equal(full.tracker.length, full.findings.length + files);
      for (const row of rows.slice(1)) {
        assert.ok(['campaign targeting', 'flow branching', 'reactivation', 'suppression', 'reporting'].includes(row[6]), row[6]);
        assert.ok(['ready to create', 'needs business review', 'merge', 'refresh', 'retire', 'leave alone'].includes(row[9]), row[9]);
        assert.equal(row[10], 'quarterly');
      }
      const summary = Object.fromEntries(full.summary.map((s) => [s.status, s.count]));
      assert.equal(summary['leave alone'], files);
      assert.equal(summary['ready to create'] + summary['needs business review'], full.findings.length);
      const md = coverageMarkdown(full);
      for (const heading of [
        '## Summary',
        '## Findings',
        '## Coverage tracker',
        '## Lifecycle stages',
        '## Thresholds from the data',
        '## Segment inventory',
        '## Lists',
      ])
        assert.ok(md.includes(heading), heading);
      assert.match(md, /- \*\*Ready to create \(\d+\)\*\*: /);
      assert.match(md, /\| Recommended segment \| Rule \| Evidence \| Intended use \| Priority \| Suggested owner \| Review status \| Refresh cadence \|/);
    });

    it('prints a terminal summary: segments with counts and stages, findings with evidence, and how to create files', () => {
      const text = coverageText(full);
      const all = facts.profileCount;
      assert.ok(
        text.startsWith(
          `Segment coverage of ${facts.name} as of ${new Date(facts.now).toISOString()}: ${count(all)} profiles, ${facts.segmentFiles().length} segment files, ${facts.lists.length} lists\n`,
        ),
        text.split('\n')[0],
      );
      const vips = audiences.handVip.size;
      assert.ok(text.includes(`\n  segments/vip-customers.json: ${count(vips).padStart(7)} (${percent(vips, all)})  [vip-customers]\n`), text);
      const due = audiences.replenishment.size;
      assert.match(
        text,
        new RegExp(
          `\\n {2}MEDIUM missing replenishment-due\\n {9}${count(due)} profiles \\(${percent(due, all).replace('.', '\\.')}\\): .*\\n {9}→ Create it for a reorder reminder flow`,
        ),
      );
      assert.match(text, /\nCreate files with: segment-lens coverage DIR --create replenishment-due /);
    });

    it('lists a file with errors without evaluating it, and marks it for a refresh', () => {
      const r = analyze([], { 'broken.json': '{"condition_groups": [{"conditions": [{"type": "profile-metric"}]}]}' });
      const entry = r.segments.find((s) => s.file === 'segments/broken.json');
      assert.equal(entry?.matched, null);
      assert.ok(entry?.errors?.length);
      assert.equal(r.tracker.find((t) => t.files[0] === 'segments/broken.json')?.status, 'refresh');
      assert.deepEqual(
        r.findings.filter((f) => f.files?.includes('segments/broken.json')),
        [],
      );
    });

    it('escapes names in Markdown and defuses spreadsheet formulas in CSV', () => {
      const hostile = {
        data: {
          type: 'segment',
          attributes: {
            name: '=HYPERLINK("x")|<img src=x onerror=alert(1)>',
            definition: {
              condition_groups: [{ conditions: [{ type: 'profile-property', property: 'email', filter: { type: 'existence', operator: 'is-set' } }] }],
            },
          },
        },
      };
      const r = analyze([], { 'hostile.json': hostile });
      const md = coverageMarkdown(r);
      assert.ok(!md.includes('<img'), 'no raw HTML');
      assert.ok(md.includes('=HYPERLINK("x")\\|&lt;img'));
      const rows = parseCsv(coverageCsv(r)) as string[][];
      const row = rows.find((x) => x[1] === 'segments/hostile.json');
      assert.ok(row?.[0].startsWith("'="), row?.[0]);
    });
  });

  describe('a workspace without orders', () => {
    it('proposes no purchase stages and says why', () => {
      const builder = new WorkspaceBuilder('empty shop', Date.parse('2026-01-01T00:00:00Z'));
      builder.addMetric({ type: 'metric', id: 'Op1', attributes: { name: 'Opened Email' } });
      for (let i = 0; i < 40; i++)
        builder.addProfile({
          type: 'profile',
          id: `p${i}`,
          attributes: { email: `p${i}@example.com`, subscriptions: { email: { marketing: { can_receive_email_marketing: true, consent: 'SUBSCRIBED' } } } },
        });
      const openers = 30;
      for (let i = 0; i < openers; i++)
        builder.addEvent({
          type: 'event',
          attributes: { datetime: '2025-12-20T10:00:00Z', event_properties: {} },
          relationships: { profile: { data: { id: `p${i}` } }, metric: { data: { id: 'Op1' } } },
        });
      const small = builder.build();
      const r = analyzeCoverage(small, [], {});
      assert.deepEqual(lifecycleMissing(r), ['engaged-30-days', 'engaged-60-days', 'engaged-90-days']);
      assert.equal(r.stages.find((s) => s.stage === 'vip-customers')?.basis, 'the workspace has no Placed Order events');
      assert.equal(r.findings.find((f) => f.stage === 'engaged-30-days')?.proposal?.matched, openers);
    });
  });
});
