import { Bitset } from './bitset';
import { BoundedMemo } from './boundedMemo';
import { Column, type ColumnTransfer } from './column';
import {
  JSON_ANY,
  JSON_NUMBER,
  JSON_OBJECT,
  JSON_STRING,
  jsonType,
  jsonTypeName,
  LOCATION_FIELDS,
  PREDICTIVE_FIELDS,
  PROFILE_ATTRIBUTES,
  SUBSCRIPTION_FIELDS,
} from './recordShapes';
import { AsciiIndex } from './asciiIndex';
import {
  EventLine,
  VALUE_ASCII,
  VALUE_ESCAPED,
  VALUE_FALSE,
  VALUE_NULL,
  VALUE_NUMBER,
  VALUE_TEXT_LIST,
  VALUE_TRUE,
  VALUE_UTF8,
  type LineText,
  type TextToken,
} from './eventLine';
import { SharedIdIndex, type SharedIdTable } from './sharedIdIndex';
import { parseInstant, referenceTime, type ReferenceTime } from './time';

/** A metric (event type) of the workspace. */
export interface MetricInfo {
  readonly id: string;
  readonly name: string | undefined;
  readonly integration: { name?: string; category?: string } | undefined;
  readonly created: string | undefined;
  /** Where the metric's record is: file and 1-based line (for go to definition). */
  readonly source?: RecordSource;
  /** True when metrics.json lists it (false: only events mention it). */
  readonly declared: boolean;
}

/** A list of the workspace. */
export interface ListInfo {
  readonly id: string;
  readonly name: string | undefined;
  readonly optInProcess: string | undefined;
  readonly created: string | undefined;
  readonly source?: RecordSource;
  readonly declared: boolean;
}

export interface RecordSource {
  readonly file: string;
  /** 1-based line of the record's start. */
  readonly line: number;
}

/** The events of one metric, sorted by profile then time: profile p's events are rows [offsets[p], offsets[p+1]). */
export interface MetricEvents {
  readonly offsets: Int32Array;
  /** Event instants, epoch milliseconds. */
  readonly times: Float64Array;
  /** `event_properties` by top-level key (`$event_id` and `$extra` are not kept: not segmentable). */
  readonly properties: ReadonlyMap<string, Column>;
  readonly count: number;
  readonly firstTime: number | undefined;
  readonly lastTime: number | undefined;
}

export interface ListMembership {
  readonly members: Bitset;
  /** `joined_group_at` per profile, epoch ms; NaN when not a member or unknown. */
  readonly joinedAt: Float64Array;
}

/** What loading found wrong with the data, for diagnostics and the CLI. */
export interface WorkspaceIssues {
  /** Events whose profile is not in the workspace (dropped). */
  eventsOfUnknownProfiles: number;
  /** Events without a metric or profile relationship, or without a usable time (dropped). */
  eventsIncomplete: number;
  /** Events of metrics that metrics.json does not list (kept, under the metric ID). */
  eventsOfUndeclaredMetrics: number;
  /** List member lines whose profile is not in profiles.jsonl (kept as profiles). */
  membersNotInProfiles: number;
  /** Member files of lists that lists.json does not list. */
  undeclaredLists: number;
  /** Records that appeared twice (the later one wins for profiles). */
  duplicateProfiles: number;
}

/**
 * A problem with one record, found while building: the record (or a value in it) is not kept.
 * The builder does no I/O; the loader collects these per file (with the record's line) and turns
 * them into warnings.
 */
export interface RecordProblem {
  /**
   * not-a-resource: the record is skipped (not an object with an "id", or another "type");
   * wrong-type: a documented attribute holds another JSON type and is not stored;
   * dropped-event: an event without a profile, a metric or a time, or of an unknown profile.
   */
  code: 'not-a-resource' | 'wrong-type' | 'dropped-event';
  /** 1-based line of the record in its file (0 when the caller gave none). */
  line: number;
  message: string;
}

export interface RecordProblemSink {
  add(problem: RecordProblem): void;
}

const IGNORED_PROBLEMS: RecordProblemSink = { add: () => undefined };

/**
 * A loaded workspace: profiles as columns, events grouped by metric and profile, list membership
 * as bitsets. Immutable once built; evaluation results are cached against it.
 */
export class Workspace {
  readonly ref: ReferenceTime;
  /**
   * Per-profile measures of conditions as of `now`, by what they depend on: a metric condition's
   * count or rounded sum (conditions/metric.ts), a postal code's distances (postalCodeDistance.ts).
   * An edit of only the threshold compares them instead of measuring again. Bounded by bytes
   * (8 bytes a profile each).
   */
  readonly measures = new BoundedMemo<Float64Array>({ maxBytes: 64 * 1024 * 1024, maxKeyLength: 64 * 1024, sizeOf: (m) => m.byteLength });
  private readonly metricIndex: Map<string, number>;
  private readonly listIndex: Map<string, number>;

  constructor(
    readonly name: string,
    readonly now: number,
    /** Profile IDs in order (`at`), and each one's index (`get`). */
    readonly profileIds: SharedIdIndex,
    /** Profile values by flattened key, see `profileValueKey`. */
    readonly profileColumns: ReadonlyMap<string, Column>,
    readonly metrics: readonly MetricInfo[],
    readonly events: readonly MetricEvents[],
    readonly lists: readonly ListInfo[],
    readonly memberships: readonly ListMembership[],
    readonly issues: Readonly<WorkspaceIssues>,
  ) {
    this.ref = referenceTime(now);
    this.metricIndex = new Map(metrics.map((m, i) => [m.id, i]));
    this.listIndex = new Map(lists.map((l, i) => [l.id, i]));
  }

