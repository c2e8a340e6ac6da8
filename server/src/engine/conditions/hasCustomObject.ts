import { notEvaluable } from '../outcome';
import { describeMeasure, shown } from '../phrases';
import { checkCountLimit } from './checks';
import type { ConditionKind } from './kind';

/** Klaviyo allows at most this many `filters` in a custom-object condition (documented). */
const MAX_CUSTOM_OBJECT_FILTERS = 5;

const NO_RECORDS = 'the workspace format has no custom-object records';

/** profile-has-custom-object: how many records of a custom object type someone has (not evaluable locally). */
export const profileHasCustomObject: ConditionKind = {
  type: 'profile-has-custom-object',
  template: {
    title: 'Has custom-object records',
    description: 'How many records of a custom object type someone has.',
    body: '{ "type": "profile-has-custom-object", "object_type_id": "${1:OBJECT_TYPE_ID}", "object_type_relationship_id": "${2:RELATIONSHIP_ID}", "filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": ${3:1} }, "filters": [] }',
  },
  evaluate: () => notEvaluable(NO_RECORDS),
  explain: () => ({ text: `not evaluable locally: ${NO_RECORDS}` }),
  sql: () => ({ notEvaluable: NO_RECORDS }),
  describe(c) {
    const count = describeMeasure('count', c.filter).replace('at least once', 'at least one').replace('zero times', 'no');
    const filters = Array.isArray(c.filters) ? c.filters.length : 0;
    return `has ${count} record(s) of custom object ${shown(c.object_type_id)}${filters ? ` matching ${filters} filter(s)` : ''}`;
  },
  notes: () => ['Custom-object records are not part of the workspace, so this condition is not evaluated locally.'],
  check(condition, report) {
    checkCountLimit(
      condition.filters,
      ['filters'],
      MAX_CUSTOM_OBJECT_FILTERS,
      'too-many-custom-object-filters',
      'filters in a custom-object condition',
      report,
    );
  },
};
