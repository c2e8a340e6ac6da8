import { Bitset } from '../bitset';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileEventWindow, parseInstant } from '../time';
import { compileValueFilter } from '../valueFilter';
import { profileValueKey } from '../workspace';
import { CHANNEL_NAMES, describeFilter, describeTimeframe, lookup, shown, spaced } from '../phrases';
import type { ConditionKind, ConditionPath } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult, type SqlValue } from './sqlBuilder';
import { evidenceValue } from './property';

type Channel = 'email' | 'sms' | 'push';
const CHANNEL_RECORD = { email: 'email', sms: 'sms', push: 'mobile_push' } as const;
const CAN_RECEIVE_FIELD = { email: 'can_receive_email_marketing', sms: 'can_receive_sms_marketing', push: 'can_receive_push_marketing' } as const;
const CONSENT_OF_SUBSCRIPTION: Record<string, string> = { subscribed: 'SUBSCRIBED', unsubscribed: 'UNSUBSCRIBED', never_subscribed: 'NEVER_SUBSCRIBED' };
const SUPPRESSION_REASON: Record<string, string> = {
  bounce_date: 'HARD_BOUNCE',
  manual_suppression_date: 'USER_SUPPRESSED',
  invalid_email_date: 'INVALID_EMAIL',
};

/** Reads one field of a profile's marketing subscription record on a channel. */
type FieldReader = (profile: number) => unknown;

/** A test on one profile from one consent filter item. */
type ProfileTest = (profile: number) => boolean;

/**
 * profile-marketing-consent (semantics §4), on `subscriptions.{email|sms|mobile_push}.marketing`:
 * whether the profile can receive marketing on the channel must equal `can_receive_marketing`;
 * a subscription other than `any` must equal the record's `consent`; every filter must hold.
 * A profile without an email address cannot receive email (documented); a missing channel record
 * cannot receive and counts as NEVER_SUBSCRIBED (SL).
 */
function evaluateConsent(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const consent = isRecord(condition.consent) ? condition.consent : undefined;
  const channel = consent?.channel as Channel | undefined;
  if (!consent || (channel !== 'email' && channel !== 'sms' && channel !== 'push') || typeof consent.can_receive_marketing !== 'boolean') {
    return notEvaluable('the consent condition is not complete');
  }
  const status = isRecord(consent.consent_status) ? consent.consent_status : {};
  const subscription = status.subscription;
  if (subscription !== 'any' && typeof subscription === 'string' && lookup(CONSENT_OF_SUBSCRIPTION, subscription) === undefined)
    return notEvaluable(`unknown subscription ${shown(subscription)}`);
  const field = (name: string): FieldReader => {
    const column = ctx.workspace.column(profileValueKey.subscription(CHANNEL_RECORD[channel], name));
    return column ? (p) => column.get(p) : () => undefined;
  };
  // Per-row tests of the record's fields (once per distinct value, or in place in packed texts):
  // reading a million values one by one would slice every e-mail address out of its column.
  const fieldIs = (name: string, test: (value: unknown) => boolean, missing: boolean): ProfileTest => {
    const column = ctx.workspace.column(profileValueKey.subscription(CHANNEL_RECORD[channel], name));
    return column ? column.rowTest(test, missing) : () => missing;
  };
  const flagged = fieldIs(CAN_RECEIVE_FIELD[channel], (v) => v === true, false);
  // A missing consent counts as NEVER_SUBSCRIBED.
  const consentIs = (consent: string) => fieldIs('consent', (v) => v === consent, consent === 'NEVER_SUBSCRIBED');
  const neverSubscribed = consentIs('NEVER_SUBSCRIBED');
  const email = ctx.workspace.column(profileValueKey.attribute('email'));
  const nonEmptyText = Object.assign((v: unknown) => typeof v === 'string' && v !== '', { inText: (_: string, start: number, end: number) => end > start });
  const hasAddress: ProfileTest = email ? email.rowTest(nonEmptyText, false) : () => false;
  const canReceive = (p: number): boolean => {
    if (channel === 'email' && !hasAddress(p)) return false;
    // SMS never-subscribed profiles cannot receive SMS marketing (documented), whatever the flag says.
    if (channel === 'sms' && neverSubscribed(p)) return false;
    return flagged(p);
  };

  const tests: ProfileTest[] = [];
  const filters = Array.isArray(status.filters) ? status.filters : [];
  for (const item of filters) {
    const test = compileConsentFilter(ctx, item, field);
    if ('notEvaluable' in test) return notEvaluable(test.notEvaluable);
    tests.push(test.test);
  }
  const wantCan = consent.can_receive_marketing;
  const wantConsent = subscription === 'any' ? undefined : lookup(CONSENT_OF_SUBSCRIPTION, subscription);
  const hasConsent = wantConsent === undefined ? undefined : consentIs(wantConsent);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    if (canReceive(p) !== wantCan) continue;
    if (hasConsent && !hasConsent(p)) continue;
    if (tests.length === 0 || tests.every((test) => test(p))) set.add(p);
  }
  return matched(set);
}