  get profileCount(): number {
    return this.profileIds.length;
  }

  /** The index of the profile with this ID, undefined when there is none. */
  profileIndexOf(id: string): number | undefined {
    return this.profileIds.get(id);
  }

  get eventCount(): number {
    return this.events.reduce((n, e) => n + e.count, 0);
  }

  metric(id: string): { info: MetricInfo; events: MetricEvents } | undefined {
    const index = this.metricIndex.get(id);
    return index === undefined ? undefined : { info: this.metrics[index], events: this.events[index] };
  }

  list(id: string): { info: ListInfo; membership: ListMembership } | undefined {
    const index = this.listIndex.get(id);
    return index === undefined ? undefined : { info: this.lists[index], membership: this.memberships[index] };
  }

  column(key: string): Column | undefined {
    return this.profileColumns.get(key);
  }

  /** A profile's value by flattened key. */
  profileValue(profile: number, key: string): unknown {
    return this.profileColumns.get(key)?.get(profile);
  }
}

/**
 * Flattened keys of profile values: `attributes.email`, `location.city`, `properties.<name>`,
 * `subscriptions.email.marketing.<field>`, `predictive_analytics.<field>`.
 */
export const profileValueKey = {
  attribute: (name: string) => `attributes.${name}`,
  location: (field: string) => `location.${field}`,
  custom: (name: string) => `properties.${name}`,
  subscription: (channel: 'email' | 'sms' | 'mobile_push' | 'whatsapp', field: string, kind = 'marketing') => `subscriptions.${channel}.${kind}.${field}`,
  predictive: (field: string) => `predictive_analytics.${field}`,
};

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Event properties that are not kept: unique IDs and nested detail cannot be segmented on. */
const SKIPPED_EVENT_PROPERTIES = new Set(['$event_id', '$extra']);

/** What a built builder's events would find their profile in: nothing (events come before `build`). */
const NO_PROFILES: { get(id: string): number | undefined } = { get: () => undefined };

/** Past this many numbers a `NumberChunks` adds chunks instead of doubling. */
const NUMBER_CHUNK = 1 << 16;

/**
 * Numbers pushed one by one while loading (an event's profile, time, line): a small array that
 * doubles up to 65,536 numbers, then chunks of that size, so that ten million events are never
 * copied to grow, nor held twice. `adopt` takes another thread's array as it is.
 */
class NumberChunks<T extends Int32Array | Float64Array> {
  private parts: T[] = [];
  private current: T;
  private used = 0;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.current = make(1024);
  }

  push(value: number): void {
    if (this.used === this.current.length) {
      if (this.current.length < NUMBER_CHUNK) {
        const next = this.make(this.current.length * 2);
        next.set(this.current);
        this.current = next;
      } else {
        this.parts.push(this.current);
        this.current = this.make(NUMBER_CHUNK);
        this.used = 0;
      }
    }
    this.current[this.used++] = value;
    this.length++;
  }

  /** Appends `values` (not copied: the caller must not change them). */
  adopt(values: T): void {
    if (values.length === 0) return;
    this.seal();
    this.parts.push(values);
    this.length += values.length;
  }

  /** The numbers in order, as arrays that share nothing but their own buffers (for posting). */
  chunks(): T[] {
    this.seal();
    return this.parts;
  }

  /** The numbers in order, as one array; the chunks are let go (the instance is empty after). */
  take(): T {
    const parts = this.chunks();
    let out = parts[0] ?? this.make(0);
    if (parts.length > 1) {
      out = this.make(this.length);
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
    }
    this.parts = [];
    this.length = 0;
    return out;
  }

  /** Lets every number go (the instance is empty after). */
  clear(): void {
    this.parts = [];
    this.current = this.make(1024);
    this.used = 0;
    this.length = 0;
  }

  /** Ends the current chunk (an exact view of it), so that what follows goes after it. */
  private seal(): void {
    if (this.used === 0) return;
    this.parts.push(this.current.subarray(0, this.used) as T);
    this.current = this.make(1024);
    this.used = 0;
  }
}

const int32Chunks = () => new NumberChunks((size) => new Int32Array(size));
const float64Chunks = () => new NumberChunks((size) => new Float64Array(size));
const newPendingEvents = (): PendingEvents => ({ profiles: int32Chunks(), times: float64Chunks(), lines: int32Chunks(), properties: new Map() });

interface PendingEvents {
  profiles: NumberChunks<Int32Array>;
  times: NumberChunks<Float64Array>;
  /** Line of each event in the events file: ties in time keep the file's order. */
  lines: NumberChunks<Int32Array>;
  properties: Map<string, Column>;
}

/**
 * The events one thread read from part of the events file (`WorkspaceBuilder.takeEvents`), as
 * plain data with typed arrays, merged into the main builder by `importEvents`.
 */
export interface EventsTransfer {
  /** Each metric's events as chunks of profile indexes, times and lines (the same lengths in each). */
  metrics: { id: string; profiles: Int32Array[]; times: Float64Array[]; lines: Int32Array[]; properties: [string, ColumnTransfer][] }[];
  eventsOfUnknownProfiles: number;
  eventsIncomplete: number;
  eventsOfUndeclaredMetrics: number;
}

