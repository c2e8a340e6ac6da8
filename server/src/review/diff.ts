import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Bitset } from '../engine/bitset';
import { Evaluator } from '../engine/evaluator';
import type { Workspace } from '../engine/workspace';
import type { SegmentLanguage } from '../segment/languageService';
import { findWorkspaceRoot, MARKER_FILE } from '../workspace/loadWorkspace';
import { GitRepository, type ChangeStatus, type FileChange } from './git';
import { profileSummary, workspaceNames, type ProfileSummary } from './profiles';
import { evaluateSegmentText, type EvaluationContext, type SegmentEvaluation } from './segmentEvaluation';
import { isSelectedSegmentPath, type PathSelection } from './segmentPaths';
import { segmentFileRulesFor } from '../workspace/segmentFiles';

/** A problem with what was asked (no workspace for a file, ...): the CLI reports it as a usage error. */
export class ReviewUsageError extends Error {}

export interface DiffOptions {
  /** Where relative paths are resolved and the repository is looked for. */
  cwd: string;
  /** The revision to compare the working tree with (default `HEAD`). */
  base?: string;
  /** Files or folders to limit the comparison to (default: the whole repository). */
  paths?: readonly string[];
  /** The folder holding klaviyo-workspace.json (default: the nearest one above each file). */
  workspaceRoot?: string;
  /** How many added and removed profiles to summarise per file (the ID lists are always complete). */
  limit: number;
}

/** What a diff needs from its host: the segment language and a way to load a workspace once. */
export interface DiffEnvironment {
  language: SegmentLanguage;
  loadWorkspace(root: string): Promise<Workspace>;
}

/** Profiles that a change adds to or removes from a segment. */
export interface ProfileDelta {
  count: number;
  /** Every profile's ID, in workspace order. */
  ids: string[];
  /** The first `limit` profiles, with their email, name and location. */
  sample: ProfileSummary[];
}

export interface WorkspaceInfo {
  root: string;
  name: string;
  profiles: number;
  /** The workspace's "now" (ISO 8601, UTC). */
  now: string;
}

/** One segment file that differs from the base revision. */
export interface SegmentFileDiff {
  status: ChangeStatus;
  /** Repository-relative path (for a removed file, where it was). */
  path: string;
  /** The base revision's path of a renamed file. */
  oldPath: string | null;
  workspace: WorkspaceInfo;
  /** The file at the base revision (null when added). */
  before: SegmentEvaluation | null;
  /** The file in the working tree (null when removed). */
  after: SegmentEvaluation | null;
  /** False when both sides hold the same definition (keys sorted), e.g. a renamed or reformatted file. */
  definitionChanged: boolean;
  /** Profiles matched after but not before; null when a side that exists cannot be counted. */
  added: ProfileDelta | null;
  /** Profiles matched before but not after; null when a side that exists cannot be counted. */
  removed: ProfileDelta | null;
}

export interface SegmentDiffReport {
  /** The repository's top folder. */
  repository: string;
  base: { revision: string; commit: string | null };
  /** True in a repository without commits: every file is compared with nothing (added). */
  noCommits: boolean;
  files: SegmentFileDiff[];
}

/** The repository paths a request selects: explicit files, or folders to take segment files from. */
function selection(repository: GitRepository, cwd: string, paths: readonly string[]): { selection: PathSelection; pathspecs: string[] } {
  const given = paths.length ? paths : [repository.root];
  const pathspecs = repository.pathspecs(given, cwd);
  const result: PathSelection = { files: [], folders: [] };
  given.forEach((path, i) => {
    const absolute = resolve(cwd, path);
    const isFolder = existsSync(absolute) && statSync(absolute).isDirectory();
    (isFolder ? result.folders : result.files).push(pathspecs[i]);
  });
  return { selection: result, pathspecs };
}

