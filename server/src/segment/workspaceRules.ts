import type { Node } from 'jsonc-parser';
import { distance } from 'fastest-levenshtein';
import { canonicalJson } from '../engine/canonical';
import type { MetricSummary, PropertySummary, WorkspaceSummary } from '../engine/catalog';
import { parsePropertyPath } from '../engine/propertyPath';
import { DAY_MS, parseInstant } from '../engine/time';
import type { ParsedSegment } from './parse';
import type { Fix, Problem } from './problem';
import { conditionGroups, propertyValueNode, type ConditionLocation } from './structure';
import { MAX_TYPO_LENGTH, quote, whitespaceBefore } from './text';

/** What the workspace-aware checks know about the account. */
export interface WorkspaceContext {
  summary: WorkspaceSummary;
  /** IDs of segments known from segment files (a segment ID is not a list ID). */
  segmentIds?: ReadonlyMap<string, string>;
}

/**
 * Checks that need the data workspace: IDs that point nowhere (with "did you mean"), filters that
 * do not fit the observed type of a property, sums over events without values, dates that cannot
 * be right. Outside a workspace none of these run: unknown IDs are never an error there.
 */
export function workspaceProblems(parsed: ParsedSegment, context: WorkspaceContext): Problem[] {
  const problems: Problem[] = [];
  const { summary } = context;
  const metrics = new Map(summary.metrics.map((m) => [m.id, m]));
  const lists = new Map(summary.lists.map((l) => [l.id, l]));
  const properties = new Map(summary.profileProperties.map((p) => [p.name, p]));
  const now = parseInstant(summary.now) ?? NaN;

  const checkMetricId = (node: Node | undefined): MetricSummary | undefined => {
    if (typeof node?.value !== 'string') return undefined;
    const metric = metrics.get(node.value);
    if (metric) return metric;
    unknownIdProblem(
      node,
      node.value,
      'metric',
      summary.name,
      summary.metrics.map((m) => ({ id: m.id, name: m.name, weight: m.eventCount })),
      problems,
    );
    return undefined;
  };

  for (const group of conditionGroups(parsed)) {
    for (const condition of group.conditions) {
      const { node, value } = condition;
      switch (value.type) {
        case 'profile-metric': {
          const metric = checkMetricId(propertyValueNode(node, 'metric_id'));
          if (metric && value.measurement === 'sum' && metric.valueCount === 0) {
            const measurement = propertyValueNode(node, 'measurement') as Node;
            problems.push({
              offset: measurement.offset,
              length: measurement.length,
              severity: 'warning',
              code: 'sum-without-value',
              message: `None of the ${metric.eventCount.toLocaleString('en-US')} ${metric.name ?? metric.id} events in the workspace carries a numeric "$value", so their sum is always 0. Did you mean "count"?`,
              fixes: [{ title: 'Change to "count"', edits: [{ offset: measurement.offset, length: measurement.length, newText: '"count"' }] }],
            });
          }
          if (metric) metricFilterTypes(propertyValueNode(node, 'metric_filters'), metric, problems);
          break;
        }
        case 'profile-metric-funnel':
          for (const step of propertyValueNode(node, 'steps')?.children ?? []) {
            const metric = checkMetricId(propertyValueNode(step, 'metric_id'));
            if (metric) metricFilterTypes(propertyValueNode(step, 'metric_filters'), metric, problems);
          }
          break;
        case 'profile-group-membership':
          for (const idNode of propertyValueNode(node, 'group_ids')?.children ?? []) listIdProblem(idNode, context, lists, problems);
          break;
        case 'profile-property': {
          const propertyNode = propertyValueNode(node, 'property');
          if (typeof propertyNode?.value !== 'string') break;
          const path = parsePropertyPath(propertyNode.value);
          const observed = properties.get(propertyNode.value);
          if (!observed && path.kind === 'custom') unseenPropertyProblem(propertyNode, propertyNode.value, summary, problems);
          if (observed) filterTypeProblem(propertyValueNode(node, 'filter'), observed, propertyNode.value, problems);
          break;
        }
      }
      staticDateProblems(condition, now, problems);
    }
  }
  duplicateAndContradiction(parsed, problems);
  return problems;
}

