/** Too broad: a segment matching at least `tooBroadShare` of all profiles (an empty definition included). */
import { groupsOf } from '../definitions';
import { shareOf, type NewFinding, type Review } from '../review';
import { formatCount, formatShare } from '../stats';

export function tooBroadFindings(review: Review): NewFinding[] {
  const total = review.workspace.profileCount;
  const findings: NewFinding[] = [];
  for (const entry of review.entries) {
    if (entry.matched === null || total === 0 || shareOf(review, entry.matched) < review.thresholds.tooBroadShare) continue;
    const empty = groupsOf(entry.definition).length === 0;
    findings.push({
      kind: 'too-broad',
      files: [entry.input.file],
      evidence: `${entry.name} matches ${formatCount(entry.matched)} of ${formatCount(total)} profiles (${formatShare(shareOf(review, entry.matched))})${empty ? ': it has no condition groups' : ''}.`,
      priority: 'medium',
      recommendation:
        'It separates almost no one, so it supports no clear action: narrow it (recent engagement, purchase history, consent) or keep it for reporting only.',
      title: entry.name,
      rule: entry.rule,
      use: 'reporting',
      status: 'needs business review',
    });
  }
  return findings;
}
