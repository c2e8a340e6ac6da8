import type { WorkspaceSummary } from '../engine/catalog';
import { WorkspaceBuilder, type Workspace } from '../engine/workspace';
import { DIALECTS } from '../sql/dialects';
import { PROFILE_KEY } from '../sql/layouts/materialized';
import { WORKSPACE_NAMES } from '../sql/layouts/workspace';
import type { DuckDbSession } from './session';

const d = DIALECTS.duckdb;

/** A JSON column's value as DuckDB returns it (its text), parsed; anything else as it is. */
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** Whether epoch ms `ms` is an instant ISO 8601 writes exactly (whole milliseconds, within Date's range). */
const writable = (ms: number) => Number.isInteger(ms) && Math.abs(ms) <= 8.64e15;

/** An instant in epoch ms as the resources write it. */
const instant = (ms: number) => new Date(ms).toISOString();

/**
 * One profile of a converted workspace's database (duckdb/convert.ts) as an in-memory workspace:
 * the profile's record, its events and list memberships, and every declared metric and list of
 * the workspace's summary (for their names), added through the builder the JSONL loader uses, so each value is read by the
 * same rules. "Why it matched" on the DuckDB engine finds each condition's evidence in it with
 * the memory engine's code (evaluation/replies.ts). Undefined when no profile has that ID.
 */
export async function duckDbProfileWorkspace(
  session: DuckDbSession,
  profileId: string,
  summary: WorkspaceSummary,
  now: number,
): Promise<Workspace | undefined> {
  const t = WORKSPACE_NAMES.tables;
  const c = WORKSPACE_NAMES.columns;
  const q = (identifier: string) => d.quoteIdentifier(identifier);
  const id = d.stringLiteral(profileId);
  const [profile] = await session.rows(`SELECT ${q(c.profiles.attributes)}, ${q(PROFILE_KEY)} FROM ${q(t.profiles)} WHERE ${q(c.profiles.id)} = ${id}`);
  if (!profile) return undefined;
  const builder = new WorkspaceBuilder(summary.name, now);
  // The declared metrics and lists as the workspace's summary (read when the database was opened) has them.
  for (const metric of summary.metrics.filter((m) => m.declared)) {
    const integration =
      metric.integration === undefined && metric.category === undefined ? {} : { integration: { name: metric.integration, category: metric.category } };
    builder.addMetric({ type: 'metric', id: metric.id, attributes: { name: metric.name, ...integration } });
  }
  for (const list of summary.lists.filter((l) => l.declared))
    builder.addList({ type: 'list', id: list.id, attributes: { name: list.name, opt_in_process: list.optInProcess } });
  builder.addProfile({ type: 'profile', id: profileId, attributes: json(profile[0]) });
  const memberships = await session.rows(
    `SELECT ${q(c.listMembers.listId)}, ${q(c.listMembers.joinedAtMs)} FROM ${q(t.listMembers)} WHERE ${q(c.listMembers.profileId)} = ${id} ORDER BY 1`,
  );
  for (const [list, joined] of memberships)
    builder.addListMember(String(list), {
      type: 'profile',
      id: profileId,
      attributes: typeof joined === 'number' && writable(joined) ? { joined_group_at: instant(joined) } : {},
    });
  // The events table is in metric, profile key and time order: its zone maps find one profile's rows.
  const events = await session.rows(
    `SELECT ${q(c.events.metricId)}, ${q(c.events.timeMs)}, ${q(c.events.properties)} FROM ${q(t.events)} WHERE ${q(PROFILE_KEY)} = ${String(profile[1])} ORDER BY ${q(c.events.timeMs)}, ${q(c.events.key)}`,
  );
  events.forEach(([metric, time, properties], line) => {
    const ms = Number(time);
    // The time the loader read (a number of seconds, or a date): whole milliseconds as a date, so that none is lost.
    const when = writable(ms) ? { datetime: instant(ms) } : { timestamp: ms / 1000 };
    builder.addEvent(
      {
        type: 'event',
        attributes: { ...when, event_properties: json(properties) ?? {} },
        relationships: { metric: { data: { type: 'metric', id: metric } }, profile: { data: { type: 'profile', id: profileId } } },
      },
      line + 1,
    );
  });
  return builder.build();
}