/** A "group_ids" entry that names no list: a segment's ID (an error) or an unknown ID (with "did you mean"). */
function listIdProblem(idNode: Node, context: WorkspaceContext, lists: ReadonlyMap<string, unknown>, problems: Problem[]): void {
  const { summary } = context;
  if (typeof idNode.value !== 'string' || lists.has(idNode.value)) return;
  const segmentName = context.segmentIds?.get(idNode.value);
  if (segmentName !== undefined) {
    problems.push({
      offset: idNode.offset,
      length: idNode.length,
      severity: 'error',
      code: 'segment-id-in-group-ids',
      message: `${quote(idNode.value)} is the ID of segment ${quote(segmentName)}; "group_ids" takes a list ID (segments cannot be nested).`,
    });
    return;
  }
  unknownIdProblem(
    idNode,
    idNode.value,
    'list',
    summary.name,
    summary.lists.map((l) => ({ id: l.id, name: l.name, weight: l.memberCount })),
    problems,
  );
}

/** An ID that names no metric or list of the workspace, with the closest IDs as fixes. */
function unknownIdProblem(
  node: Node,
  id: string,
  kind: 'metric' | 'list',
  workspaceName: string,
  candidates: { id: string; name: string | undefined; weight: number }[],
  problems: Problem[],
): void {
  const suggestions = closestIds(id, candidates);
  problems.push({
    offset: node.offset,
    length: node.length,
    severity: 'warning',
    code: `unknown-${kind}-id`,
    message: `No ${kind} ${quote(id)} in workspace ${workspaceName}.${suggestions[0] ? ` Did you mean ${suggestions[0].name ?? kind} (${suggestions[0].id})?` : ''}`,
    fixes: suggestions.map((s, i) => ({
      title: `Change to ${s.name ?? kind} (${s.id})`,
      edits: [{ offset: node.offset, length: node.length, newText: quote(s.id) }],
      isPreferred: i === 0,
    })),
  });
}

/** A custom property no profile has, with the closest observed name as a fix. */
function unseenPropertyProblem(propertyNode: Node, property: string, summary: WorkspaceSummary, problems: Problem[]): void {
  const candidates = summary.profileProperties.filter((p) => p.name.startsWith('properties['));
  const name = property.toLowerCase();
  const close =
    name.length > MAX_TYPO_LENGTH ? undefined : candidates.map((p) => ({ p, d: distance(p.name.toLowerCase(), name) })).sort((a, b) => a.d - b.d)[0];
  const suggestion = close && close.d <= Math.max(3, property.length / 4) ? close.p : undefined;
  problems.push({
    offset: propertyNode.offset,
    length: propertyNode.length,
    severity: 'information',
    code: 'unseen-property',
    message: `No profile in workspace ${summary.name} has ${property} (custom property names are case-sensitive).${suggestion ? ` Did you mean ${suggestion.name}?` : ''}`,
    fixes: suggestion
      ? [
          {
            title: `Change to ${suggestion.name}`,
            edits: [{ offset: propertyNode.offset, length: propertyNode.length, newText: quote(suggestion.name) }],
            isPreferred: true,
          },
        ]
      : undefined,
  });
}

