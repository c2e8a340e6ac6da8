/**
 * The diagnostic codes of docs/diagnostics.md, with their meaning and quick fix as the page
 * states them: the rules of the SARIF report. A unit test holds this table to the page, so a code
 * documented there is a rule here and the words are the same.
 */

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

export interface DiagnosticCode {
  code: string;
  /** The severity the code is reported with. */
  severity: DiagnosticSeverity;
  /** What it means (Markdown, as in the documentation's table). */
  meaning: string;
  /** The quick fix that comes with it ('' when none). */
  fix: string;
  /** The anchor of the documentation section that lists it. */
  section: string;
}

export const DIAGNOSTIC_CODES: readonly DiagnosticCode[] = [
  { code: 'json-syntax', severity: 'error', meaning: 'the text is not JSON here (the rest of the file is still checked)', fix: '', section: 'syntax' },
  {
    code: 'json-comment',
    severity: 'error',
    meaning: 'a comment: the Segments API takes strict JSON (`segmentLens.allowComments` accepts them)',
    fix: 'remove',
    section: 'syntax',
  },
  { code: 'json-trailing-comma', severity: 'error', meaning: 'a trailing comma (same setting)', fix: 'remove', section: 'syntax' },
  { code: 'empty-file', severity: 'error', meaning: 'nothing in the file', fix: '', section: 'syntax' },
  {
    code: 'too-deep',
    severity: 'error',
    meaning: 'values nested more than 64 levels deep (a definition needs about 14); one per file, at the first such value, whose inside is not checked',
    fix: '',
    section: 'syntax',
  },
  {
    code: 'validation-failed',
    severity: 'error',
    meaning:
      'Segment Lens could not check the file (a defect in Segment Lens, with the reason; the log or the CLI has the details); other files are not affected',
    fix: '',
    section: 'syntax',
  },
  { code: 'not-a-segment', severity: 'error', meaning: 'not a definition, an API body or a segment resource', fix: '', section: 'shape-of-the-file' },
  { code: 'single-condition', severity: 'error', meaning: 'one condition pasted alone', fix: 'wrap it in a definition', section: 'shape-of-the-file' },
  { code: 'segment-list', severity: 'error', meaning: 'a GET /api/segments response (many segments)', fix: '', section: 'shape-of-the-file' },
  {
    code: 'missing-property',
    severity: 'error',
    meaning: 'a required key is missing (shown on the key of the object that lacks it)',
    fix: '',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'wrong-type',
    severity: 'error',
    meaning: 'a value of the wrong JSON type',
    fix: 'number/boolean/array when obvious',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'invalid-value',
    severity: 'error',
    meaning: 'a value outside the allowed set',
    fix: 'nearest value',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'unknown-condition-type',
    severity: 'error',
    meaning: 'unknown condition `type`, with the nearest one',
    fix: 'nearest type',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'unknown-operator',
    severity: 'error',
    meaning: 'an operator that does not exist for this filter type in this context',
    fix: 'nearest operator',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'invalid-date-time',
    severity: 'error',
    meaning: 'not an ISO 8601 date-time with a UTC offset',
    fix: 'add `+00:00`',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'unknown-property',
    severity: 'warning',
    meaning: 'a key that the alternative does not have (Klaviyo ignores or rejects it)',
    fix: 'nearest key',
    section: 'schema-klaviyo-api-revision-2026-07-15',
  },
  {
    code: 'legacy-profile-attribute',
    severity: 'error',
    meaning: '`"type": "profile-attribute"` / `"field"` (2024-06-15)',
    fix: 'convert to `profile-property` / `property`',
    section: 'older-api-revisions',
  },
  { code: 'legacy-region-id', severity: 'error', meaning: '`region_id` → `region`', fix: 'rename', section: 'older-api-revisions' },
  {
    code: 'legacy-static-date-value',
    severity: 'error',
    meaning: 'a static date in `value` → `date`',
    fix: 'rename, add UTC offset',
    section: 'older-api-revisions',
  },
  { code: 'legacy-double-optin', severity: 'error', meaning: '`is_double_optin` → `is_double_opt_in`', fix: 'rename', section: 'older-api-revisions' },
  { code: 'legacy-camel-case', severity: 'error', meaning: 'SDK camelCase keys (`metricId`)', fix: 'rename', section: 'older-api-revisions' },
  {
    code: 'too-many-conditions',
    severity: 'error',
    meaning: 'more than 100 conditions',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'too-many-metric-filters',
    severity: 'error',
    meaning: 'more than 10 filters in a metric condition',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'too-many-funnel-steps',
    severity: 'error',
    meaning: 'more than 5 steps / 10 filters per step',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'too-many-funnel-filters',
    severity: 'error',
    meaning: 'more than 5 steps / 10 filters per step',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'too-many-custom-object-filters',
    severity: 'error',
    meaning: 'more than 5 filters',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'group-ids-count',
    severity: 'error',
    meaning: '`group_ids` must hold exactly one list ID',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'deactivate-with-other-attributes',
    severity: 'error',
    meaning: 'a PATCH with `is_active: false` and other attributes',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'empty-condition-groups',
    severity: 'warning',
    meaning: 'no groups: matches everyone',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'empty-conditions',
    severity: 'warning',
    meaning: 'an empty group: matches no one',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'funnel-without-positive-step',
    severity: 'warning',
    meaning: 'every step has `metric_exists: false`',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'range-reversed',
    severity: 'warning',
    meaning: 'a range whose end comes before its start',
    fix: 'swap',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'negative-quantity',
    severity: 'warning',
    meaning: 'a negative relative quantity',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'non-positive-distance',
    severity: 'warning',
    meaning: 'a distance of 0 or less',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'invalid-month',
    severity: 'error',
    meaning: '`calendar-month` outside 1–12',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'unknown-country-code',
    severity: 'warning',
    meaning: 'not an ISO 3166 code',
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'country-code-alpha2',
    severity: 'warning',
    meaning: 'alpha-2 where Klaviyo documents alpha-3',
    fix: 'change to alpha-3',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'invalid-property-name',
    severity: 'error',
    meaning: "a malformed `properties['…']` / `location['…']`",
    fix: '',
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'unknown-profile-property',
    severity: 'warning',
    meaning: 'not a built-in property name',
    fix: "nearest name, or `properties['…']`",
    section: 'rules-the-api-enforces-that-the-schema-cannot-express',
  },
  {
    code: 'unknown-metric-id',
    severity: 'warning',
    meaning: 'no such metric in the workspace: "did you mean Placed Order (S4SFhi)?"',
    fix: 'closest IDs',
    section: 'with-a-data-workspace',
  },
  { code: 'unknown-list-id', severity: 'warning', meaning: 'no such list', fix: 'closest IDs', section: 'with-a-data-workspace' },
  {
    code: 'segment-id-in-group-ids',
    severity: 'error',
    meaning: 'the ID of a segment (known from segment files) where a list ID belongs',
    fix: '',
    section: 'with-a-data-workspace',
  },
  {
    code: 'sum-without-value',
    severity: 'warning',
    meaning: '`sum` over events that carry no numeric `$value`',
    fix: 'change to `count`',
    section: 'with-a-data-workspace',
  },
  {
    code: 'filter-type-mismatch',
    severity: 'warning',
    meaning: "the filter family fits none of the stored values' types",
    fix: '',
    section: 'with-a-data-workspace',
  },
  { code: 'unseen-property', severity: 'information', meaning: 'no profile has this custom property', fix: 'closest name', section: 'with-a-data-workspace' },
  { code: 'unseen-event-property', severity: 'information', meaning: 'no event of the metric has this property', fix: '', section: 'with-a-data-workspace' },
  {
    code: 'far-future-date',
    severity: 'warning',
    meaning: "a static date more than two years after the workspace's `now`",
    fix: '',
    section: 'with-a-data-workspace',
  },
  { code: 'duplicate-condition', severity: 'warning', meaning: 'repeated condition / group', fix: 'remove', section: 'with-a-data-workspace' },
  { code: 'duplicate-group', severity: 'warning', meaning: 'repeated condition / group', fix: 'remove', section: 'with-a-data-workspace' },
  { code: 'contradiction', severity: 'warning', meaning: 'two ANDed groups that can never both hold', fix: '', section: 'with-a-data-workspace' },
  { code: 'matches-no-one', severity: 'information', meaning: 'the segment matches no profile of the workspace', fix: '', section: 'with-a-data-workspace' },
  {
    code: 'no-consent-condition',
    severity: 'information',
    meaning: 'a marketing audience (by its name; `segmentLens.consentHint`) without a consent condition',
    fix: 'add a consent group',
    section: 'with-a-data-workspace',
  },
  { code: 'unreadable-file', severity: 'error', meaning: 'the file cannot be read (missing, a folder, no permission)', fix: '', section: 'the-command-line' },
];

/** Where the diagnostics are documented (the project's repository, as package.json names it). */
export const DIAGNOSTICS_DOC_URL = 'https://github.com/segment-lens/segment-lens/blob/main/docs/diagnostics.md';