/**
 * The profiles one thread read from a block of profiles.jsonl (`WorkspaceBuilder.exportProfiles`),
 * merged into the main builder in the file's order by `importProfiles`.
 */
export interface ProfilesTransfer {
  ids: string[];
  columns: [string, ColumnTransfer][];
  duplicateProfiles: number;
}

/** What a thread that reads events needs to know of the builder: profile IDs in order (shared memory), metrics. */
export interface EventsContext {
  profiles: SharedIdTable;
  metrics: { id: string; declared: boolean }[];
}

/**
 * Builds a `Workspace` from records in Klaviyo's API shapes. Pure: the loader in
 * `server/src/workspace/` reads files and feeds it; tests feed it objects. Add metrics, lists and
 * profiles first, then list members, then events (events of profiles not seen yet are dropped).
 */
export class WorkspaceBuilder {
  /** Profile IDs in order, until `eventsContext` keeps them in its shared table instead (`sharedIds`). */
  private profileIds: string[] = [];
  private sharedIds: SharedIdIndex | undefined;
  /**
   * Profile index by ID; let go once events find their profile in the shared table of
   * `eventsContext` (a Map of a million IDs is ~40 MB at the peak of a load), and built again
   * from `profileIds` if anything needs it after (see `profilesById`).
   */
  private profileIndex: Map<string, number> | undefined = new Map<string, number>();
  /** Where events find their profile: `profileIndex`, or the shared table once there is one (on a load thread, the loader's). */
  private eventProfiles: { get(id: string): number | undefined } = this.profileIndex!;
  private readonly columns = new Map<string, Column>();
  private readonly metrics: MetricInfo[] = [];
  private readonly metricIndex = new Map<string, number>();
  private readonly pending: PendingEvents[] = [];
  /** `addEventLine`'s reader, and the texts of property keys and metric IDs it has met. */
  private eventLine: EventLine | undefined;
  private readonly eventTexts = new LineTexts();
  private built = false;
  private readonly lists: ListInfo[] = [];
  private readonly listIndex = new Map<string, number>();
  private readonly members: { profiles: number[]; joinedAt: number[] }[] = [];
  readonly issues: WorkspaceIssues = {
    eventsOfUnknownProfiles: 0,
    eventsIncomplete: 0,
    eventsOfUndeclaredMetrics: 0,
    membersNotInProfiles: 0,
    undeclaredLists: 0,
    duplicateProfiles: 0,
  };

  constructor(
    private readonly name: string,
    private readonly now: number,
    private problems: RecordProblemSink = IGNORED_PROBLEMS,
  ) {}

  /** Where problems with the records added from now on go (the loader gives one per file). */
  reportProblemsTo(problems: RecordProblemSink): void {
    this.problems = problems;
  }

  addMetric(resource: unknown, source?: RecordSource): boolean {
    const line = source?.line ?? 0;
    const record = this.resource(resource, 'metric', line);
    if (!record) return false;
    const attributes = this.objectAt(record.attributes, 'attributes', line);
    const integration = this.objectAt(attributes.integration, 'attributes.integration', line);
    const info: MetricInfo = {
      id: record.id,
      name: this.textAt(attributes, 'name', line),
      integration: isRecord(attributes.integration)
        ? { name: stringOrUndefined(integration.name), category: stringOrUndefined(integration.category) }
        : undefined,
      created: this.textAt(attributes, 'created', line),
      source,
      declared: true,
    };
    const existing = this.metricIndex.get(record.id);
    if (existing !== undefined) this.metrics[existing] = info;
    else this.newMetric(info);
    return true;
  }

  addList(resource: unknown, source?: RecordSource): boolean {
    const line = source?.line ?? 0;
    const record = this.resource(resource, 'list', line);
    if (!record) return false;
    const attributes = this.objectAt(record.attributes, 'attributes', line);
    const info: ListInfo = {
      id: record.id,
      name: this.textAt(attributes, 'name', line),
      optInProcess: this.textAt(attributes, 'opt_in_process', line),
      created: this.textAt(attributes, 'created', line),
      source,
      declared: true,
    };
    const existing = this.listIndex.get(record.id);
    if (existing !== undefined) this.lists[existing] = info;
    else this.newList(info);
    return true;
  }

  /**
   * Adds (or replaces) a profile resource; `line` locates its problems. Returns false when it is
   * not a profile.
   */
  addProfile(resource: unknown, line = 0): boolean {
    const record = this.resource(resource, 'profile', line);
    if (!record || record.id === '') return record ? this.notAResource('profile', line) : false;
    let index = this.profilesById().get(record.id);
    if (index !== undefined) {
      // The later record wins whole: forget everything the earlier one said.
      this.issues.duplicateProfiles++;
      for (const column of this.columns.values()) column.clear(index);
    } else {
      index = this.newProfile(record.id);
    }
    this.storeProfileAttributes(index, this.objectAt(record.attributes, 'attributes', line), line);
    return true;
  }

