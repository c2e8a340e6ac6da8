import type { NameLookup } from '../engine/describe';
import type { Workspace } from '../engine/workspace';
import { profileValueKey } from '../engine/workspace';

/** The fields the CLI, the review reports and the preview show for a profile. */
export interface ProfileSummary {
  id: string;
  email: string | null;
  name: string | null;
  location: string | null;
}

/** Names for metric and list IDs from a loaded workspace (for the plain-English readings). */
export function workspaceNames(workspace: Workspace): NameLookup {
  return {
    metricName: (id) => workspace.metric(id)?.info.name,
    listName: (id) => workspace.list(id)?.info.name,
  };
}

/** The summary of profile `p` (an index into the workspace's profiles). */
export function profileSummary(ws: Workspace, p: number): ProfileSummary {
  const get = (key: string) => {
    const v = ws.profileValue(p, key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const name = [get(profileValueKey.attribute('first_name')), get(profileValueKey.attribute('last_name'))].filter(Boolean).join(' ');
  const location = [get(profileValueKey.location('city')), get(profileValueKey.location('region')), get(profileValueKey.location('country'))]
    .filter(Boolean)
    .join(', ');
  return { id: ws.profileIds.at(p), email: get(profileValueKey.attribute('email')) ?? null, name: name || null, location: location || null };
}
