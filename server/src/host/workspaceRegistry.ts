import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { URI } from 'vscode-uri';
import { findWorkspaceRoot, MARKER_FILE, readWorkspaceConfig } from '../workspace/loadWorkspace';
import type { EngineSetting } from '../evaluation/messages';
import { WorkspaceHost } from './workspaceHost';

export interface RegistryOptions {
  /** `segmentLens.workspace`: a folder to use instead of the nearest marker (relative to a workspace folder). */
  explicitRoot: () => string;
  workspaceFolders: () => string[];
  onHostState: (host: WorkspaceHost) => void;
  /** `segmentLens.engine`. */
  engine: () => EngineSetting;
  /** Overrides every workspace's `now` (tests). */
  now?: number;
}

/**
 * Which data workspace each segment file uses, and one evaluation worker per workspace folder,
 * reloaded when its files change on disk.
 */
export class WorkspaceRegistry {
  private readonly hosts = new Map<string, WorkspaceHost>();
  private readonly reloadTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: RegistryOptions) {}

  /** The workspace folder for a document URI, or undefined (outside any data workspace). */
  rootFor(uri: string): string | undefined {
    const explicit = this.options.explicitRoot().trim();
    if (explicit) {
      const candidates = isAbsolute(explicit) ? [explicit] : this.options.workspaceFolders().map((folder) => resolve(folder, explicit));
      const found = candidates.find((candidate) => existsSync(join(candidate, MARKER_FILE)));
      if (found) return resolve(found);
    }
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return undefined;
    return findWorkspaceRoot(parsed.fsPath);
  }

  /**
   * The instant a workspace measures relative dates from, without loading it: the override
   * (tests), else the `now` of its klaviyo-workspace.json; undefined means the clock.
   */
  configuredNow(root: string): number | undefined {
    return this.options.now ?? readWorkspaceConfig(root).now;
  }

  /** The host of a workspace folder, started (and loading) on first use. */
  host(root: string): WorkspaceHost {
    let host = this.hosts.get(root);
    if (!host) {
      host = new WorkspaceHost(root, this.options.now, this.options.onHostState, this.options.engine());
      this.hosts.set(root, host);
    }
    return host;
  }

  existingHost(root: string): WorkspaceHost | undefined {
    return this.hosts.get(root);
  }

  allHosts(): WorkspaceHost[] {
    return [...this.hosts.values()];
  }

  /** Files changed on disk: reload the workspaces they belong to (debounced, one reload per burst). */
  filesChanged(paths: readonly string[]): void {
    for (const host of this.hosts.values()) {
      const state = host.state;
      const files = state.kind === 'ready' ? state.files : [];
      const affected = paths.some((path) => files.includes(path) || isDataPath(host.root, path));
      if (!affected) continue;
      clearTimeout(this.reloadTimers.get(host.root));
      this.reloadTimers.set(
        host.root,
        setTimeout(() => {
          this.reloadTimers.delete(host.root);
          host.reload();
        }, 300),
      );
    }
  }

  /** `segmentLens.engine` changed: each workspace loaded with another engine setting loads again. */
  engineChanged(): void {
    const engine = this.options.engine();
    for (const host of this.hosts.values()) if (host.engine !== engine) host.reload(engine);
  }

  reload(root?: string): void {
    for (const host of this.hosts.values()) if (!root || host.root === root) host.reload();
  }

  async dispose(): Promise<void> {
    for (const timer of this.reloadTimers.values()) clearTimeout(timer);
    await Promise.all([...this.hosts.values()].map((host) => host.dispose()));
    this.hosts.clear();
  }
}

/** A path inside the workspace's marker or data folder. */
function isDataPath(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  return rel === MARKER_FILE || rel.startsWith(`data${sep}`) || rel.startsWith('data/');
}