function compileConsentFilter(ctx: EvaluationContext, item: unknown, field: (name: string) => FieldReader): { test: ProfileTest } | { notEvaluable: string } {
  if (!isRecord(item)) return { notEvaluable: 'a consent filter is not an object' };
  const filter = item.filter;
  switch (item.field) {
    case 'is_double_opt_in':
      return valueTest(ctx, field('double_optin'), filter);
    case 'status_date':
      return valueTest(ctx, field('consent_timestamp'), filter);
    case 'custom_source':
      return valueTest(ctx, field('custom_method_detail'), filter);
    case 'method': {
      const method = typeof item.method === 'string' ? item.method.toLowerCase() : undefined;
      if (!method) return { notEvaluable: 'a method filter has no "method"' };
      const readMethod = field('method');
      const readDetail = field('method_detail');
      const detailFilter = isRecord(filter) && Array.isArray(filter.value) ? new Set(filter.value.map((v) => shown(v).toLowerCase())) : undefined;
      // preference_page may carry an `equals` filter on the subscribe page URL (method_detail);
      // like the method, it compares case-insensitively (SL).
      const detailEquals =
        isRecord(filter) && filter.operator === 'equals'
          ? (filter.value === undefined || filter.value === null ? '' : shown(filter.value)).toLowerCase()
          : undefined;
      // Method names compare case-insensitively ("PREFERENCE_PAGE" = "preference_page"); an
      // optional `in` list is tested against method_detail (SL). For "integration", a method
      // equal to the integration's name (e.g. SHOPIFY) also counts (SL).
      return {
        test: (p) => {
          const actual = readMethod(p);
          if (typeof actual !== 'string') return false;
          const lower = actual.toLowerCase();
          const detail = readDetail(p);
          const detailText = typeof detail === 'string' ? detail.toLowerCase() : undefined;
          if (method === 'integration' && detailFilter?.has(lower)) return true;
          if (lower !== method) return false;
          if (detailEquals !== undefined) return detailText === detailEquals;
          return !detailFilter || (detailText !== undefined && detailFilter.has(detailText));
        },
      };
    }
    case 'bounce_date':
    case 'manual_suppression_date':
    case 'invalid_email_date': {
      const reason = SUPPRESSION_REASON[item.field];
      const readSuppression = field('suppression');
      const isSet = isRecord(filter) && filter.type === 'existence';
      const window = isSet ? undefined : compileEventWindow(filter, ctx.ref);
      if (window && 'notEvaluable' in window) return window;
      return {
        test: (p) => {
          const entries = readSuppression(p);
          if (!Array.isArray(entries)) return false;
          return entries.some((entry) => {
            if (!isRecord(entry) || entry.reason !== reason) return false;
            if (!window) return true;
            const t = parseInstant(entry.timestamp);
            return t !== undefined && window.test(t);
          });
        },
      };
    }
    case 'is_rcs_capable':
      return { notEvaluable: 'RCS capability is not in the profile data Klaviyo exports' };
  }
  return { notEvaluable: `unknown consent filter field ${JSON.stringify(item.field)}` };
}

function valueTest(ctx: EvaluationContext, read: FieldReader, filter: unknown): { test: ProfileTest } | { notEvaluable: string } {
  const compiled = compileValueFilter(filter, ctx.ref);
  if ('notEvaluable' in compiled) return compiled;
  return {
    test: (p) => {
      const value = read(p);
      return value === undefined || value === null ? compiled.matchesMissing : compiled.test(value);
    },
  };
}

function describeConsentFilter(filter: unknown): string {
  if (!isRecord(filter)) return '?';
  switch (filter.field) {
    case 'is_double_opt_in':
      return isRecord(filter.filter) && filter.filter.value === false ? 'without double opt-in' : 'double opt-in';
    case 'status_date':
      return `status changed ${describeTimeframe(filter.filter)}`;
    case 'custom_source':
      return `custom source ${describeFilter(filter.filter)}`;
    case 'method':
      return `via ${spaced(filter.method)}`;
    case 'bounce_date':
      return `bounced ${describeTimeframe(filter.filter)}`.trim();
    case 'manual_suppression_date':
      return `suppressed by hand ${describeTimeframe(filter.filter)}`.trim();
    case 'invalid_email_date':
      return `invalid address ${describeTimeframe(filter.filter)}`.trim();
    case 'is_rcs_capable':
      return 'RCS capable';
  }
  return shown(filter.field);
}

