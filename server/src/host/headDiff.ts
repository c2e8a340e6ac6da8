import { dirname } from 'node:path';
import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { canonicalJson } from '../engine/canonical';
import { describeDefinition } from '../engine/describe';
import type { HeadDiffParams, HeadDiffProfilesParams, HeadDiffResult, HeadDiffSide, ProfilesResult } from '../protocol';
import { GitError, GitRepository } from '../review/git';
import { definitionValue } from '../segment/parse';
import { summaryNames, workspaceInfo } from './countsService';
import { RequestCancelled } from './workspaceHost';
import type { WorkspaceRequestServices } from './workspaceRequests';

/** What git says about a file: where it stands, and its text at HEAD when HEAD has it. */
type GitStanding =
  | { state: 'not-in-git'; message: string }
  | { state: 'no-commits'; message: string }
  | { state: 'untracked' | 'new'; commit: string; path: string }
  | { state: 'tracked'; commit: string; path: string; text: string };

interface Entry {
  version: number;
  /** HEAD's commit when the entry was computed (undefined: no HEAD). */
  commit: string | undefined;
  result: HeadDiffResult;
  /** The two definitions compared, for listing who enters and who leaves. */
  before: Record<string, unknown> | null | undefined;
  after: Record<string, unknown> | undefined;
  checkedAt: number;
}

/** How long a comparison's view of git is trusted before the next code-lens request checks HEAD again (a commit, a checkout). */
const RECHECK_MS = 5_000;

const gitMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A segment document compared with its definition at git HEAD ("+1,204 / −56 since HEAD"): on
 * the same, current workspace, in the evaluation worker, after the document's counts (so it never
 * delays them). Git is read through the git command (review/git.ts), asynchronously. Results are
 * kept per document version and HEAD commit: code lenses read them and never wait.
 */
export class HeadDiffService {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, { version: number; promise: Promise<Entry | undefined>; cancel: CancellationTokenSource }>();
  /** HEAD texts by repository, commit and path: the same commit's file is read once. */
  private readonly headTexts = new Map<string, string | undefined>();

  constructor(private readonly services: WorkspaceRequestServices, private readonly onChange: (uri: string) => void) {}

  /** The comparison of a document version, when it is known; a stale one is checked again in the background. */
  get(uri: string, version: number): HeadDiffResult | undefined {
    const entry = this.entries.get(uri);
    if (!entry || entry.version !== version) return undefined;
    if (Date.now() - entry.checkedAt > RECHECK_MS) void this.refresh(uri, version);
    return entry.result;
  }

  /** The counts of a document version are in: compare it with HEAD now (quietly; lenses refresh when it is done). */
  countsReady(uri: string): void {
    const document = this.services.documents.get(uri);
    if (document) void this.refresh(uri, document.version);
  }

  forget(uri: string): void {
    this.inFlight.get(uri)?.cancel.cancel();
    this.inFlight.delete(uri);
    this.entries.delete(uri);
  }

  /** segmentLens/headDiff: the comparison of the document's current version (after its counts). */
  async request(params: HeadDiffParams): Promise<HeadDiffResult> {
    const document = this.services.documents.get(params.uri);
    if (!document) return { version: 0, state: 'failed', message: 'Open the segment file first.', added: null, removed: null };
    await this.services.counts.wait(document.uri, document.version);
    const entry = this.entries.get(params.uri);
    if (entry?.version === document.version && Date.now() - entry.checkedAt <= RECHECK_MS) return entry.result;
    return (await this.refresh(params.uri, document.version))?.result ?? { version: document.version, state: 'failed', message: 'The segment changed: compare again.', added: null, removed: null };
  }

  /** segmentLens/headDiffProfiles: who the change adds to the segment, or removes from it. */
  async profiles(params: HeadDiffProfilesParams, token: CancellationToken): Promise<ProfilesResult> {
    const document = this.services.documents.get(params.uri);
    const entry = document ? this.entries.get(params.uri) : undefined;
    const root = this.services.registry.rootFor(params.uri);
    const host = root ? this.services.registry.existingHost(root) : undefined;
    const empty: ProfilesResult = { version: document?.version ?? 0, total: 0, rows: [], propertyColumns: [], state: 'ok' };
    if (!entry || entry.version !== document?.version || !entry.after || entry.before === undefined || host?.state.kind !== 'ready') return { ...empty, state: 'failed', message: 'Compare the segment with HEAD again.' };
    const before = entry.before ? [entry.before] : [];
    const [inside, outside] = params.side === 'added' ? [[entry.after], before] : [before, [entry.after]];
    if (inside.length === 0) return empty;
    const reply = await host.request('setRows', { inside, outside, offset: params.offset, limit: params.limit, sort: params.sort, filter: params.filter }, token);
    return { ...empty, ...reply };
  }

  /** Computes (or reuses) the comparison of `version`, storing it; tells the editor when what it shows changed. */
  private refresh(uri: string, version: number): Promise<Entry | undefined> {
    const running = this.inFlight.get(uri);
    if (running?.version === version) return running.promise;
    running?.cancel.cancel();
    const cancel = new CancellationTokenSource();
    const promise = this.compute(uri, version, cancel.token).then((entry) => {
      if (!entry || this.services.documents.get(uri)?.version !== version) return entry;
      const previous = this.entries.get(uri);
      this.entries.set(uri, entry);
      if (!previous || JSON.stringify(previous.result) !== JSON.stringify(entry.result)) this.onChange(uri);
      return entry;
    }, (error: unknown) => {
      if (!(error instanceof RequestCancelled)) throw error;
      return undefined;
    }).finally(() => {
      if (this.inFlight.get(uri)?.promise === promise) this.inFlight.delete(uri);
      cancel.dispose();
    });
    this.inFlight.set(uri, { version, promise, cancel });
    return promise;
  }