  /** Adds a line of `list-members/<listId>.jsonl`. */
  addListMember(listId: string, resource: unknown, line = 0): boolean {
    const record = this.resource(resource, 'profile', line);
    if (!record || record.id === '') return record ? this.notAResource('profile', line) : false;
    let list = this.listIndex.get(listId);
    if (list === undefined) {
      this.issues.undeclaredLists++;
      list = this.newList({ id: listId, name: undefined, optInProcess: undefined, created: undefined, declared: false });
    }
    const attributes = this.objectAt(record.attributes, 'attributes', line);
    let profile = this.profilesById().get(record.id);
    if (profile === undefined) {
      this.issues.membersNotInProfiles++;
      profile = this.newProfile(record.id);
      const { joined_group_at: _joined, ...rest } = attributes;
      this.storeProfileAttributes(profile, rest, line);
    }
    const joined = parseInstant(
      this.checked(attributes.joined_group_at, PROFILE_ATTRIBUTES.get('joined_group_at') ?? JSON_ANY, 'attributes.joined_group_at', line),
    );
    this.members[list].profiles.push(profile);
    this.members[list].joinedAt.push(joined ?? NaN);
    return true;
  }

  /**
   * Adds an event resource; `line` (its line in the events file) orders events of one profile
   * with the same time, and locates its problems. An event without a profile, a metric or a time,
   * or of a profile not in the workspace, is dropped (reported, and counted in `issues`).
   */
  addEvent(resource: unknown, line = 0): boolean {
    if (!isRecord(resource)) return this.notAResource('event', line);
    if (resource.type !== undefined && resource.type !== 'event') return this.foreignResource('event', resource.type, line);
    const attributes = this.objectAt(resource.attributes, 'attributes', line);
    const relationships = this.objectAt(resource.relationships, 'relationships', line);
    const metricId = relationshipId(relationships.metric);
    const profileId = relationshipId(relationships.profile);
    const timestamp = this.checked(attributes.timestamp, JSON_NUMBER, 'attributes.timestamp', line) as number | null | undefined;
    const datetime = this.checked(attributes.datetime, JSON_STRING, 'attributes.datetime', line);
    const time = typeof timestamp === 'number' ? timestamp * 1000 : parseInstant(datetime);
    if (profileId === undefined || metricId === undefined || time === undefined || !Number.isFinite(time)) {
      this.issues.eventsIncomplete++;
      const missing =
        profileId === undefined
          ? 'profile (relationships.profile.data.id)'
          : metricId === undefined
            ? 'metric (relationships.metric.data.id)'
            : 'usable time (a number attributes.timestamp, or an ISO 8601 attributes.datetime)';
      return this.droppedEvent(line, `it has no ${missing}`);
    }
    const profile = this.eventProfiles.get(profileId);
    if (profile === undefined) {
      this.issues.eventsOfUnknownProfiles++;
      return this.droppedEvent(line, `its profile ${preview(profileId)} is not in the workspace`);
    }
    const pending = this.pendingEvent(metricId, profile, time, line);
    const row = pending.profiles.length - 1;
    const properties = this.objectAt(attributes.event_properties, 'attributes.event_properties', line);
    for (const key in properties) {
      const value = properties[key];
      if (value === null || value === undefined || SKIPPED_EVENT_PROPERTIES.has(key)) continue;
      let column = pending.properties.get(key);
      if (!column) pending.properties.set(key, (column = new Column()));
      column.set(row, value);
    }
    return true;
  }

  /**
   * `addEvent` of one line of events.jsonl given as its UTF-8 bytes [start, end), read by
   * `EventLine` without building its objects; `text` decodes bytes of the line (ASCII or UTF-8).
   * Returns false, having changed nothing, for a line it does not take (see `EventLine.read`) and
   * for an event the usual path drops or reports: the caller then parses the line and calls
   * `addEvent`, which reports it as always.
   */
  addEventLine(bytes: Uint8Array, start: number, end: number, line: number, text: LineText): boolean {
    const read = (this.eventLine ??= new EventLine());
    if (!read.read(bytes, start, end) || !read.hasProfile || !read.hasMetric) return false;
    let time = read.timestamp * 1000;
    if (time !== time) {
      if (!read.hasDatetime) return false;
      time = parseInstant(tokenText(read.datetime, text)) ?? NaN;
    }
    if (!Number.isFinite(time)) return false;
    const profileToken = read.profile;
    const profile =
      profileToken.kind === VALUE_ASCII && this.eventProfiles instanceof SharedIdIndex
        ? this.eventProfiles.getAscii(bytes, profileToken.start, profileToken.end, profileToken.hash)
        : this.eventProfiles.get(tokenText(profileToken, text));
    if (profile === undefined) return false;
    const metricId = this.eventTexts.text(read.metric, bytes, text);
    const pending = this.pendingEvent(metricId, profile, time, line);
    const row = pending.profiles.length - 1;
    const key = read.keyToken;
    for (let i = 0; i < read.count; i++) {
      const kind = read.kind[i];
      if (kind === VALUE_NULL) continue;
      key.start = read.keyStart[i];
      key.end = read.keyEnd[i];
      key.hash = read.keyHash[i];
      const name = this.eventTexts.text(key, bytes, text);
      if (SKIPPED_EVENT_PROPERTIES.has(name)) continue;
      let column = pending.properties.get(name);
      if (!column) pending.properties.set(name, (column = new Column()));
      const valueStart = read.valueStart[i];
      const valueEnd = read.valueEnd[i];
      switch (kind) {
        case VALUE_ASCII:
          column.setAscii(row, bytes, valueStart, valueEnd, read.valueHash[i], text);
          break;
        case VALUE_UTF8:
          column.set(row, text(valueStart, valueEnd, false));
          break;
        case VALUE_ESCAPED:
          column.set(row, JSON.parse(text(valueStart - 1, valueEnd + 1, false)));
          break;
        case VALUE_NUMBER:
          column.set(row, read.number[i]);
          break;
        case VALUE_TEXT_LIST:
          column.setAsciiList(row, bytes, read.listTokens, valueStart, valueEnd - valueStart, text);
          break;
        case VALUE_TRUE:
        case VALUE_FALSE:
          column.set(row, kind === VALUE_TRUE);
          break;
        default:
          column.set(row, JSON.parse(text(valueStart, valueEnd, false)));
      }
    }
    return true;
  }

