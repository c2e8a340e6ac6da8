import { relative, sep } from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { OverlapParams, OverlapProfilesParams, OverlapReport, ProfilesResult } from '../protocol';
import { definitionValue, segmentName, type ParsedSegment } from '../segment/parse';
import { readTextFile } from '../workspace/textFiles';
import { workspaceInfo } from './countsService';
import type { WorkspaceHost } from './workspaceHost';
import type { WorkspaceRequestServices } from './workspaceRequests';

/** One segment file of the folder, read (open documents win) and validated. */
interface FolderSegment {
  uri: string;
  file: string;
  name: string | null;
  definition?: Record<string, unknown>;
  /** Why it cannot take part (errors, no definition, another data workspace). */
  problem?: string;
}

const slashes = (path: string) => path.split(sep).join('/');

/**
 * "Compare Segments in Folder…" (docs/protocol.md: segmentLens/overlap and overlapProfiles): the
 * segment files of a folder evaluated on the folder's data workspace, and how they intersect.
 * The worker computes; this reads and validates the files and names things.
 */
export class OverlapRequests {
  constructor(private readonly services: WorkspaceRequestServices) {}

  private parsedOf(uri: string, path: string): ParsedSegment | undefined {
    const document = this.services.documents.get(uri);
    if (document) return this.services.parsed.get(document);
    try {
      return this.services.language.parse(readTextFile(path));
    } catch {
      return undefined;
    }
  }

  /** The folder's segment files (as segmentLens.files selects them), each read and checked. */
  private segmentsOf(folder: string, root: string): FolderSegment[] {
    return this.services.segmentIndex.paths([folder]).map((path) => {
      const uri = URI.file(path).toString();
      const parsed = this.parsedOf(uri, path);
      const segment: FolderSegment = { uri, file: slashes(relative(folder, path)), name: parsed ? (segmentName(parsed) ?? null) : null };
      if (!parsed) return { ...segment, problem: 'the file could not be read' };
      const errors = this.services.language.validate(parsed, { allowComments: this.services.allowComments() }).filter((p) => p.severity === 'error');
      const definition = definitionValue(parsed);
      if (errors.length)
        return { ...segment, problem: `the definition has errors: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}` };
      if (!definition) return { ...segment, problem: 'the file holds no segment definition' };
      const own = this.services.registry.rootFor(uri);
      if (own !== root) return { ...segment, problem: own ? `it uses another data workspace (${own})` : 'no data workspace above it' };
      return { ...segment, definition };
    });
  }

  private async readyHost(root: string): Promise<WorkspaceHost | string> {
    const host = this.services.registry.host(root);
    await host.ready();
    if (host.state.kind === 'ready') return host;
    return host.state.kind === 'failed' ? `The workspace could not be loaded: ${host.state.message}` : 'The workspace is not loaded.';
  }

  async overlap(params: OverlapParams, token: CancellationToken): Promise<OverlapReport> {
    const folder = URI.parse(params.folder).fsPath;
    const root = this.services.registry.rootFor(params.folder);
    const shown = root && (folder === root || folder.startsWith(`${root}${sep}`)) ? slashes(relative(root, folder)) || '.' : folder;
    const empty: OverlapReport = { state: 'ok', folder: shown, total: 0, union: 0, segments: [], pairwise: [], cells: [], leftOut: [], elapsedMs: 0 };
    if (!root)
      return {
        ...empty,
        state: 'no-workspace',
        message: 'No klaviyo-workspace.json above this folder (or set segmentLens.workspace): there are no profiles to compare.',
      };
    const host = await this.readyHost(root);
    if (typeof host === 'string') return { ...empty, state: 'failed', message: host };
    const unsupported = host.unsupported('overlap');
    if (unsupported !== undefined) return { ...empty, state: 'failed', message: unsupported, workspace: workspaceInfo(host) };
    const files = this.segmentsOf(folder, root);
    if (files.length === 0)
      return {
        ...empty,
        state: 'no-segments',
        message: `No segment files in ${shown} (the segmentLens.files setting says which files are).`,
        workspace: workspaceInfo(host),
      };
    const usable = files.filter((f) => f.definition);
    const reply = await host.request('overlap', { definitions: usable.map((f) => f.definition) }, token);
    const leftOut = files.filter((f) => f.problem).map((f) => ({ uri: f.uri, file: f.file, name: f.name, reason: f.problem as string }));
    reply.outcomes.forEach((outcome, i) => {
      if ('notEvaluable' in outcome)
        leftOut.push({ uri: usable[i].uri, file: usable[i].file, name: usable[i].name, reason: `not evaluable locally: ${outcome.notEvaluable}` });
    });
    const segments = reply.counted.map((i) => ({
      uri: usable[i].uri,
      file: usable[i].file,
      name: usable[i].name,
      count: (reply.outcomes[i] as { matched: number }).matched,
    }));
    return {
      state: 'ok',
      folder: shown,
      workspace: workspaceInfo(host),
      total: reply.total,
      union: reply.union,
      segments,
      pairwise: reply.pairwise,
      cells: reply.cells,
      leftOut,
      elapsedMs: reply.elapsedMs,
    };
  }

  /** A page of the profiles in every segment of `inside` and in none of `outside`. */
  async overlapProfiles(params: OverlapProfilesParams, token: CancellationToken): Promise<ProfilesResult> {
    const empty: ProfilesResult = { version: 0, total: 0, rows: [], propertyColumns: [], state: 'ok' };
    const root = this.services.registry.rootFor(params.folder);
    if (!root) return { ...empty, state: 'no-workspace' };
    const host = await this.readyHost(root);
    if (typeof host === 'string') return { ...empty, state: 'failed', message: host };
    const unsupported = host.unsupported('setRows');
    if (unsupported !== undefined) return { ...empty, state: 'failed', message: unsupported };
    const byUri = new Map(this.segmentsOf(URI.parse(params.folder).fsPath, root).map((f) => [f.uri, f]));
    const definitions = (uris: string[]) => uris.map((uri) => byUri.get(uri)?.definition);
    const inside = definitions(params.inside);
    const outside = definitions(params.outside);
    if (inside.length === 0 || ![...inside, ...outside].every(Boolean))
      return { ...empty, state: 'failed', message: 'A segment of this cell changed or went away: compare the folder again.' };
    const reply = await host.request(
      'setRows',
      { inside, outside, offset: params.offset, limit: params.limit, sort: params.sort, filter: params.filter },
      token,
    );
    return { ...empty, ...reply };
  }
}