  private async standing(path: string): Promise<GitStanding> {
    let repository: GitRepository;
    try {
      repository = await GitRepository.open(dirname(path));
      if (!(await repository.hasCommits())) return { state: 'no-commits', message: `The repository at ${repository.root} has no commits yet: everything in it is new.` };
    } catch (error) {
      return { state: 'not-in-git', message: error instanceof GitError ? error.message : gitMessage(error) };
    }
    const commit = await repository.resolveCommit('HEAD');
    const [inRepository] = repository.pathspecs([path], dirname(path));
    const key = `${repository.root}\0${commit}\0${inRepository}`;
    if (!this.headTexts.has(key)) {
      // `git show` fails for a path HEAD does not have: the file is new (staged) or untracked.
      const text = await repository.fileAt(commit, inRepository).catch(() => undefined);
      if (this.headTexts.size > 200) this.headTexts.clear();
      this.headTexts.set(key, text);
    }
    const text = this.headTexts.get(key);
    if (text !== undefined) return { state: 'tracked', commit, path: inRepository, text };
    const untracked = (await repository.untrackedFiles([inRepository])).length > 0;
    return { state: untracked ? 'untracked' : 'new', commit, path: inRepository };
  }

  private async compute(uri: string, version: number, token: CancellationToken): Promise<Entry | undefined> {
    const document = this.services.documents.get(uri);
    const parsed = URI.parse(uri);
    if (!document || document.version !== version) return undefined;
    const base = { version, added: null, removed: null };
    const entry = (result: HeadDiffResult, commit?: string, before?: Record<string, unknown> | null, after?: Record<string, unknown>): Entry => ({ version, commit, result, before, after, checkedAt: Date.now() });
    if (parsed.scheme !== 'file') return entry({ ...base, state: 'not-in-git', message: 'The file is not on disk.' });
    const git = await this.standing(parsed.fsPath).catch((error: unknown): GitStanding => ({ state: 'not-in-git', message: gitMessage(error) }));
    if (git.state === 'not-in-git' || git.state === 'no-commits') return entry({ ...base, state: git.state, message: git.message });
    const previous = this.entries.get(uri);
    // The same version of a tracked file against the same HEAD: nothing to compute again.
    const settled = previous?.result.state === 'changed' || previous?.result.state === 'unchanged';
    if (git.state === 'tracked' && settled && previous?.version === version && previous.commit === git.commit) return { ...previous, checkedAt: Date.now() };
    const where = { commit: git.commit, path: git.path };
    if (git.state === 'tracked' && git.text === document.getText()) return entry({ ...base, ...where, state: 'unchanged', added: 0, removed: 0 }, git.commit);

    const root = this.services.registry.rootFor(uri);
    const host = root ? this.services.registry.host(root) : undefined;
    if (!host) return entry({ ...base, ...where, state: 'no-workspace', message: 'No klaviyo-workspace.json above this file: there are no profiles to compare.' }, git.commit);
    if (host.state.kind !== 'ready') return entry({ ...base, ...where, state: host.state.kind === 'failed' ? 'failed' : 'loading', message: host.state.kind === 'failed' ? host.state.message : 'Loading the workspace…' }, git.commit);
    const names = summaryNames(host.state.summary);
    const { language, allowComments } = this.services;
    const side = (text: string | undefined): { side: HeadDiffSide; definition?: Record<string, unknown> } => {
      if (text === undefined) return { side: { description: null, matched: 0 } };
      const segment = language.parse(text);
      const errors = language.validate(segment, { allowComments: allowComments() }).filter((p) => p.severity === 'error');
      const definition = definitionValue(segment);
      if (errors.length || !definition) return { side: { description: null, matched: null, problem: errors.length ? `the definition has errors: ${errors[0].message}` : 'no segment definition' } };
      return { side: { description: describeDefinition(definition, names), matched: null }, definition };
    };
    const before = side(git.state === 'tracked' ? git.text : undefined);
    const after = side(document.getText());
    const beforeDefinition = git.state === 'tracked' ? before.definition : null;
    const result: HeadDiffResult = {
      ...base, ...where,
      state: git.state === 'tracked' ? 'changed' : git.state,
      definitionChanged: !before.definition || !after.definition || canonicalJson(before.definition) !== canonicalJson(after.definition),
      before: before.side,
      after: after.side,
      total: host.state.summary.profileCount,
      workspace: workspaceInfo(host),
    };
    if (beforeDefinition !== undefined && after.definition) {
      const reply = await host.request('diff', { before: beforeDefinition, after: after.definition }, token);
      const problem = (notEvaluable: string[]) => (notEvaluable.length ? { problem: `not evaluable locally: ${notEvaluable.join('; ')}` } : {});
      result.before = { ...before.side, matched: reply.before.matched, ...problem(reply.before.notEvaluable) };
      result.after = { ...after.side, matched: reply.after.matched, ...problem(reply.after.notEvaluable) };
      result.added = reply.added;
      result.removed = reply.removed;
    }
    return entry(result, git.commit, beforeDefinition, after.definition);
  }
}
