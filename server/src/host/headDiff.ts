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
  | { state: 'untracked' | 'new' | 'ignored'; commit: string; path: string }
  | { state: 'tracked'; commit: string; path: string; text: string };

/** The file's definition at HEAD, read and validated once per commit. */
interface HeadSide {
  definition?: Record<string, unknown>;
  problem?: string;
}

interface Entry {
  version: number;
  result: HeadDiffResult;
  /** The two definitions compared, for listing who enters and who leaves (before null: none). */
  before: Record<string, unknown> | null | undefined;
  after: Record<string, unknown> | undefined;
}

/**
 * How long what git said about a file is trusted; after that it is asked again, but only while
 * the user is not typing (a commit or a checkout moves HEAD without an edit).
 */
const RECHECK_MS = 30_000;
/** No edit for this long: the user is not typing. */
const IDLE_MS = 3_000;

const gitMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A segment document compared with its definition at git HEAD ("+1,204 / −56 since HEAD"): on
 * the same, current workspace, in the evaluation worker, after the document's counts (so it never
 * delays them). Git is read through the git command (review/git.ts). Starting a process blocks
 * the server's thread for a few milliseconds per megabyte of its memory, so git is asked when a
 * document is first compared, when the comparison is asked for explicitly, and after
 * `RECHECK_MS` while the user is idle; an edit compares the new text with the HEAD text already
 * read. Results are kept per document version and HEAD commit: code lenses read them and never wait.
 */
export class HeadDiffService {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, { version: number; promise: Promise<Entry | undefined>; cancel: CancellationTokenSource }>();
  /** What git said about each file (by path), and when. */
  private readonly standings = new Map<string, { standing: Promise<GitStanding>; checkedAt: number }>();
  /** HEAD's definitions, by repository, commit and path. */
  private readonly headSides = new Map<string, HeadSide>();
  private readonly editedAt = new Map<string, number>();

  constructor(
    private readonly services: WorkspaceRequestServices,
    private readonly onChange: (uri: string) => void,
  ) {}

  /** The comparison of a document version, when it is known (never waits; may ask git again in the background when idle). */
  get(uri: string, version: number): HeadDiffResult | undefined {
    const entry = this.entries.get(uri);
    if (!entry || entry.version !== version) return undefined;
    const path = URI.parse(uri).fsPath;
    const known = this.standings.get(path);
    const now = Date.now();
    if (known && now - known.checkedAt > RECHECK_MS && now - (this.editedAt.get(uri) ?? 0) > IDLE_MS) {
      this.standings.delete(path);
      void this.refresh(uri, version);
    }
    return entry.result;
  }

  /** The counts of a document version are in: compare it with HEAD now (quietly; lenses refresh when it is done). */
  countsReady(uri: string): void {
    const document = this.services.documents.get(uri);
    if (!document) return;
    if (this.entries.has(uri)) this.editedAt.set(uri, Date.now());
    void this.refresh(uri, document.version);
  }

  forget(uri: string): void {
    this.inFlight.get(uri)?.cancel.cancel();
    this.inFlight.delete(uri);
    this.entries.delete(uri);
    this.editedAt.delete(uri);
  }

  /** segmentLens/headDiff: the comparison of the document's current version, after its counts, with git asked afresh. */
  async request(params: HeadDiffParams): Promise<HeadDiffResult> {
    const document = this.services.documents.get(params.uri);
    if (!document) return { version: 0, state: 'failed', message: 'Open the segment file first.', added: null, removed: null };
    await this.services.counts.wait(document.uri, document.version);
    this.standings.delete(URI.parse(params.uri).fsPath);
    this.inFlight.get(params.uri)?.cancel.cancel();
    this.inFlight.delete(params.uri);
    return (
      (await this.refresh(params.uri, document.version))?.result ?? {
        version: document.version,
        state: 'failed',
        message: 'The segment changed: compare again.',
        added: null,
        removed: null,
      }
    );
  }