  /** Adds an event's profile, time and line to its metric's pending events (the metric made when new); returns them. */
  private pendingEvent(metricId: string, profile: number, time: number, line: number): PendingEvents {
    let metric = this.metricIndex.get(metricId);
    if (metric === undefined) {
      metric = this.newMetric({ id: metricId, name: undefined, integration: undefined, created: undefined, declared: false });
    }
    if (!this.metrics[metric].declared) this.issues.eventsOfUndeclaredMetrics++;
    const pending = this.pending[metric];
    pending.profiles.push(profile);
    pending.times.push(time);
    pending.lines.push(line);
    return pending;
  }

  /** Packs the profile columns' plain values now that the profiles are read (see `Column.compact`). */
  compactProfiles(): void {
    for (const column of this.columns.values()) column.compact();
  }

  /** The profiles and metrics another builder needs to read events for this one (add no profile after). */
  eventsContext(): EventsContext {
    const profiles = SharedIdIndex.build(this.profileIds);
    // This builder's own events look their profile up in the shared table too, and the workspace
    // will keep its IDs: the Map and the million strings can go.
    this.eventProfiles = this.sharedIds = new SharedIdIndex(profiles);
    this.profileIndex = undefined;
    this.profileIds = [];
    return { profiles, metrics: this.metrics.map(({ id, declared }) => ({ id, declared })) };
  }

  /** A builder that only reads events, for another thread (see `takeEvents`). */
  static forEvents(context: EventsContext, problems?: RecordProblemSink): WorkspaceBuilder {
    const builder = new WorkspaceBuilder('', 0, problems);
    builder.eventProfiles = new SharedIdIndex(context.profiles);
    for (const { id, declared } of context.metrics) builder.newMetric({ id, name: undefined, integration: undefined, created: undefined, declared });
    return builder;
  }

  /** Events added since the last `takeEvents` (see `eventCount` of a workspace for all of them). */
  get eventCount(): number {
    return this.pending.reduce((sum, pending) => sum + pending.profiles.length, 0);
  }

  /**
   * The events added since the last call, as plain data for `importEvents` (a builder made by
   * `forEvents`), and the builder lets them go: what it reads next is in the next call's part.
   */
  takeEvents(): { transfer: EventsTransfer; buffers: ArrayBuffer[] } {
    const buffers = new Set<ArrayBuffer>();
    const metrics = this.pending.flatMap((pending, metric) => {
      if (pending.profiles.length === 0) return [];
      // Posted as they are: copying them into one array each would hold them twice for a moment.
      const profiles = pending.profiles.chunks();
      const times = pending.times.chunks();
      const lines = pending.lines.chunks();
      for (const chunk of [...profiles, ...times, ...lines]) buffers.add(chunk.buffer as ArrayBuffer);
      const properties = [...pending.properties].map(([key, column]): [string, ColumnTransfer] => {
        const { transfer, buffers: own } = column.toTransfer();
        for (const buffer of own) buffers.add(buffer);
        return [key, transfer];
      });
      return [{ id: this.metrics[metric].id, profiles, times, lines, properties }];
    });
    const { eventsOfUnknownProfiles, eventsIncomplete, eventsOfUndeclaredMetrics } = this.issues;
    this.issues.eventsOfUnknownProfiles = this.issues.eventsIncomplete = this.issues.eventsOfUndeclaredMetrics = 0;
    this.pending.forEach((_, metric) => (this.pending[metric] = newPendingEvents()));
    return { transfer: { metrics, eventsOfUnknownProfiles, eventsIncomplete, eventsOfUndeclaredMetrics }, buffers: [...buffers] };
  }

  /** The profiles added so far, for another builder's `importProfiles` (a builder of profiles only). */
  profilesPart(): { ids: readonly string[]; columns: Iterable<[string, Column]>; duplicateProfiles: number } {
    return { ids: this.profileIds, columns: this.columns, duplicateProfiles: this.issues.duplicateProfiles };
  }

  /** `profilesPart` as plain data another thread can post. */
  exportProfiles(): { transfer: ProfilesTransfer; buffers: ArrayBuffer[] } {
    const buffers: ArrayBuffer[] = [];
    const columns = [...this.columns].map(([key, column]): [string, ColumnTransfer] => {
      const { transfer, buffers: own } = column.toTransfer();
      buffers.push(...own);
      return [key, transfer];
    });
    return { transfer: { ids: this.profileIds, columns, duplicateProfiles: this.issues.duplicateProfiles }, buffers };
  }