/** IDs close to a mistyped one, by ID edit distance, the most used first. */
function closestIds(id: string, candidates: { id: string; name: string | undefined; weight: number }[]): { id: string; name: string | undefined }[] {
  if (id.length > MAX_TYPO_LENGTH) return [];
  return candidates
    .map((c) => ({ ...c, d: distance(c.id.toLowerCase(), id.toLowerCase()) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(id.length / 3)))
    .sort((a, b) => a.d - b.d || b.weight - a.weight)
    .slice(0, 3);
}

const FAMILY_TYPES: Record<string, string[]> = {
  string: ['string', 'date'],
  numeric: ['number'],
  boolean: ['boolean'],
  list: ['list'],
  date: ['date', 'number'],
};

/** A filter family that fits none of the values the workspace holds for this property. */
function filterTypeProblem(filterNode: Node | undefined, observed: PropertySummary, name: string, problems: Problem[]): void {
  const typeNode = propertyValueNode(filterNode, 'type');
  const family = typeNode?.value;
  if (typeof family !== 'string' || !(family in FAMILY_TYPES) || observed.present === 0) return;
  const operator = propertyValueNode(filterNode, 'operator')?.value;
  // Phone operators read the phone number, a text; "in" on a string is fine.
  const fitting = FAMILY_TYPES[family].reduce((n, t) => n + (observed.types[t] ?? 0), 0);
  if (fitting > 0 || typeof operator !== 'string') return;
  const main = observed.mainType ?? 'unknown';
  const suggestion = main === 'number' ? 'numeric' : main === 'list' ? 'list' : main === 'boolean' ? 'boolean' : main === 'date' ? 'date' : 'string';
  problems.push({
    offset: (typeNode as Node).offset,
    length: (typeNode as Node).length,
    severity: 'warning',
    code: 'filter-type-mismatch',
    message: `${name} holds ${describeTypes(observed)} in this workspace; a ${family} filter matches none of them (Klaviyo does not convert types). Use a ${suggestion} filter.`,
  });
}

function describeTypes(observed: PropertySummary): string {
  const total = Object.values(observed.types).reduce((a, b) => a + b, 0);
  return Object.entries(observed.types)
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type === 'list' ? 'lists' : `${type}s`} (${Math.round((100 * n) / total)}%)`)
    .join(', ');
}

function metricFilterTypes(filtersNode: Node | undefined, metric: MetricSummary, problems: Problem[]): void {
  const byName = new Map(metric.properties.map((p) => [p.name, p]));
  for (const item of filtersNode?.children ?? []) {
    const propertyNode = propertyValueNode(item, 'property');
    if (typeof propertyNode?.value !== 'string') continue;
    const observed = byName.get(propertyNode.value);
    if (!observed) {
      problems.push({
        offset: propertyNode.offset,
        length: propertyNode.length,
        severity: 'information',
        code: 'unseen-event-property',
        message: `No ${metric.name ?? metric.id} event in the workspace has the property ${quote(propertyNode.value)}${
          metric.properties.length
            ? `; its events have ${metric.properties
                .slice(0, 8)
                .map((p) => quote(p.name))
                .join(', ')}`
            : ''
        }.`,
      });
      continue;
    }
    filterTypeProblem(propertyValueNode(item, 'filter'), observed, quote(propertyNode.value), problems);
  }
}

/** Static dates far in the future (likely a typo in the year). */
function staticDateProblems(condition: ConditionLocation, now: number, problems: Problem[]): void {
  const visit = (node: Node): void => {
    if (node.type === 'property' && node.children?.length === 2) {
      const [key, value] = node.children;
      if ((key.value === 'date' || key.value === 'start' || key.value === 'end') && typeof value.value === 'string') {
        const t = parseInstant(value.value) ?? NaN;
        if (Number.isFinite(t) && t > now + 2 * 365 * DAY_MS) {
          problems.push({
            offset: value.offset,
            length: value.length,
            severity: 'warning',
            code: 'far-future-date',
            message: `${value.value} is more than two years after the workspace's "now" (${new Date(now).toISOString().slice(0, 10)}); is the year right?`,
          });
        }
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(condition.node);
}