  /** segmentLens/headDiffProfiles: who the change adds to the segment, or removes from it. */
  async profiles(params: HeadDiffProfilesParams, token: CancellationToken): Promise<ProfilesResult> {
    const document = this.services.documents.get(params.uri);
    const entry = document ? this.entries.get(params.uri) : undefined;
    const root = this.services.registry.rootFor(params.uri);
    const host = root ? this.services.registry.existingHost(root) : undefined;
    const empty: ProfilesResult = { version: document?.version ?? 0, total: 0, rows: [], propertyColumns: [], state: 'ok' };
    if (!entry || entry.version !== document?.version || !entry.after || entry.before === undefined || host?.state.kind !== 'ready')
      return { ...empty, state: 'failed', message: 'Compare the segment with HEAD again.' };
    const before = entry.before ? [entry.before] : [];
    const [inside, outside] = params.side === 'added' ? [[entry.after], before] : [before, [entry.after]];
    if (inside.length === 0) return empty;
    const unsupported = host.unsupported('setRows');
    if (unsupported !== undefined) return { ...empty, state: 'failed', message: unsupported };
    const reply = await host.request(
      'setRows',
      { inside, outside, offset: params.offset, limit: params.limit, sort: params.sort, filter: params.filter },
      token,
    );
    return { ...empty, ...reply };
  }

  /** Computes (or reuses) the comparison of `version`, storing it; tells the editor when what it shows changed. */
  private refresh(uri: string, version: number): Promise<Entry | undefined> {
    const running = this.inFlight.get(uri);
    if (running?.version === version) return running.promise;
    running?.cancel.cancel();
    const cancel = new CancellationTokenSource();
    const promise = this.compute(uri, version, cancel.token)
      .then(
        (entry) => {
          if (!entry || this.services.documents.get(uri)?.version !== version) return entry;
          const previous = this.entries.get(uri);
          this.entries.set(uri, entry);
          if (!previous || JSON.stringify(previous.result) !== JSON.stringify(entry.result)) this.onChange(uri);
          return entry;
        },
        (error: unknown) => {
          if (!(error instanceof RequestCancelled)) throw error;
          return undefined;
        },
      )
      .finally(() => {
        if (this.inFlight.get(uri)?.promise === promise) this.inFlight.delete(uri);
        cancel.dispose();
      });
    this.inFlight.set(uri, { version, promise, cancel });
    return promise;
  }

  /** What git says about the file at `path`: asked once, then kept (see `get` for when it is asked again). */
  private standing(path: string): Promise<GitStanding> {
    let known = this.standings.get(path);
    if (!known) {
      known = {
        standing: this.askGit(path).catch((error: unknown): GitStanding => ({ state: 'not-in-git', message: gitMessage(error) })),
        checkedAt: Date.now(),
      };
      this.standings.set(path, known);
    }
    return known.standing;
  }

  private async askGit(path: string): Promise<GitStanding> {
    let repository: GitRepository;
    try {
      repository = await GitRepository.open(dirname(path));
      if (!(await repository.hasCommits()))
        return { state: 'no-commits', message: `The repository at ${repository.root} has no commits yet: everything in it is new.` };
    } catch (error) {
      return { state: 'not-in-git', message: error instanceof GitError ? error.message : gitMessage(error) };
    }
    const commit = await repository.resolveCommit('HEAD');
    const [inRepository] = repository.pathspecs([path], dirname(path));
    // `git show` fails for a path HEAD does not have: the file is then new (staged), untracked or ignored.
    const text = await repository.fileAt(commit, inRepository).catch(() => undefined);
    if (text !== undefined) return { state: 'tracked', commit, path: inRepository, text };
    if ((await repository.untrackedFiles([inRepository])).length > 0) return { state: 'untracked', commit, path: inRepository };
    const known = (await repository.workingFiles([inRepository])).length > 0;
    return { state: known ? 'new' : 'ignored', commit, path: inRepository };
  }

