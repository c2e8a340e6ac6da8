/**
 * Segment files with one problem each that needs the data workspace (or the segment's name or
 * counts), shared by the diagnostics and the quick-fix fixtures. The `^^^ <code>` annotation under
 * a line marks where the problem must be reported (markers: ./fixture.ts).
 */
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';

export interface ProblemCase {
  title: string;
  /** The segment file; exactly one annotation, labelled with the expected code. */
  source: string;
  /** The file's URI, when its name matters. */
  uri?: string;
  severity: DiagnosticSeverity;
  tags?: DiagnosticTag[];
  /** What the message must say beyond the code: the workspace facts it is about. */
  message?: RegExp;
  /** The quick fix to apply (its title); the problem must be gone afterwards. */
  fix?: RegExp;
  /** Validate with the counts of the definition (problems about the count). */
  counts?: boolean;
}

const TIMEFRAME_30_DAYS = '"timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 }';
const AT_LEAST_ONCE = '"measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }';
const REGION = (inRegion: boolean) => `{ "type": "profile-region", "in_region": ${inRegion}, "region": "united_states" }`;

/** One group holding `lines` (the conditions, written as they should appear). */
const oneGroup = (...lines: string[]) => ['{ "condition_groups": [ { "conditions": [', ...lines, '] } ] }'].join('\n');

