import type { CountsReport } from '../protocol';

const number = (n: number) => n.toLocaleString('en-US');

/** "1,234 of 20,000 profiles (6.2%)" */
export function matchesText(matched: number, total: number): string {
  const percent = total === 0 ? 0 : (100 * matched) / total;
  return `${number(matched)} of ${number(total)} profiles (${percent < 0.1 && matched > 0 ? '<0.1' : percent.toFixed(1)}%)`;
}

export function countText(count: number | null): string {
  return count === null ? 'not evaluable locally' : number(count);
}

/** The headline of a report in any state: what the definition lens and the preview say. */
export function headline(report: CountsReport | undefined): string {
  if (!report) return 'Counting…';
  switch (report.state) {
    case 'ok':
      return report.matched === null
        ? `Not evaluable locally: ${report.notEvaluable[0] ?? 'see the conditions'}`
        : `Matches ${matchesText(report.matched, report.total)}`;
    case 'errors':
      return 'Definition has errors: not evaluated';
    default:
      return report.message ?? 'No counts';
  }
}