  /**
   * Adds the profiles another builder read from the next part of the file: as if its records had
   * been added here one by one (a profile seen before is replaced whole, keeping its place).
   */
  importProfiles(ids: readonly string[], columns: Iterable<[string, Column]>, duplicateProfiles: number): void {
    this.issues.duplicateProfiles += duplicateProfiles;
    const first = this.profileIds.length;
    const rows = new Int32Array(ids.length);
    let appended = true;
    const byId = this.profilesById();
    for (let i = 0; i < ids.length; i++) {
      const existing = byId.get(ids[i]);
      if (existing === undefined) {
        rows[i] = this.newProfile(ids[i]);
        continue;
      }
      this.issues.duplicateProfiles++;
      for (const column of this.columns.values()) column.clear(existing);
      rows[i] = existing;
      appended = false;
    }
    for (const [key, column] of columns) {
      if (appended) this.columnFor(key).append(column, first);
      else this.columnFor(key).appendRows(column, rows);
    }
  }

  /** Adds the events another builder read (`exportEvents`); profile indexes must be the same. */
  importEvents(transfer: EventsTransfer): void {
    this.issues.eventsOfUnknownProfiles += transfer.eventsOfUnknownProfiles;
    this.issues.eventsIncomplete += transfer.eventsIncomplete;
    this.issues.eventsOfUndeclaredMetrics += transfer.eventsOfUndeclaredMetrics;
    for (const part of transfer.metrics) {
      const metric =
        this.metricIndex.get(part.id) ?? this.newMetric({ id: part.id, name: undefined, integration: undefined, created: undefined, declared: false });
      const pending = this.pending[metric];
      const offset = pending.profiles.length;
      const rows = part.profiles.reduce((sum, chunk) => sum + chunk.length, 0);
      for (const chunk of part.times) pending.times.adopt(chunk);
      for (const chunk of part.lines) pending.lines.adopt(chunk);
      for (const chunk of part.profiles) pending.profiles.adopt(chunk);
      for (const [key, columnTransfer] of part.properties) {
        let column = pending.properties.get(key);
        if (!column) pending.properties.set(key, (column = new Column()));
        column.reserve(offset + rows);
        column.append(Column.fromTransfer(columnTransfer), offset);
      }
    }
  }

  get profileCount(): number {
    return this.sharedIds?.length ?? this.profileIds.length;
  }

  /** The workspace; once only: its events move out of the builder (held twice, they would double the peak of a load). */
  build(): Workspace {
    if (this.built) throw new Error('a WorkspaceBuilder builds one workspace');
    this.built = true;
    const ids = this.sharedIds ?? SharedIdIndex.of(this.profileIds);
    this.profileIds = [];
    const n = ids.length;
    const events = this.pending.map((pending) => finishEvents(pending, n));
    const memberships = this.members.map(({ profiles, joinedAt }) => {
      const members = new Bitset(n);
      const joined = new Float64Array(n).fill(NaN);
      profiles.forEach((p, i) => {
        members.add(p);
        joined[p] = joinedAt[i];
      });
      return { members, joinedAt: joined };
    });
    for (const column of this.columns.values()) column.finish();
    this.eventProfiles = NO_PROFILES;
    this.profileIndex = undefined;
    return new Workspace(this.name, this.now, ids, this.columns, this.metrics, events, this.lists, memberships, { ...this.issues });
  }

  private newProfile(id: string): number {
    const index = this.profileIds.length;
    this.profilesById().set(id, index);
    this.profileIds.push(id);
    return index;
  }

  /**
   * `profileIndex`, built again when `eventsContext` let it go (and then the one events use: a
   * profile added now is not in the shared table, whose IDs become strings again).
   */
  private profilesById(): Map<string, number> {
    if (this.profileIndex) return this.profileIndex;
    const shared = this.sharedIds;
    if (shared) {
      this.profileIds = Array.from({ length: shared.length }, (_, i) => shared.at(i));
      this.sharedIds = undefined;
    }
    const index = new Map<string, number>();
    for (let i = 0; i < this.profileIds.length; i++) index.set(this.profileIds[i], i);
    this.eventProfiles = this.profileIndex = index;
    return index;
  }

  private newMetric(info: MetricInfo): number {
    const index = this.metrics.length;
    this.metrics.push(info);
    this.metricIndex.set(info.id, index);
    this.pending.push(newPendingEvents());
    return index;
  }

  private newList(info: ListInfo): number {
    const index = this.lists.length;
    this.lists.push(info);
    this.listIndex.set(info.id, index);
    this.members.push({ profiles: [], joinedAt: [] });
    return index;
  }

  /** The column of a flattened key, created on first use. */
  private columnFor(key: string): Column {
    let column = this.columns.get(key);
    if (!column) this.columns.set(key, (column = new Column()));
    return column;
  }

  // Loading calls this for every attribute of every profile: the columns of each group of keys
  // are looked up by the attribute's own name, without building the flattened key (or anything
  // else) each time, and with the JSON types the name may hold (recordShapes.ts).
  private readonly attributeGroup = slotGroup(PROFILE_ATTRIBUTES, 'attributes.', profileValueKey.attribute(''));
  private readonly locationGroup = slotGroup(LOCATION_FIELDS, 'attributes.location.', profileValueKey.location(''));
  private readonly customGroup = slotGroup(undefined, 'attributes.properties.', profileValueKey.custom(''));
  private readonly predictiveGroup = slotGroup(PREDICTIVE_FIELDS, 'attributes.predictive_analytics.', profileValueKey.predictive(''));
  /** The groups of `attributes.subscriptions`, by channel, then kind. */
  private readonly subscriptionGroups = new Map<string, Map<string, SlotGroup>>();