/** Which files changed, and from which commit (null: none yet). */
async function changedFiles(repository: GitRepository, revision: string, pathspecs: string[]): Promise<{ commit: string | null; changes: FileChange[] }> {
  if (!(await repository.hasCommits())) {
    const files = (await repository.workingFiles(pathspecs)).filter((path) => existsSync(resolve(repository.root, path)));
    return { commit: null, changes: files.map((path) => ({ status: 'added', path })) };
  }
  const commit = await repository.resolveCommit(revision);
  return { commit, changes: await repository.changesSince(commit, pathspecs) };
}

function delta(set: Bitset, ws: Workspace, limit: number): ProfileDelta {
  const indexes = set.toArray();
  return { count: indexes.length, ids: indexes.map((p) => ws.profileIds.at(p)), sample: indexes.slice(0, limit).map((p) => profileSummary(ws, p)) };
}

/** Compares, for every selected segment file, the base revision's definition with the working tree's. */
export async function diffSegments(options: DiffOptions, environment: DiffEnvironment): Promise<SegmentDiffReport> {
  const repository = await GitRepository.open(options.cwd);
  const revision = options.base ?? 'HEAD';
  const { selection: selected, pathspecs } = selection(repository, options.cwd, options.paths ?? []);
  const { commit, changes } = await changedFiles(repository, revision, pathspecs);
  // Which files are segment files: segmentLens.files of the repository's .vscode/settings.json, as in the editor.
  const rules = segmentFileRulesFor(repository.root);
  const relevant = changes
    .filter(
      (change) =>
        isSelectedSegmentPath(change.path, selected, rules) || (change.oldPath !== undefined && isSelectedSegmentPath(change.oldPath, selected, rules)),
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const evaluators = new Map<Workspace, EvaluationContext>();
  const files: SegmentFileDiff[] = [];
  for (const change of relevant) {
    const absolute = resolve(repository.root, change.path);
    const root = options.workspaceRoot ? resolve(options.cwd, options.workspaceRoot) : findWorkspaceRoot(absolute);
    if (!root) throw new ReviewUsageError(`no ${MARKER_FILE} found above ${change.path}; pass --workspace DIR`);
    const ws = await environment.loadWorkspace(root);
    let context = evaluators.get(ws);
    if (!context) evaluators.set(ws, (context = { language: environment.language, evaluator: new Evaluator(ws), names: workspaceNames(ws) }));
    const before =
      change.status === 'added' || commit === null ? undefined : evaluateSegmentText(await repository.fileAt(commit, change.oldPath ?? change.path), context);
    const after = change.status === 'removed' ? undefined : evaluateSegmentText(readFileSync(absolute, 'utf8'), context);
    files.push(compareSides(change, ws, root, before, after, options.limit));
  }
  return { repository: repository.root, base: { revision, commit }, noCommits: commit === null, files };
}

type Side = ReturnType<typeof evaluateSegmentText> | undefined;

/** The file's entry: both readings, and who enters and leaves the segment. */
function compareSides(change: FileChange, ws: Workspace, root: string, before: Side, after: Side, limit: number): SegmentFileDiff {
  // A side that does not exist matches no one; a side that exists but cannot be counted leaves the change unknown.
  const empty = new Bitset(ws.profileCount);
  const beforeSet = before ? before.set : empty;
  const afterSet = after ? after.set : empty;
  const comparable = beforeSet !== undefined && afterSet !== undefined;
  return {
    status: change.status,
    path: change.path,
    oldPath: change.oldPath ?? null,
    workspace: { root, name: ws.name, profiles: ws.profileCount, now: new Date(ws.now).toISOString() },
    before: before?.evaluation ?? null,
    after: after?.evaluation ?? null,
    definitionChanged: before?.evaluation.canonical == null || before.evaluation.canonical !== after?.evaluation.canonical,
    added: comparable ? delta(afterSet.andNot(beforeSet), ws, limit) : null,
    removed: comparable ? delta(beforeSet.andNot(afterSet), ws, limit) : null,
  };
}
