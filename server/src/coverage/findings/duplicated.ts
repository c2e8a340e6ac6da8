/**
 * Duplicated segments (one finding per pair): equivalent definitions (the same groups and
 * conditions in any order) or near-identical membership (Jaccard ≥ `duplicateJaccard`). A file
 * and its consent-safe version are deliberate variants, not duplicates.
 */
import { useOf, type Entry, type NewFinding, type Review } from '../review';
import { formatCount, jaccard } from '../stats';

export function duplicatedFindings(review: Review): NewFinding[] {
  const { entries } = review;
  const findings: NewFinding[] = [];
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i];
    if (!a.definition) continue;
    for (let k = i + 1; k < entries.length; k++) {
      const b = entries[k];
      if (!b.definition) continue;
      const same = a.key === b.key;
      // A consent-safe version of a segment is a deliberate variant, not a duplicate.
      if (!same && a.keyWithoutConsent === b.keyWithoutConsent && a.consent !== b.consent) continue;
      const j = a.set && b.set ? jaccard(a.set, b.set) : undefined;
      const near = j !== undefined && (a.matched ?? 0) > 0 && (b.matched ?? 0) > 0 && j.jaccard >= review.thresholds.duplicateJaccard;
      if (!same && !near) continue;
      const [keep, drop] = preferred(a, b);
      const overlap = j
        ? `; ${formatCount(j.both)} in both, ${formatCount((a.matched ?? 0) - j.both)} only in ${a.input.file}, ${formatCount((b.matched ?? 0) - j.both)} only in ${b.input.file} (Jaccard ${j.jaccard.toFixed(2)})`
        : '';
      findings.push({
        kind: 'duplicated',
        files: [keep.input.file, drop.input.file],
        evidence: `${same ? 'Equivalent definitions (same groups and conditions in any order)' : 'Near-identical membership'}${overlap}.`,
        priority: same ? 'medium' : 'low',
        recommendation: `Keep ${keep.input.file} and retire ${drop.input.file} (or merge their purposes): two segments for one audience drift apart when only one is edited.`,
        title: `${keep.name} / ${drop.name}`,
        rule: keep.rule,
        use: useOf(keep, review.byStage),
        status: 'merge',
      });
    }
  }
  return findings;
}

/** Of two duplicates, the one to keep: the one covering a stage, else the one with its own name, else the first. */
function preferred(a: Entry, b: Entry): [Entry, Entry] {
  const score = (e: Entry) => (e.stages.length ? 2 : 0) + (e.input.name ? 1 : 0);
  return score(b) > score(a) ? [b, a] : [a, b];
}