  /**
   * Stores `value` in the column of `name` in a group of keys, unless it is null or of a JSON
   * type the group does not allow for the name (then it is reported, at the group's path + name).
   */
  private store(group: SlotGroup, name: string, row: number, value: unknown, line: number): void {
    if (value === undefined || value === null) return;
    let slot = group.slots.get(name);
    if (!slot) group.slots.set(name, (slot = { column: undefined, types: group.shapes?.get(name) ?? JSON_ANY }));
    if (slot.types !== JSON_ANY && (jsonType(value) & slot.types) === 0) {
      this.wrongType(`${group.path}${name}`, value, slot.types, line);
      return;
    }
    (slot.column ??= this.columnFor(group.keyPrefix + name)).set(row, value);
  }

  private storeProfileAttributes(row: number, attributes: Json, line: number): void {
    for (const key in attributes) {
      const value = attributes[key];
      switch (key) {
        case 'location':
          this.storeGroup(this.locationGroup, value, 'attributes.location', row, line);
          break;
        case 'properties':
          this.storeGroup(this.customGroup, value, 'attributes.properties', row, line);
          break;
        case 'subscriptions':
          this.storeSubscriptions(row, this.objectAt(value, 'attributes.subscriptions', line), line);
          break;
        case 'predictive_analytics':
          this.storeGroup(this.predictiveGroup, value, 'attributes.predictive_analytics', row, line);
          break;
        default:
          this.store(this.attributeGroup, key, row, value, line);
      }
    }
  }

  /** Each member of `value` (an object, else reported at `path` unless null) into `group`. */
  private storeGroup(group: SlotGroup, value: unknown, path: string, row: number, line: number): void {
    const members = this.objectAt(value, path, line);
    for (const name in members) this.store(group, name, row, members[name], line);
  }

  /** `attributes.subscriptions`: channel → kind → record of fields. */
  private storeSubscriptions(row: number, subscriptions: Json, line: number): void {
    for (const channel in subscriptions) {
      const value = subscriptions[channel];
      // The paths of problems are written only when there is one.
      const kinds = isRecord(value) ? value : this.objectAt(value, `attributes.subscriptions.${channel}`, line);
      let groups = this.subscriptionGroups.get(channel);
      if (!groups) this.subscriptionGroups.set(channel, (groups = new Map()));
      for (const kind in kinds) {
        let group = groups.get(kind);
        if (!group)
          groups.set(kind, (group = slotGroup(SUBSCRIPTION_FIELDS, `attributes.subscriptions.${channel}.${kind}.`, `subscriptions.${channel}.${kind}.`)));
        const record = kinds[kind];
        if (isRecord(record)) for (const field in record) this.store(group, field, row, record[field], line);
        else this.storeGroup(group, record, group.path.slice(0, -1), row, line);
      }
    }
  }

  /**
   * A record of `kind` (an object with a text "id"; events need none), or undefined after
   * reporting why it is not one. A record without "type" is taken for the kind its file holds.
   */
  private resource(resource: unknown, kind: 'metric' | 'list' | 'profile', line: number): (Json & { id: string }) | undefined {
    if (!isRecord(resource) || typeof resource.id !== 'string') {
      this.notAResource(kind, line);
      return undefined;
    }
    if (resource.type !== undefined && resource.type !== kind) {
      this.foreignResource(kind, resource.type, line);
      return undefined;
    }
    return resource as Json & { id: string };
  }

  private notAResource(kind: string, line: number): false {
    this.problems.add({
      code: 'not-a-resource',
      line,
      message: `Line ${line} is not ${article(kind)} resource (${kind === 'event' ? 'an object' : 'an object with a text "id"'}); skipped.`,
    });
    return false;
  }

  private foreignResource(kind: string, type: unknown, line: number): false {
    this.problems.add({ code: 'not-a-resource', line, message: `Line ${line} is not ${article(kind)}: its "type" is ${preview(type)}; skipped.` });
    return false;
  }

  /** Reports an event that is not kept; returns true (the line was an event). */
  private droppedEvent(line: number, reason: string): true {
    this.problems.add({ code: 'dropped-event', line, message: `Line ${line}: event dropped: ${reason}.` });
    return true;
  }

  private wrongType(path: string, value: unknown, types: number, line: number): void {
    // Quoted as JSON: the path holds the data's own keys (subscription channels), which may hold anything.
    this.problems.add({
      code: 'wrong-type',
      line,
      message: `Line ${line}: ${JSON.stringify(path)} is ${jsonTypeName(jsonType(value))}, not ${jsonTypeName(types)}; not stored.`,
    });
  }

  /** `value` when null, undefined or of one of `types`; otherwise reported (at `path`) and undefined. */
  private checked(value: unknown, types: number, path: string, line: number): unknown {
    if (value === undefined || value === null || (jsonType(value) & types) !== 0) return value;
    this.wrongType(path, value, types, line);
    return undefined;
  }

  /** The object at `path`; an empty one when it is absent, null, or (reported) not an object. */
  private objectAt(value: unknown, path: string, line: number): Json {
    if (isRecord(value)) return value;
    this.checked(value, JSON_OBJECT, path, line);
    return EMPTY;
  }

  /** A text attribute, or undefined when it is absent or (reported) not text. */
  private textAt(attributes: Json, name: string, line: number): string | undefined {
    return stringOrUndefined(this.checked(attributes[name], JSON_STRING, `attributes.${name}`, line));
  }
}

