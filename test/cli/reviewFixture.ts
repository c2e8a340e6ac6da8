/**
 * A small data workspace written by the tests of `diff` and `overlap`, with a reference matcher:
 * the segments are built from "property equals value" conditions only, so the expected members
 * of each can be computed here from the profiles, without the engine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TestProfile {
  id: string;
  email: string;
  firstName?: string;
  country: string;
  tier?: string;
  genre?: string;
}

/** Profiles with every combination the segments below tell apart, and one with hostile text. */
export const PROFILES: TestProfile[] = [
  { id: 'P1', email: 'ada@example.com', country: 'US', tier: 'gold', genre: 'Jazz' },
  { id: 'P2', email: 'bob@example.com', country: 'US', tier: 'silver', genre: 'Blues' },
  { id: 'P3', email: 'cy@example.com', country: 'DE', tier: 'gold', genre: 'Rock' },
  { id: 'P4', email: 'di@example.com', country: 'FR', tier: 'bronze', genre: 'Jazz' },
  { id: 'P5', email: 'ed@example.com', country: 'US', genre: 'Blues' },
  { id: 'P6', email: 'fay@example.com', country: 'GB', tier: 'silver' },
  { id: 'P7', email: 'gus@example.com', country: 'CA', tier: 'gold', genre: 'Jazz' },
  {
    id: 'P8|`x`](javascript:alert(1))',
    email: '<script>alert(1)</script>|`@x`](javascript:alert(2))',
    firstName: '<img src=x onerror=alert(3)>',
    country: 'US',
    tier: 'silver',
    genre: 'Soul',
  },
];

/** A condition on one profile field, and how the reference matcher reads it. */
export type FieldCondition = { field: 'tier' | 'genre' | 'country'; value: string };

const PROPERTY: Record<FieldCondition['field'], string> = { tier: "properties['Tier']", genre: "properties['Genre']", country: "location['country']" };

/** A definition: groups ANDed, conditions inside a group ORed. */
export function definition(groups: FieldCondition[][]): { condition_groups: unknown[] } {
  return {
    condition_groups: groups.map((conditions) => ({
      conditions: conditions.map((c) => ({
        type: 'profile-property',
        property: PROPERTY[c.field],
        filter: { type: 'string', operator: 'equals', value: c.value },
      })),
    })),
  };
}

/** The IDs of the profiles a definition built by `definition` matches, in workspace order. */
export function expectedIds(groups: FieldCondition[][]): string[] {
  return PROFILES.filter((p) => groups.every((group) => group.some((c) => p[c.field] === c.value))).map((p) => p.id);
}

export function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function writeSegment(path: string, groups: FieldCondition[][], name?: string): void {
  const body = name === undefined ? definition(groups) : { data: { type: 'segment', attributes: { name, definition: definition(groups) } } };
  writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
}

/** Writes the workspace (klaviyo-workspace.json and data/) into `root`. */
export function writeWorkspace(root: string): void {
  writeFile(join(root, 'klaviyo-workspace.json'), JSON.stringify({ name: 'Review shop', now: '2026-11-01T12:00:00Z' }));
  writeFile(join(root, 'data', 'metrics.json'), JSON.stringify({ data: [] }));
  writeFile(join(root, 'data', 'lists.json'), JSON.stringify({ data: [] }));
  writeFile(join(root, 'data', 'events.jsonl'), '');
  writeFile(
    join(root, 'data', 'profiles.jsonl'),
    PROFILES.map((p) =>
      JSON.stringify({
        type: 'profile',
        id: p.id,
        attributes: {
          email: p.email,
          ...(p.firstName ? { first_name: p.firstName } : {}),
          location: { country: p.country },
          properties: { ...(p.tier ? { Tier: p.tier } : {}), ...(p.genre ? { Genre: p.genre } : {}) },
        },
      }),
    ).join('\n') + '\n',
  );
}

/** Runs git in `cwd` with a fixed identity, so commits work on a machine without git configuration. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Segment Lens Tests',
      '-c',
      'user.email=tests@segment-lens.invalid',
      '-c',
      'init.defaultBranch=main',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, encoding: 'utf8' },
  );
}