/** Conditions repeated in a group, groups repeated, and groups that provably exclude each other. */
function duplicateAndContradiction(parsed: ParsedSegment, problems: Problem[]): void {
  const groups = conditionGroups(parsed);
  for (const group of groups) {
    const seen = new Map<string, number>();
    for (const condition of group.conditions) {
      const key = canonicalJson(condition.value);
      const first = seen.get(key);
      if (first !== undefined) {
        const fix: Fix = { title: 'Remove the duplicate condition', edits: [removalEdit(parsed.text, condition.node)] };
        problems.push({
          offset: condition.node.offset,
          length: condition.node.length,
          severity: 'warning',
          code: 'duplicate-condition',
          message: `This condition repeats condition ${first + 1} of group ${group.groupIndex + 1}; it changes nothing.`,
          unnecessary: true,
          fixes: [fix],
        });
      } else {
        seen.set(key, condition.conditionIndex);
      }
    }
  }
  const seenGroups = new Map<string, number>();
  for (const group of groups) {
    const key = canonicalJson(group.conditions.map((c) => canonicalJson(c.value)).sort());
    const first = seenGroups.get(key);
    if (first !== undefined && group.conditions.length) {
      problems.push({
        offset: group.node.offset,
        length: group.node.length,
        severity: 'warning',
        code: 'duplicate-group',
        message: `Condition group ${group.groupIndex + 1} repeats group ${first + 1}; ANDing it again changes nothing.`,
        unnecessary: true,
        fixes: [{ title: 'Remove the duplicate group', edits: [removalEdit(parsed.text, group.node)] }],
      });
    } else {
      seenGroups.set(key, group.groupIndex);
    }
  }
  // Contradictions we can prove: two single-condition groups (both must hold) that exclude each other.
  const singles = groups.filter((g) => g.conditions.length === 1 && (g.conditionsNode?.children ?? []).length === 1);
  for (let i = 0; i < singles.length; i++) {
    for (let j = i + 1; j < singles.length; j++) {
      const reason = contradiction(singles[i].conditions[0].value, singles[j].conditions[0].value);
      if (reason) {
        problems.push({
          offset: singles[j].conditions[0].node.offset,
          length: 1,
          severity: 'warning',
          code: 'contradiction',
          message: `Groups ${singles[i].groupIndex + 1} and ${singles[j].groupIndex + 1} can never both hold (${reason}), and groups are ANDed: this segment matches no one.`,
        });
      }
    }
  }
}

function contradiction(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  if (a.type !== b.type) return undefined;
  const same = (key: string) => canonicalJson(a[key]) === canonicalJson(b[key]);
  switch (a.type) {
    case 'profile-group-membership':
      if (same('group_ids') && a.is_member !== b.is_member && (a.is_member === false ? !b.timeframe_filter : !a.timeframe_filter))
        return 'in the list and not in the list';
      return undefined;
    case 'profile-region':
      if (same('region') && a.in_region !== b.in_region) return 'in the region and not in it';
      return undefined;
    case 'profile-marketing-consent': {
      const ca = a.consent as Record<string, unknown> | undefined;
      const cb = b.consent as Record<string, unknown> | undefined;
      if (ca && cb && ca.channel === cb.channel && ca.can_receive_marketing !== cb.can_receive_marketing)
        return `can and cannot receive ${String(ca.channel)} marketing`;
      return undefined;
    }
    case 'profile-property': {
      const fa = a.filter as Record<string, unknown> | undefined;
      const fb = b.filter as Record<string, unknown> | undefined;
      if (!same('property') || !fa || !fb) return undefined;
      if (fa.operator === 'equals' && fb.operator === 'equals' && fa.type === fb.type && canonicalJson(fa.value) !== canonicalJson(fb.value))
        return `${String(a.property)} cannot equal two values`;
      if ((fa.operator === 'is-set' && fb.operator === 'not-set') || (fa.operator === 'not-set' && fb.operator === 'is-set'))
        return `${String(a.property)} cannot be set and not set`;
      return undefined;
    }
    case 'profile-metric': {
      if (!same('metric_id') || !same('measurement') || !same('timeframe_filter') || !same('metric_filters')) return undefined;
      const ma = a.measurement_filter as Record<string, unknown> | undefined;
      const mb = b.measurement_filter as Record<string, unknown> | undefined;
      const zero = (m: Record<string, unknown> | undefined) => m?.operator === 'equals' && m.value === 0;
      const positive = (m: Record<string, unknown> | undefined) =>
        (m?.operator === 'greater-than-or-equal' && typeof m.value === 'number' && m.value > 0) ||
        (m?.operator === 'greater-than' && typeof m.value === 'number' && m.value >= 0);
      if ((zero(ma) && positive(mb)) || (zero(mb) && positive(ma))) return 'zero times and at least once, over the same events';
      return undefined;
    }
  }
  return undefined;
}

