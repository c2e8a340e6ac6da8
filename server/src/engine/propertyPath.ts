/**
 * How a `profile-property` condition names a property, and where the value lives in a profile
 * resource: a built-in attribute (`email`), a location field (`location['city']`), or a custom
 * property (`properties['Favorite Color']`).
 */
export type PropertyPath =
  | { kind: 'attribute'; name: string }
  | { kind: 'location'; field: string }
  | { kind: 'custom'; name: string }
  | { kind: 'unknown'; name: string }
  | { kind: 'invalid'; reason: string };

/** Built-in profile attributes a segment can test (semantics §3). */
export const PROFILE_ATTRIBUTES = [
  'email',
  'phone_number',
  'external_id',
  'first_name',
  'last_name',
  'organization',
  'title',
  'image',
  'locale',
  'created',
  'updated',
  'last_event_date',
] as const;

/** Fields of `attributes.location`. */
export const LOCATION_FIELDS = ['city', 'region', 'country', 'zip', 'timezone', 'address1', 'address2', 'latitude', 'longitude', 'ip'] as const;

/** Every built-in property name as a condition writes it. */
export const WELL_KNOWN_PROPERTIES: readonly string[] = [...PROFILE_ATTRIBUTES, ...LOCATION_FIELDS.map((f) => `location['${f}']`)];

const BRACKETED = /^(properties|location)\[\s*(['"])((?:\\.|(?!\2).)*)\2\s*\]$/s;

/** Parses a property name as written in a `profile-property` condition. */
export function parsePropertyPath(text: string): PropertyPath {
  if ((PROFILE_ATTRIBUTES as readonly string[]).includes(text)) return { kind: 'attribute', name: text };
  const match = BRACKETED.exec(text);
  if (match) {
    const name = match[3].replace(/\\(.)/g, '$1');
    if (match[1] === 'properties') {
      return name === '' ? { kind: 'invalid', reason: 'The custom property name between the quotes is empty.' } : { kind: 'custom', name };
    }
    if ((LOCATION_FIELDS as readonly string[]).includes(name)) return { kind: 'location', field: name };
    return { kind: 'invalid', reason: `location['${name}'] is not a location field; the fields are ${LOCATION_FIELDS.join(', ')}.` };
  }
  if (/^(properties|location)\s*\[/.test(text)) {
    return {
      kind: 'invalid',
      reason: `${JSON.stringify(text)} is not well formed: write properties['Name'] with the name in single quotes (escape a quote inside it as \\').`,
    };
  }
  return { kind: 'unknown', name: text };
}

/** Writes a custom property name as a condition expects it. */
export function customPropertyPath(name: string): string {
  return `properties['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
