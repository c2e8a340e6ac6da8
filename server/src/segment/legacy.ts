import type { Node } from 'jsonc-parser';
import type { Fix } from './problem';
import { propertyNode, quote, withUtcOffset } from './text';

/**
 * Spellings from older API revisions and from Klaviyo's 2024-06-15 developer guide that
 * revision 2026-07-15 no longer accepts, with the mechanical fix where there is one.
 * (docs/diagnostics.md lists them.)
 */
export interface LegacyKey {
  old: string;
  current: string;
  code: string;
  message: (ownerTitle: string) => string;
}

export const LEGACY_KEYS: readonly LegacyKey[] = [
  {
    old: 'region_id',
    current: 'region',
    code: 'legacy-region-id',
    message: () => '"region_id" is the spelling of API revision 2024-06-15; revision 2026-07-15 names this key "region".',
  },
  {
    old: 'field',
    current: 'property',
    code: 'legacy-profile-attribute',
    message: () => '"field" is the 2024-06-15 spelling; a profile-property condition names the property in "property".',
  },
  {
    old: 'value',
    current: 'date',
    code: 'legacy-static-date-value',
    message: (title) =>
      `A ${title} takes its date in "date" since API revision 2026-07-15 (the 2024-06-15 examples used "value"), as a full date-time with a UTC offset.`,
  },
];

export interface LegacyValue {
  code: string;
  message: string;
  fix(valueNode: Node, value: string): Fix[];
}

function renameKeyEdit(objectNode: Node | undefined, from: string, to: string) {
  const key = propertyNode(objectNode, from)?.children?.[0];
  return key ? [{ offset: key.offset, length: key.length, newText: quote(to) }] : [];
}

/** Legacy values, keyed by `key=value`. */
export const LEGACY_VALUES: Readonly<Record<string, LegacyValue>> = {
  'type=profile-attribute': {
    code: 'legacy-profile-attribute',
    message:
      '"profile-attribute" is the condition type of API revision 2024-06-15; revision 2026-07-15 calls it "profile-property" and names the property in "property" instead of "field".',
    fix: (valueNode) => [
      {
        title: 'Change to a "profile-property" condition',
        edits: [
          { offset: valueNode.offset, length: valueNode.length, newText: '"profile-property"' },
          ...renameKeyEdit(valueNode.parent?.parent, 'field', 'property'),
        ],
        isPreferred: true,
      },
    ],
  },
  'field=is_double_optin': {
    code: 'legacy-double-optin',
    message: '"is_double_optin" is the 2024-06-15 spelling; revision 2026-07-15 expects "is_double_opt_in".',
    fix: (valueNode) => [
      {
        title: 'Change to "is_double_opt_in"',
        edits: [{ offset: valueNode.offset, length: valueNode.length, newText: '"is_double_opt_in"' }],
        isPreferred: true,
      },
    ],
  },
};

/** `"value": "2017-04-01T00:00:00"` → `"date": "2017-04-01T00:00:00+00:00"`. */
export function legacyStaticDateFix(keyNode: Node, valueNode: Node): Fix {
  const edits = [{ offset: keyNode.offset, length: keyNode.length, newText: '"date"' }];
  const completed = typeof valueNode.value === 'string' ? withUtcOffset(valueNode.value) : undefined;
  if (completed) edits.push({ offset: valueNode.offset, length: valueNode.length, newText: quote(completed.fixed) });
  return { title: 'Rename "value" to "date" (with a UTC offset)', edits, isPreferred: true };
}
