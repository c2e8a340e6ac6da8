import { profileValueKey, type Workspace } from '../engine/workspace';
import type { SqlCatalog } from './context';

/** The flattened key (profileValueKey) of a path in the profile's API attributes. */
export function profileKeyOfPath(path: readonly string[]): string | undefined {
  const [head, ...rest] = path;
  if (rest.length === 0) return profileValueKey.attribute(head);
  if (head === 'location' && rest.length === 1) return profileValueKey.location(rest[0]);
  if (head === 'properties' && rest.length === 1) return profileValueKey.custom(rest[0]);
  if (head === 'predictive_analytics' && rest.length === 1) return profileValueKey.predictive(rest[0]);
  if (head === 'subscriptions' && rest.length === 3) return `subscriptions.${rest.join('.')}`;
  return undefined;
}

/** What a loaded workspace knows without a query: its metrics, lists and which values some profile carries. */
export function workspaceCatalog(workspace: Workspace): SqlCatalog {
  return {
    hasMetric: (id) => workspace.metric(id) !== undefined,
    hasList: (id) => workspace.list(id) !== undefined,
    carries: (path) => {
      const key = profileKeyOfPath(path);
      return key !== undefined && (workspace.column(key)?.presentCount ?? 0) > 0;
    },
  };
}
