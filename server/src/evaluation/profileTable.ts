import type { Bitset } from '../engine/bitset';
import type { WorkspaceSummary } from '../engine/catalog';
import type { NameLookup } from '../engine/describe';
import { parsePropertyPath } from '../engine/propertyPath';
import { profileValueKey, type Workspace } from '../engine/workspace';
import type { ProfileRow } from '../protocol';

const PROPERTY_COLUMNS = 3;

/** The custom properties the preview shows as columns: the workspace's most common ones. */
export function previewPropertyColumns(summary: WorkspaceSummary): string[] {
  return summary.profileProperties
    .map((p) => parsePropertyPath(p.name))
    .filter((p): p is { kind: 'custom'; name: string } => p.kind === 'custom')
    .slice(0, PROPERTY_COLUMNS)
    .map((p) => p.name);
}

/**
 * The matched-profiles table of the preview: rows built from the workspace's columns, sorted and
 * filtered on the worker so the panel only ever receives one page.
 */
export class ProfileTable {
  readonly propertyColumns: string[];
  readonly names: NameLookup;
  private lastEvent: Float64Array | undefined;
  private sorted: { key: string; order: Int32Array } | undefined;

  constructor(
    private readonly workspace: Workspace,
    summary: WorkspaceSummary,
  ) {
    this.propertyColumns = previewPropertyColumns(summary);
    this.names = { metricName: (id) => workspace.metric(id)?.info.name, listName: (id) => workspace.list(id)?.info.name };
  }

  private text(p: number, key: string): string | null {
    const value = this.workspace.profileValue(p, key);
    if (value === undefined || value === null || value === '') return null;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  /** The latest event of each profile over all metrics (computed once). */
  private lastEventTimes(): Float64Array {
    if (this.lastEvent) return this.lastEvent;
    const last = new Float64Array(this.workspace.profileCount).fill(NaN);
    for (const events of this.workspace.events) {
      for (let p = 0; p < last.length; p++) {
        const end = events.offsets[p + 1];
        if (end > events.offsets[p]) {
          const t = events.times[end - 1];
          if (!(t <= last[p])) last[p] = t;
        }
      }
    }
    return (this.lastEvent = last);
  }

  row(p: number): ProfileRow {
    const name = [this.text(p, profileValueKey.attribute('first_name')), this.text(p, profileValueKey.attribute('last_name'))].filter(Boolean).join(' ');
    const location = [
      this.text(p, profileValueKey.location('city')),
      this.text(p, profileValueKey.location('region')),
      this.text(p, profileValueKey.location('country')),
    ]
      .filter(Boolean)
      .join(', ');
    const last = this.lastEventTimes()[p];
    const properties: Record<string, string> = {};
    for (const column of this.propertyColumns) {
      const value = this.text(p, profileValueKey.custom(column));
      if (value !== null) properties[column] = value;
    }
    return {
      id: this.workspace.profileIds.at(p),
      email: this.text(p, profileValueKey.attribute('email')),
      name: name || null,
      location: location || null,
      phone: this.text(p, profileValueKey.attribute('phone_number')),
      properties,
      lastEvent: Number.isNaN(last) ? null : new Date(last).toISOString(),
    };
  }

  /** One page of the matched profiles, filtered and sorted. */
  page(
    set: Bitset,
    request: { offset: number; limit: number; sort?: { column: string; descending?: boolean }; filter?: string },
  ): { total: number; rows: ProfileRow[]; propertyColumns: string[] } {
    let indexes = this.order(request.sort).filter((p) => set.has(p));
    const needle = request.filter?.trim().toLowerCase();
    if (needle) {
      indexes = indexes.filter((p) => {
        const row = this.row(p);
        return [row.id, row.email, row.name, row.location, row.phone, ...Object.values(row.properties)].some((v) => v?.toLowerCase().includes(needle));
      });
    }
    const offset = Math.max(0, Math.floor(request.offset));
    const limit = Math.max(0, Math.min(1000, Math.floor(request.limit)));
    return { total: indexes.length, rows: indexes.slice(offset, offset + limit).map((p) => this.row(p)), propertyColumns: this.propertyColumns };
  }

  /** Every profile index in the requested order (cached for the last order used). */
  private order(sort: { column: string; descending?: boolean } | undefined): number[] {
    const column = sort?.column ?? 'id';
    const key = `${column}:${sort?.descending ? 'desc' : 'asc'}`;
    if (!this.sorted || this.sorted.key !== key) {
      const n = this.workspace.profileCount;
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      if (column !== 'id') {
        const value = (p: number): string | number => {
          switch (column) {
            case 'email':
              return this.text(p, profileValueKey.attribute('email')) ?? '';
            case 'name':
              return this.row(p).name ?? '';
            case 'location':
              return this.row(p).location ?? '';
            case 'lastEvent': {
              const t = this.lastEventTimes()[p];
              return Number.isNaN(t) ? -Infinity : t;
            }
            default:
              return this.workspace.profileIds.at(p);
          }
        };
        const keys = Array.from(order, value);
        order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
      }
      if (sort?.descending) order.reverse();
      this.sorted = { key, order };
    }
    return Array.from(this.sorted.order);
  }
}