export const PROBLEM_CASES: ProblemCase[] = [
  {
    title: 'unknown-metric-id: a warning on the ID, with "did you mean" the closest metric',
    source: oneGroup(
      '  { "type": "profile-metric",',
      '    "metric_id": "VwxT3b",',
      '    //           ^^^^^^^^ unknown-metric-id',
      `    "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} }`,
    ),
    severity: DiagnosticSeverity.Warning,
    fix: /^Change to Placed Order \(VwxT3a\)$/,
  },
  {
    title: 'unknown-list-id: a warning on the ID, with "did you mean" the closest list',
    source: oneGroup(
      '  { "type": "profile-group-membership", "is_member": true,',
      '    "group_ids": ["NwS7kq"] }',
      '    //            ^^^^^^^^ unknown-list-id',
    ),
    severity: DiagnosticSeverity.Warning,
    fix: /^Change to Newsletter \(NwS7kQ\)$/,
  },
  {
    title: "segment-id-in-group-ids: an error on a segment's ID, naming the segment",
    source: oneGroup(
      '  { "type": "profile-group-membership", "is_member": true,',
      '    "group_ids": ["UUvyMc"] }',
      '    //            ^^^^^^^^ segment-id-in-group-ids',
    ),
    severity: DiagnosticSeverity.Error,
    message: /Columbus Regulars/,
  },
  {
    title: 'sum-without-value: a warning on "sum" for a metric whose events have no $value',
    source: oneGroup(
      '  { "type": "profile-metric", "metric_id": "Mc9yTe",',
      '    "measurement": "sum",',
      '    //             ^^^^^ sum-without-value',
      `    ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} }`,
    ),
    severity: DiagnosticSeverity.Warning,
    message: /Opened Email/,
    fix: /^Change to "count"$/,
  },
  {
    title: 'filter-type-mismatch: a warning on a numeric filter of a text profile property',
    source: oneGroup(
      '  { "type": "profile-property", "property": "properties[\'Favorite Genre\']",',
      '    "filter": { "type": "numeric", "operator": "greater-than", "value": 3 } }',
      '    //                  ^^^^^^^^^ filter-type-mismatch',
    ),
    severity: DiagnosticSeverity.Warning,
    message: /Use a string filter/,
  },
  {
    title: 'filter-type-mismatch: a warning on a text filter of a boolean event property',
    source: oneGroup(
      `  { "type": "profile-metric", "metric_id": "Ls5hWq", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS},`,
      '    "metric_filters": [ { "property": "Bot Click",',
      '      "filter": { "type": "string", "operator": "equals", "value": "true" } } ] }',
      '      //                  ^^^^^^^^ filter-type-mismatch',
    ),
    severity: DiagnosticSeverity.Warning,
    message: /"Bot Click" holds booleans/,
  },
  {
    title: 'unseen-property: information on a custom property no profile has, with the close name',
    source: oneGroup(
      '  { "type": "profile-property",',
      '    "property": "properties[\'Favorite Genra\']",',
      '    //          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ unseen-property',
      '    "filter": { "type": "string", "operator": "equals", "value": "Jazz" } }',
    ),
    severity: DiagnosticSeverity.Information,
    fix: /^Change to properties\['Favorite Genre'\]$/,
  },
  {
    title: "unseen-event-property: information on an event property the metric's events lack, naming those they have",
    source: oneGroup(
      `  { "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS},`,
      '    "metric_filters": [ { "property": "Categorys",',
      '    //                                ^^^^^^^^^^^ unseen-event-property',
      '      "filter": { "type": "list", "operator": "contains-any", "value": ["Jazz"] } } ] }',
    ),
    severity: DiagnosticSeverity.Information,
    message: /"Categories"/,
  },
  {
    title: "far-future-date: a warning on a static date years after the workspace's now",
    source: oneGroup(
      '  { "type": "profile-property", "property": "created",',
      '    "filter": { "type": "date", "operator": "after", "date": "2062-01-01T00:00:00+00:00" } }',
      '    //                                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^ far-future-date',
    ),
    severity: DiagnosticSeverity.Warning,
  },
  {
    title: 'duplicate-condition: a warning over the repeated condition, tagged unnecessary',
    source: oneGroup(
      `  ${REGION(true)},`,
      `  { "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} },`,
      `  ${REGION(true)}`,
      `//${'^'.repeat(REGION(true).length)} duplicate-condition`,
    ),
    severity: DiagnosticSeverity.Warning,
    tags: [DiagnosticTag.Unnecessary],
    fix: /^Remove the duplicate condition$/,
  },
  {
    title: 'duplicate-group: a warning over the repeated group, tagged unnecessary',
    source: [
      '{ "condition_groups": [',
      `  { "conditions": [ ${REGION(true)} ] },`,
      `  { "conditions": [ { "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} } ] },`,
      `  { "conditions": [ ${REGION(true)} ] }`,
      `//${'^'.repeat(`{ "conditions": [ ${REGION(true)} ] }`.length)} duplicate-group`,
      '] }',
    ].join('\n'),
    severity: DiagnosticSeverity.Warning,
    tags: [DiagnosticTag.Unnecessary],
    fix: /^Remove the duplicate group$/,
  },
  {
    title: 'contradiction: a warning at the start of the condition that cannot hold together with another group',
    source: [
      '{ "condition_groups": [',
      `  { "conditions": [ ${REGION(true)} ] },`,
      `  { "conditions": [ ${REGION(false)} ] }`,
      '  //                ^ contradiction',
      '] }',
    ].join('\n'),
    severity: DiagnosticSeverity.Warning,
    message: /matches no one/,
  },
  {
    title: 'no-consent-condition: information on "condition_groups" of a segment named for marketing',
    source: [
      '{ "condition_groups": [',
      '//^^^^^^^^^^^^^^^^^^ no-consent-condition',
      `  { "conditions": [ { "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} } ] }`,
      '] }',
    ].join('\n'),
    uri: 'file:///tiny-vinyl/segments/spring-promo.json',
    severity: DiagnosticSeverity.Information,
    message: /"spring promo" looks like a marketing audience/,
    fix: /^Add a group: can receive email marketing$/,
  },
  {
    title: 'matches-no-one: information on "condition_groups" once the counts say 0',
    source: [
      '{ "condition_groups": [',
      '//^^^^^^^^^^^^^^^^^^ matches-no-one',
      `  { "conditions": [ { "type": "profile-metric", "metric_id": "Tw7pCm", "measurement": "count", ${AT_LEAST_ONCE}, ${TIMEFRAME_30_DAYS} } ] }`,
      '] }',
    ].join('\n'),
    severity: DiagnosticSeverity.Information,
    counts: true,
  },
];

/** Codes that only a data workspace (or its counts) can produce. */
export const DATA_CODES = [
  'unknown-metric-id',
  'unknown-list-id',
  'segment-id-in-group-ids',
  'sum-without-value',
  'filter-type-mismatch',
  'unseen-property',
  'unseen-event-property',
  'far-future-date',
  'duplicate-condition',
  'duplicate-group',
  'contradiction',
  'matches-no-one',
];