/** Removes an array item together with the comma that separates it from its neighbour. */
export function removalEdit(text: string, node: Node): { offset: number; length: number; newText: string } {
  let start = node.offset;
  let end = node.offset + node.length;
  const after = /^\s*,/.exec(text.slice(end));
  if (after) end += after[0].length;
  else {
    const blank = whitespaceBefore(text, start);
    if (text[start - blank - 1] === ',') start -= blank + 1;
  }
  return { offset: start, length: end - start, newText: '' };
}

const CONSENT_GROUP =
  '{ "conditions": [ { "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, "consent_status": { "subscription": "any" } } } ] }';

/**
 * Words in a segment's name (or file name) that say it is meant for sending marketing. A segment
 * called "Newsletter subscribers" or "VIP win-back" is an audience; one called "EU residents" may
 * be a suppression or reporting segment, and gets no consent hint.
 */
export const MARKETING_WORDS =
  /\b(newsletter|campaign|promo(tion)?s?|marketing|sale|offer|discount|coupon|win[- ]?back|re-?engage(ment)?|reactivat(e|ion)|abandon(ed)?|launch|announcement|send|audience|sms|email blast|vip|drop)\b/i;

export interface AudienceOptions {
  matched: number | null | undefined;
  workspaceName: string | undefined;
  /** The segment's name, or its file name: decides whether the segment is meant for marketing. */
  name: string | undefined;
  consentHint: 'marketing-names' | 'always' | 'off';
}

/**
 * Hints about the audience as a whole: a marketing segment without any marketing-consent
 * condition (unlike lists, segments include people who never opted in), and one that matches no
 * one in the workspace.
 */
export function audienceProblems(parsed: ParsedSegment, options: AudienceOptions): Problem[] {
  const { matched, workspaceName } = options;
  const groupsNode = propertyValueNode(parsed.definition, 'condition_groups');
  const keyNode = groupsNode?.parent?.children?.[0];
  if (!groupsNode || groupsNode.type !== 'array' || !keyNode) return [];
  const problems: Problem[] = [];
  const groups = conditionGroups(parsed);
  const hasConsent = groups.some((g) => g.conditions.some((c) => c.value.type === 'profile-marketing-consent'));
  const meantForMarketing = options.consentHint === 'always' || (options.consentHint === 'marketing-names' && MARKETING_WORDS.test(options.name ?? ''));
  if (!hasConsent && groups.length > 0 && meantForMarketing) {
    const items = groupsNode.children ?? [];
    const last = items[items.length - 1];
    const indent = last ? parsed.text.slice(last.offset - whitespaceBefore(parsed.text, last.offset, false), last.offset) : '';
    const insertAt = last ? last.offset + last.length : groupsNode.offset + 1;
    problems.push({
      offset: keyNode.offset,
      length: keyNode.length,
      severity: 'information',
      code: 'no-consent-condition',
      message: `"${options.name}" looks like a marketing audience but has no marketing-consent condition: unlike lists, segments include people who never opted in. Add a consent condition before sending to it.`,
      fixes: [
        {
          title: 'Add a group: can receive email marketing',
          edits: [{ offset: insertAt, length: 0, newText: last ? `,\n${indent}${CONSENT_GROUP}` : CONSENT_GROUP }],
        },
      ],
    });
  }
  if (matched === 0) {
    problems.push({
      offset: keyNode.offset,
      length: keyNode.length,
      severity: 'information',
      code: 'matches-no-one',
      message: `This segment matches no one in workspace ${workspaceName ?? ''}. Check each group's count (code lens) to see which one empties it.`.replace(
        '  ',
        ' ',
      ),
    });
  }
  return problems;
}