/**
 * profile-marketing-consent as SQL, with the rules of `evaluateConsent`: can-receive equals the
 * condition's (an email address is needed for email; SMS NEVER_SUBSCRIBED cannot receive), the
 * subscription equals the consent (a missing record is NEVER_SUBSCRIBED), every filter holds.
 */
function consentSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const consent = isRecord(condition.consent) ? condition.consent : undefined;
  const channel = consent?.channel as Channel | undefined;
  if (!consent || (channel !== 'email' && channel !== 'sms' && channel !== 'push') || typeof consent.can_receive_marketing !== 'boolean') {
    return { notEvaluable: 'the consent condition is not complete' };
  }
  const status = isRecord(consent.consent_status) ? consent.consent_status : {};
  const subscription = status.subscription;
  if (subscription !== 'any' && typeof subscription === 'string' && lookup(CONSENT_OF_SUBSCRIPTION, subscription) === undefined)
    return { notEvaluable: `unknown subscription ${shown(subscription)}` };
  const field = (name: string): SqlResult<SqlValue> => b.profileValue(['subscriptions', CHANNEL_RECORD[channel], 'marketing', name], ['consent', 'channel']);
  const canReceiveField = field(CAN_RECEIVE_FIELD[channel]);
  const consentField = field('consent');
  if (isSqlNotEvaluable(canReceiveField)) return canReceiveField;
  if (isSqlNotEvaluable(consentField)) return consentField;
  const consentIs = (value: string) =>
    value === 'NEVER_SUBSCRIBED' ? b.or(b.not(b.isPresent(consentField)), b.equalsLiteral(consentField, value)) : b.equalsLiteral(consentField, value);
  const canReceive: SqlPredicate[] = [b.equalsLiteral(canReceiveField, true)];
  if (channel === 'email') {
    const email = b.profileValue(['email'], ['consent', 'channel']);
    if (isSqlNotEvaluable(email)) return email;
    const hasAddress = b.valueFilter(email, { type: 'string', operator: 'not-equals', value: '' }, ['consent', 'channel']);
    if (isSqlNotEvaluable(hasAddress)) return hasAddress;
    canReceive.push(hasAddress);
  }
  // SMS never-subscribed profiles cannot receive SMS marketing (documented), whatever the flag says.
  if (channel === 'sms') canReceive.push(b.not(consentIs('NEVER_SUBSCRIBED')));
  const parts: SqlPredicate[] = [consent.can_receive_marketing ? b.and(...canReceive) : b.not(b.and(...canReceive))];
  const wantConsent = subscription === 'any' ? undefined : lookup(CONSENT_OF_SUBSCRIPTION, subscription);
  if (wantConsent !== undefined) parts.push(consentIs(wantConsent));
  const filters = Array.isArray(status.filters) ? status.filters : [];
  for (const [index, item] of filters.entries()) {
    const test = consentFilterSql(b, item, field, ['consent', 'consent_status', 'filters', index]);
    if (isSqlNotEvaluable(test)) return test;
    parts.push(test);
  }
  return b.and(...parts);
}