/** The text of a token of an event line: its bytes decoded, or `JSON.parse` of it when it has escapes. */
function tokenText(token: TextToken, text: LineText): string {
  if (token.kind === VALUE_ESCAPED) return JSON.parse(text(token.start - 1, token.end + 1, false)) as string;
  return text(token.start, token.end, token.kind === VALUE_ASCII);
}

/**
 * Texts that recur on every event line (property keys, metric IDs), made into strings once: found
 * again by their bytes (`AsciiIndex`) when they are ASCII.
 */
class LineTexts {
  private readonly texts: string[] = [];
  private readonly index = new AsciiIndex(this.texts);

  text(token: TextToken, bytes: Uint8Array, text: LineText): string {
    if (token.kind !== VALUE_ASCII) return tokenText(token, text);
    const found = this.index.find(bytes, token.start, token.end, token.hash);
    if (found >= 0) return this.texts[found];
    const made = text(token.start, token.end, true);
    // A bounded set: past it (keys that never repeat), texts are made each time.
    if (this.texts.length < 4096) {
      this.index.add(token.hash, this.texts.length);
      this.texts.push(made);
    }
    return made;
  }
}

/** A group of profile keys: its slots by name, the JSON types of its names, and the prefixes of their problems' paths and of their flattened keys. */
interface SlotGroup {
  slots: Map<string, AttributeSlot>;
  shapes: ReadonlyMap<string, number> | undefined;
  path: string;
  keyPrefix: string;
}

function slotGroup(shapes: ReadonlyMap<string, number> | undefined, path: string, keyPrefix: string): SlotGroup {
  return { slots: new Map(), shapes, path, keyPrefix };
}

/** A column of a group of profile keys, created when the first value is stored, and the JSON types its values may have. */
interface AttributeSlot {
  column: Column | undefined;
  types: number;
}

const EMPTY: Json = Object.freeze({});

/** A value quoted as JSON for a message, at most about 40 characters. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function relationshipId(relationship: unknown): string | undefined {
  if (!isRecord(relationship) || !isRecord(relationship.data)) return undefined;
  const id = relationship.data.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Sorts a metric's events by profile (counting sort) then by time (insertion sort within a
 * profile's few events) and builds the per-profile offsets. The pending numbers are read in their
 * chunks, each event's time and line written straight to its place, instead of copied into one
 * array each first: 12 bytes an event less to allocate (120 MB at 10M events), and the sort moves
 * times and lines it holds side by side rather than looking them up through the order.
 */
function finishEvents(pending: PendingEvents, profileCount: number): MetricEvents {
  const count = pending.profiles.length;
  const [profileChunks, timeChunks, lineChunks] = alignedChunks(pending);
  const offsets = new Int32Array(profileCount + 1);
  for (const chunk of profileChunks) for (let i = 0; i < chunk.length; i++) offsets[chunk[i] + 1]++;
  for (let p = 0; p < profileCount; p++) offsets[p + 1] += offsets[p];
  const cursor = offsets.slice(0, profileCount);
  const order = new Int32Array(count);
  const times = new Float64Array(count);
  const lines = new Int32Array(count);
  let event = 0;
  for (let k = 0; k < profileChunks.length; k++) {
    const profiles = profileChunks[k];
    const chunkTimes = timeChunks[k];
    const chunkLines = lineChunks[k];
    for (let i = 0; i < profiles.length; i++) {
      const at = cursor[profiles[i]]++;
      order[at] = event++;
      times[at] = chunkTimes[i];
      lines[at] = chunkLines[i];
    }
  }
  // The builder is spent: its chunks can go.
  pending.profiles.clear();
  pending.times.clear();
  pending.lines.clear();
  for (let p = 0; p < profileCount; p++) {
    const first = offsets[p];
    for (let i = first + 1; i < offsets[p + 1]; i++) {
      const time = times[i];
      const line = lines[i];
      const moving = order[i];
      let j = i - 1;
      while (j >= first && (times[j] > time || (times[j] === time && lines[j] > line))) {
        times[j + 1] = times[j];
        lines[j + 1] = lines[j];
        order[j + 1] = order[j];
        j--;
      }
      times[j + 1] = time;
      lines[j + 1] = line;
      order[j + 1] = moving;
    }
  }
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  for (let i = 0; i < count; i++) {
    const t = times[i];
    if (firstTime === undefined || t < firstTime) firstTime = t;
    if (lastTime === undefined || t > lastTime) lastTime = t;
  }
  for (const column of pending.properties.values()) {
    column.permute(order);
    column.finish();
  }
  return { offsets, times, properties: pending.properties, count, firstTime, lastTime };
}

/**
 * The chunks of a metric's profiles, times and lines, the k-th of each the same length (as the
 * builder pushes and adopts them); one array each, copied, should they ever not be.
 */
function alignedChunks(pending: PendingEvents): [Int32Array[], Float64Array[], Int32Array[]] {
  const profiles = pending.profiles.chunks();
  const times = pending.times.chunks();
  const lines = pending.lines.chunks();
  const aligned =
    times.length === profiles.length &&
    lines.length === profiles.length &&
    profiles.every((chunk, k) => times[k].length === chunk.length && lines[k].length === chunk.length);
  return aligned ? [profiles, times, lines] : [[pending.profiles.take()], [pending.times.take()], [pending.lines.take()]];
}