  /** HEAD's definition of a tracked file, parsed and validated once per commit. */
  private headSide(git: Extract<GitStanding, { state: 'tracked' }>): HeadSide {
    const key = `${git.commit}\0${git.path}\0${git.text.length}`;
    let side = this.headSides.get(key);
    if (!side) {
      const segment = this.services.language.parse(git.text);
      const errors = this.services.language.validate(segment, { allowComments: this.services.allowComments() }).filter((p) => p.severity === 'error');
      const definition = definitionValue(segment);
      side =
        errors.length || !definition
          ? { problem: errors.length ? `the definition has errors: ${errors[0].message}` : 'no segment definition' }
          : { definition };
      if (this.headSides.size > 200) this.headSides.clear();
      this.headSides.set(key, side);
    }
    return side;
  }

  private async compute(uri: string, version: number, token: CancellationToken): Promise<Entry | undefined> {
    const document = this.services.documents.get(uri);
    const parsed = URI.parse(uri);
    if (!document || document.version !== version) return undefined;
    const base = { version, added: null, removed: null };
    const entry = (result: HeadDiffResult, before?: Record<string, unknown> | null, after?: Record<string, unknown>): Entry => ({
      version,
      result,
      before,
      after,
    });
    if (parsed.scheme !== 'file') return entry({ ...base, state: 'not-in-git', message: 'The file is not on disk.' });
    const git = await this.standing(parsed.fsPath);
    if (git.state === 'not-in-git' || git.state === 'no-commits') return entry({ ...base, state: git.state, message: git.message });
    const where = { commit: git.commit, path: git.path };
    if (git.state === 'ignored') return entry({ ...base, ...where, state: 'ignored', message: 'git ignores this file.' });
    if (git.state === 'tracked' && git.text === document.getText()) return entry({ ...base, ...where, state: 'unchanged', added: 0, removed: 0 });

    const root = this.services.registry.rootFor(uri);
    const host = root ? this.services.registry.host(root) : undefined;
    if (!host)
      return entry({ ...base, ...where, state: 'no-workspace', message: 'No klaviyo-workspace.json above this file: there are no profiles to compare.' });
    if (host.state.kind !== 'ready')
      return entry({
        ...base,
        ...where,
        state: host.state.kind === 'failed' ? 'failed' : 'loading',
        message: host.state.kind === 'failed' ? host.state.message : 'Loading the workspace…',
      });
    const names = summaryNames(host.state.summary);
    const describe = (side: HeadSide): HeadDiffSide =>
      side.definition
        ? { description: describeDefinition(side.definition, names), matched: null }
        : { description: null, matched: null, problem: side.problem };
    // The document was validated for its diagnostics and counts: its counts say whether it has errors.
    const counts = this.services.counts.get(uri, version);
    const definition = definitionValue(this.services.parsed.get(document));
    const after: HeadSide =
      counts?.state === 'errors' ? { problem: 'the definition has errors' } : definition ? { definition } : { problem: 'no segment definition' };
    const before: HeadSide | undefined = git.state === 'tracked' ? this.headSide(git) : undefined;
    const result: HeadDiffResult = {
      ...base,
      ...where,
      state: git.state === 'tracked' ? 'changed' : git.state,
      definitionChanged: !before?.definition || !after.definition || canonicalJson(before.definition) !== canonicalJson(after.definition),
      before: before ? describe(before) : { description: null, matched: 0 },
      after: describe(after),
      total: host.state.summary.profileCount,
      workspace: workspaceInfo(host),
    };
    const beforeDefinition = before ? before.definition : null;
    const unsupported = host.unsupported('diff');
    if (unsupported !== undefined) result.message = unsupported;
    else if (beforeDefinition !== undefined && after.definition) {
      const reply = await host.request('diff', { before: beforeDefinition, after: after.definition }, token);
      const problem = (notEvaluable: string[]) => (notEvaluable.length ? { problem: `not evaluable locally: ${notEvaluable.join('; ')}` } : {});
      result.before = { ...result.before, matched: reply.before.matched, ...problem(reply.before.notEvaluable) } as HeadDiffSide;
      result.after = { ...result.after, matched: reply.after.matched, ...problem(reply.after.notEvaluable) } as HeadDiffSide;
      result.added = reply.added;
      result.removed = reply.removed;
    }
    return entry(result, beforeDefinition, after.definition);
  }
}