/** One consent filter as SQL (`compileConsentFilter`). */
function consentFilterSql(b: SqlBuilder, item: unknown, field: (name: string) => SqlResult<SqlValue>, at: ConditionPath): SqlResult<SqlPredicate> {
  if (!isRecord(item)) return { notEvaluable: 'a consent filter is not an object' };
  const filter = item.filter;
  const valueTest = (name: string) => {
    const value = field(name);
    return isSqlNotEvaluable(value) ? value : b.valueFilter(value, filter, [...at, 'filter']);
  };
  switch (item.field) {
    case 'is_double_opt_in':
      return valueTest('double_optin');
    case 'status_date':
      return valueTest('consent_timestamp');
    case 'custom_source':
      return valueTest('custom_method_detail');
    case 'method': {
      const method = typeof item.method === 'string' ? item.method.toLowerCase() : undefined;
      if (!method) return { notEvaluable: 'a method filter has no "method"' };
      const actual = field('method');
      const detail = field('method_detail');
      if (isSqlNotEvaluable(actual)) return actual;
      if (isSqlNotEvaluable(detail)) return detail;
      const detailIn = isRecord(filter) && Array.isArray(filter.value) ? [...new Set(filter.value.map((v) => shown(v).toLowerCase()))] : undefined;
      const detailEquals =
        isRecord(filter) && filter.operator === 'equals'
          ? (filter.value === undefined || filter.value === null ? '' : shown(filter.value)).toLowerCase()
          : undefined;
      // Case-insensitive method and detail (SL); for "integration", a method equal to the integration's name also counts (SL).
      const detailTest =
        detailEquals !== undefined
          ? b.lowerTextIn(detail, [detailEquals], [...at, 'filter'])
          : detailIn
            ? b.lowerTextIn(detail, detailIn, [...at, 'filter'])
            : b.constant(true);
      const byMethod = b.and(b.lowerTextIn(actual, [method], [...at, 'method']), detailTest);
      return method === 'integration' && detailIn ? b.or(b.lowerTextIn(actual, detailIn, [...at, 'method']), byMethod) : byMethod;
    }
    case 'bounce_date':
    case 'manual_suppression_date':
    case 'invalid_email_date': {
      const reason = SUPPRESSION_REASON[item.field];
      const entries = field('suppression');
      if (isSqlNotEvaluable(entries)) return entries;
      const isSet = isRecord(filter) && filter.type === 'existence';
      const window = isSet ? undefined : compileEventWindow(filter, b.ref);
      if (window && 'notEvaluable' in window) return window;
      let failed: SqlResult<SqlPredicate> | undefined;
      const test = b.anyElement(entries, (entry) => {
        const reasonMatches = b.equalsLiteral(b.field(entry, 'reason'), reason);
        if (isSet) return reasonMatches;
        const when = b.happenedFilter(b.instant(b.field(entry, 'timestamp')), filter, [...at, 'filter']);
        if (isSqlNotEvaluable(when)) {
          failed = when;
          return b.constant(false);
        }
        return b.and(reasonMatches, when);
      });
      return failed ?? test;
    }
    case 'is_rcs_capable':
      return { notEvaluable: 'RCS capability is not in the profile data Klaviyo exports' };
  }
  return { notEvaluable: `unknown consent filter field ${JSON.stringify(item.field)}` };
}

/** profile-marketing-consent: whether someone can (or cannot) receive marketing on a channel. */
export const profileMarketingConsent: ConditionKind = {
  type: 'profile-marketing-consent',
  readsHistory: true,
  template: {
    title: 'Can receive marketing',
    description: 'Whether someone can receive email, SMS or push marketing.',
    body: '{ "type": "profile-marketing-consent", "consent": { "channel": "${1|email,sms,push|}", "can_receive_marketing": true, "consent_status": { "subscription": "subscribed" } } }',
  },
  evaluate: evaluateConsent,
  sql: consentSql,
  // Without dated filters (status date, suppression dates) nothing it reads changes with the
  // instant: one evaluation serves a whole series.
  evaluateSeries(ctx, condition, refs) {
    const consent = isRecord(condition.consent) ? condition.consent : {};
    const status = isRecord(consent.consent_status) ? consent.consent_status : {};
    if (refs.length === 0 || (Array.isArray(status.filters) && status.filters.length > 0)) return undefined;
    const outcome = evaluateConsent({ ...ctx, ref: refs[refs.length - 1] }, condition);
    return refs.map(() => outcome);
  },
  explain(ctx, condition, profile) {
    const consent = isRecord(condition.consent) ? condition.consent : {};
    const channel: Channel = consent.channel === 'push' ? 'push' : consent.channel === 'sms' ? 'sms' : 'email';
    const value = (key: string) => ctx.workspace.profileValue(profile, key);
    const field = (name: string) => value(profileValueKey.subscription(CHANNEL_RECORD[channel], name));
    const parts = [`can receive: ${evidenceValue(field(CAN_RECEIVE_FIELD[channel]))}`, `consent: ${evidenceValue(field('consent'))}`];
    if (channel === 'email') parts.unshift(`email: ${evidenceValue(value(profileValueKey.attribute('email')))}`);
    for (const extra of ['method', 'method_detail', 'double_optin', 'consent_timestamp'])
      if (field(extra) !== undefined) parts.push(`${extra}: ${evidenceValue(field(extra))}`);
    return { text: parts.join(', ') };
  },
  describe(c) {
    const consent = isRecord(c.consent) ? c.consent : {};
    const status = isRecord(consent.consent_status) ? consent.consent_status : {};
    const channel = lookup(CHANNEL_NAMES, consent.channel) ?? shown(consent.channel);
    const can = consent.can_receive_marketing === false ? 'cannot' : 'can';
    const subscription = status.subscription && status.subscription !== 'any' ? ` and is ${spaced(status.subscription)}` : '';
    const filters = Array.isArray(status.filters) && status.filters.length ? ` (${status.filters.map(describeConsentFilter).join(', ')})` : '';
    return `${can} receive ${channel} marketing${subscription}${filters}`;
  },
  notes: () => ['A profile without an email address cannot receive email; a missing channel record counts as never subscribed (SL).'],
};
