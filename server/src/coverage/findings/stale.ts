/**
 * Stale segments (one finding per file): IDs that point nowhere, metrics with no events or none
 * in the last `staleMetricDays`, lists without members, and segments that match no one.
 */
import { DAY_MS } from '../../engine/time';
import { audience, label, useOf, type Entry, type NewFinding, type Review } from '../review';

export function staleFindings(review: Review): NewFinding[] {
  const findings: NewFinding[] = [];
  for (const entry of review.entries) {
    if (!entry.definition) continue;
    const { reasons, broken } = staleReasons(review, entry);
    if (entry.matched === 0) reasons.push('matches no one');
    if (!reasons.length) continue;
    findings.push({
      kind: 'stale',
      files: [entry.input.file],
      evidence: `${entry.name} ${reasons.join('; ')}${entry.matched !== null && entry.matched > 0 ? ` (matches ${audience(review, entry.matched)})` : ''}.`,
      priority: broken ? 'high' : entry.matched === 0 ? 'medium' : 'low',
      recommendation: broken
        ? 'Fix the ID (a re-created integration or list gets a new one) or retire the segment: it is not evaluated and may silently match no one in Klaviyo.'
        : 'Retire it, or refresh it if the data feed should come back; a segment nobody can enter only clutters the account.',
      title: entry.name,
      rule: entry.rule,
      use: useOf(entry, review.byStage),
      status: broken ? 'refresh' : 'retire',
    });
  }
  return findings;
}

/** What is stale about the metrics and lists a file uses; `broken` when an ID is not in the workspace. */
function staleReasons(review: Review, entry: Entry): { reasons: string[]; broken: boolean } {
  const { workspace } = review;
  const staleSince = workspace.now - review.thresholds.staleMetricDays * DAY_MS;
  const reasons: string[] = [];
  let broken = false;
  for (const m of entry.metrics) {
    const metric = workspace.metric(m.id);
    if (!metric) {
      reasons.push(`uses metric ${m.id}, which is not in the workspace`);
      broken = true;
    } else if (metric.events.count === 0) {
      reasons.push(`metric ${label(m)} has no events at all`);
    } else if ((metric.events.lastTime ?? 0) < staleSince) {
      const last = metric.events.lastTime ?? 0;
      reasons.push(
        `metric ${label(m)} has had no events since ${new Date(last).toISOString().slice(0, 10)} (${Math.floor((workspace.now - last) / DAY_MS)} days)`,
      );
    }
  }
  for (const l of entry.lists) {
    const list = workspace.list(l.id);
    if (!list) {
      reasons.push(`uses list ${l.id}, which is not in the workspace`);
      broken = true;
    } else if (list.membership.members.count() === 0) {
      reasons.push(`list ${label(l)} has no members`);
    }
  }
  return { reasons, broken };
}
