import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { SegmentLanguage } from '../segment/languageService';
import { definitionValue, segmentName, type SegmentFileShape } from '../segment/parse';
import type { Problem } from '../segment/problem';
import type { KlaviyoClient, Resource } from './client';
import { CreationBudget } from './creationBudget';
import { alignKeys, unifiedDiff } from './diff';
import { KlaviyoError } from './errors';
import { renameWithRetry, writeFileAtomic } from './files';
import type { ApiKey } from './secret';

// ---------------------------------------------------------------------------------------------
// Pull segments

export interface PullSegmentsOptions {
  /** The folder to write `segments/segment-<ID>.json` under. */
  out: string;
  client: KlaviyoClient;
  /** Overwrite local files that differ from the account's segment. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (fetched: number) => void;
}

export interface PullSegmentsResult {
  dir: string;
  total: number;
  /** Files written (new or overwritten). */
  written: string[];
  unchanged: string[];
  /** Files that differ from the account and were kept (no --force): edited locally, or changed in Klaviyo. */
  kept: { file: string; reason: 'edited-locally' | 'changed-in-klaviyo' }[];
  /** Local segment-<ID>.json files whose segment is not in the account. */
  orphans: string[];
}

/** The file name Klaviyo's CLI (headless-klaviyo) uses for a segment. */
export function segmentFileName(id: string): string {
  return `segment-${id}.json`;
}

/** The resource object as a segment file holds it: type, id, attributes (as returned), links. */
export function segmentFileResource(resource: Resource): Resource {
  return { type: resource.type, id: resource.id, attributes: resource.attributes ?? {}, ...(resource.links ? { links: resource.links } : {}) };
}

/** Text of a segment file, in headless-klaviyo's format (4-space JSON) unless `indent` says otherwise. */
export function segmentFileText(resource: Resource, indent: string | number = 4): string {
  return `${JSON.stringify(segmentFileResource(resource), null, indent)}\n`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * Fetches every segment (GET /api/segments, all pages) and writes one file per segment. Every
 * page is fetched before anything is written; each file is written whole (temporary file, then
 * rename), so a failure leaves no half-written file.
 */
export async function pullSegments(options: PullSegmentsOptions): Promise<PullSegmentsResult> {
  const dir = join(resolve(options.out), 'segments');
  const segments: Resource[] = [];
  for await (const page of options.client.pages('segments', '/api/segments', options.signal)) {
    segments.push(...page.data);
    options.onProgress?.(segments.length);
  }
  await mkdir(dir, { recursive: true });
  // Staged next to segments/, not inside it, so no editor glob (**/segments/**) ever sees a staged file.
  const staging = join(resolve(options.out), `.segment-lens-segments-${process.pid}-${Date.now().toString(36)}`);
  const result: PullSegmentsResult = { dir, total: segments.length, written: [], unchanged: [], kept: [], orphans: [] };
  await mkdir(staging, { recursive: true });
  try {
    const toMove: { from: string; to: string }[] = [];
    for (const segment of segments) {
      if (typeof segment.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(segment.id))
        throw new KlaviyoError('bad-response', `GET /api/segments returned a segment with an unusable id: ${JSON.stringify(segment.id)}`);
      const name = segmentFileName(segment.id);
      const target = join(dir, name);
      const fresh = segmentFileResource(segment);
      if (existsSync(target)) {
        let local: unknown;
        try {
          local = JSON.parse(readFileSync(target, 'utf8'));
        } catch {
          local = undefined;
        }
        if (deepEqual(local, JSON.parse(JSON.stringify(fresh)))) {
          result.unchanged.push(target);
          continue;
        }
        if (!options.force) {
          // A file that does not parse is being edited: keep it too.
          const localUpdated = (local as { attributes?: { updated?: unknown } } | undefined)?.attributes?.updated;
          result.kept.push({
            file: target,
            reason: local === undefined || localUpdated === segment.attributes?.updated ? 'edited-locally' : 'changed-in-klaviyo',
          });
          continue;
        }
      }
      const staged = join(staging, name);
      await writeFileAtomic(staged, segmentFileText(segment));
      toMove.push({ from: staged, to: target });
    }
    for (const move of toMove) {
      await renameWithRetry(move.from, move.to);
      result.written.push(move.to);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const ids = new Set(segments.map((s) => s.id));
  for (const name of readdirSync(dir)) {
    const match = /^segment-(.+)\.json$/.exec(name);
    if (match && !ids.has(match[1])) result.orphans.push(join(dir, name));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Push

export interface PushRequest {
  method: 'POST' | 'PATCH';
  /** Relative to the base URL. */
  path: string;
  body: { data: Record<string, unknown> };
}

export interface PushPlan {
  action: 'create' | 'update';
  id?: string;
  /** The name the segment will have (create), or the new name (update), when known. */
  name?: string;
  shape: SegmentFileShape;
  request: PushRequest;
  /** Problems that do not block the push (warnings, hints). */
  notes: Problem[];
}

export type PlanOutcome = { ok: true; plan: PushPlan } | { ok: false; reason: string; problems: Problem[] };

export interface PlanOptions {
  /** The file's name, for a bare definition's default name and messages. */
  fileName?: string;
  /** Overrides (or supplies, for a bare definition) the segment's name. */
  name?: string;
  /** Updates this segment (overrides the file's id). */
  id?: string;
  language?: SegmentLanguage;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameFromFileName(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base
    .replace(/\.(segment\.)?json$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return stem ? stem.charAt(0).toUpperCase() + stem.slice(1) : undefined;
}

/**
 * Decides what pushing a segment file means: validates it (refusing errors) and builds the
 * request. Shapes:
 * - create body (`{"data": {"type": "segment", "attributes": …}}`): POST as is;
 * - update body (`{"data": {…, "id": …}}`): PATCH as is;
 * - resource (`segments/segment-<ID>.json`): PATCH name, definition and is_starred when it has
 *   an id, else POST them;
 * - bare definition: POST with `--name` (or a name from the file name), or PATCH with `--id`.
 */
export function planPush(text: string, options: PlanOptions = {}): PlanOutcome {
  const language = options.language ?? new SegmentLanguage();
  const parsed = language.parse(text);
  const problems = language.validate(parsed, { fileName: options.fileName });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length)
    return {
      ok: false,
      reason: `The definition has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before pushing.`,
      problems: errors,
    };
  const notes = problems.filter((p) => p.severity !== 'error');
  // Plain objects (the parser's have no prototype), exactly what JSON.stringify will send.
  const value = JSON.parse(JSON.stringify(parsed.value)) as unknown;
  const rawDefinition = definitionValue(parsed);
  const definition = rawDefinition ? (JSON.parse(JSON.stringify(rawDefinition)) as Record<string, unknown>) : undefined;
  const idOption = options.id?.trim() || undefined;
  if (idOption !== undefined && !/^[A-Za-z0-9_-]+$/.test(idOption)) return { ok: false, reason: `"${idOption}" is not a segment ID.`, problems: [] };

  switch (parsed.shape) {
    case 'create-body':
    case 'update-body': {
      const data = { ...(value as { data: Record<string, unknown> }).data };
      const attributes = isRecord(data.attributes) ? { ...data.attributes } : {};
      if (options.name !== undefined) attributes.name = options.name;
      data.attributes = attributes;
      const id = idOption ?? (typeof data.id === 'string' ? data.id : undefined);
      if (id !== undefined) {
        data.id = id;
        return {
          ok: true,
          plan: {
            action: 'update',
            id,
            name: typeof attributes.name === 'string' ? attributes.name : undefined,
            shape: parsed.shape,
            request: { method: 'PATCH', path: `/api/segments/${encodeURIComponent(id)}`, body: { data } },
            notes,
          },
        };
      }
      return {
        ok: true,
        plan: {
          action: 'create',
          name: typeof attributes.name === 'string' ? attributes.name : undefined,
          shape: parsed.shape,
          request: { method: 'POST', path: '/api/segments', body: { data } },
          notes,
        },
      };
    }
    case 'resource':
    case 'definition': {
      if (!definition) return { ok: false, reason: 'The file holds no segment definition ({"condition_groups": [...]}).', problems: [] };
      const resource = parsed.shape === 'resource' ? (value as Record<string, unknown>) : {};
      const fileAttributes = isRecord(resource.attributes) ? resource.attributes : {};
      const id = idOption ?? (typeof resource.id === 'string' && resource.id !== '' ? resource.id : undefined);
      const name = options.name ?? segmentName(parsed) ?? (id === undefined ? nameFromFileName(options.fileName) : undefined);
      const attributes: Record<string, unknown> = {};
      if (name !== undefined) attributes.name = name;
      attributes.definition = definition;
      if (typeof fileAttributes.is_starred === 'boolean') attributes.is_starred = fileAttributes.is_starred;
      if (id !== undefined) {
        return {
          ok: true,
          plan: {
            action: 'update',
            id,
            name,
            shape: parsed.shape,
            request: { method: 'PATCH', path: `/api/segments/${encodeURIComponent(id)}`, body: { data: { type: 'segment', id, attributes } } },
            notes,
          },
        };
      }
      if (name === undefined) return { ok: false, reason: 'A new segment needs a name: pass --name.', problems: [] };
      return {
        ok: true,
        plan: {
          action: 'create',
          name,
          shape: parsed.shape,
          request: { method: 'POST', path: '/api/segments', body: { data: { type: 'segment', attributes } } },
          notes,
        },
      };
    }
    case 'condition':
      return {
        ok: false,
        reason: 'The file holds a single condition, not a segment definition: wrap it as {"condition_groups": [{"conditions": [ … ]}]}.',
        problems: [],
      };
    default:
      return { ok: false, reason: 'The file holds no segment definition, create body, update body or segment resource.', problems: [] };
  }
}

export interface PushPreview {
  /** Unified diff of name/is_starred/definition, account → file ('' when nothing changes). */
  diff: string;
  /** Short human lines: what will happen. */
  summary: string[];
  changed: boolean;
  /** The two sides of the diff (pretty JSON), for a diff editor. */
  before: string;
  after: string;
}

function countConditions(definition: unknown): { groups: number; conditions: number } {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  return { groups: groups.length, conditions: groups.reduce((n: number, g) => n + (isRecord(g) && Array.isArray(g.conditions) ? g.conditions.length : 0), 0) };
}

/** What the push changes: the file against the account's current segment (for an update), or against nothing. */
export function previewPush(plan: PushPlan, current?: Resource): PushPreview {
  const sent = (plan.request.body.data.attributes ?? {}) as Record<string, unknown>;
  const currentAttributes = current?.attributes ?? {};
  const view = (attributes: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in attributes).map((k) => [k, attributes[k]]));
  const keys = ['name', 'is_starred', ...('is_active' in sent ? ['is_active'] : []), 'definition'];
  const beforeObject = plan.action === 'update' ? view(currentAttributes, keys) : {};
  const afterObject = plan.action === 'update' ? view({ ...currentAttributes, ...sent }, keys) : view(sent, keys);
  const before = plan.action === 'update' ? `${JSON.stringify(alignKeys(beforeObject, afterObject), null, 2)}\n` : '';
  const after = `${JSON.stringify(afterObject, null, 2)}\n`;
  const label = plan.action === 'update' ? `segment ${plan.id}` : 'new segment';
  const diff = unifiedDiff(before, after, {
    before: plan.action === 'update' ? `klaviyo: ${label}${typeof currentAttributes.name === 'string' ? ` "${currentAttributes.name}"` : ''}` : '/dev/null',
    after: `local: ${label}`,
  });
  const { groups, conditions } = countConditions(sent.definition ?? currentAttributes.definition);
  const shape = `${groups} condition group${groups === 1 ? '' : 's'}, ${conditions} condition${conditions === 1 ? '' : 's'}`;
  const summary: string[] = [];
  if (plan.action === 'create') {
    summary.push(`Create a new segment "${String(sent.name ?? '')}" (${shape}) with POST /api/segments.`);
  } else {
    const currentName = typeof currentAttributes.name === 'string' ? currentAttributes.name : undefined;
    summary.push(`Update segment ${plan.id}${currentName ? ` "${currentName}"` : ''} with PATCH /api/segments/${plan.id}.`);
    if ('name' in sent && sent.name !== currentAttributes.name) summary.push(`Name: "${String(currentAttributes.name ?? '')}" → "${String(sent.name ?? '')}".`);
    if ('definition' in sent && !deepEqual(sent.definition, currentAttributes.definition)) {
      const lines = diff.split('\n').filter((l) => /^[+-](?![+-]{2})/.test(l));
      summary.push(
        `Definition (${shape}): ${lines.filter((l) => l.startsWith('+')).length} line(s) added, ${lines.filter((l) => l.startsWith('-')).length} removed.`,
      );
    }
    if ('is_starred' in sent && sent.is_starred !== currentAttributes.is_starred)
      summary.push(`Starred: ${String(currentAttributes.is_starred)} → ${String(sent.is_starred)}.`);
    if ('is_active' in sent && sent.is_active !== currentAttributes.is_active)
      summary.push(
        sent.is_active === false
          ? 'Deactivates the segment: it stops updating, which affects flows, campaigns and forms that use it.'
          : 'Reactivates the segment.',
      );
  }
  const changed = plan.action === 'create' || diff !== '';
  if (!changed) summary.push('The account already has this definition: nothing to push.');
  return { diff, summary, changed, before, after };
}

/** GET the account's current segment (for the diff of an update). */
export async function fetchSegment(client: KlaviyoClient, id: string, signal?: AbortSignal): Promise<Resource> {
  try {
    return await client.getResource('segment', `/api/segments/${encodeURIComponent(id)}`, signal);
  } catch (error) {
    if (error instanceof KlaviyoError && error.kind === 'not-found')
      throw new KlaviyoError(
        'not-found',
        `The account has no segment ${id} (404): it may have been deleted, or the key belongs to another account. Remove the id from the file to create the segment anew.`,
        { status: 404 },
      );
    throw error;
  }
}

export interface ExecuteOptions {
  apiKey: ApiKey;
  budget?: CreationBudget;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Sends the push. A creation first checks the local daily budget (100/day per account) and is
 * recorded in it afterwards; a 429 asking to wait hours is remembered there too.
 */
export async function executePush(client: KlaviyoClient, plan: PushPlan, options: ExecuteOptions): Promise<Resource> {
  const budget = options.budget ?? new CreationBudget();
  const account = options.apiKey.fingerprint(client.baseUrl);
  const now = options.now ?? Date.now;
  if (plan.action === 'create') {
    const status = budget.status(account);
    if (status.blockedUntil)
      throw new KlaviyoError(
        'budget',
        `Klaviyo's limit of 100 segment creations per day is used up for this account until ${status.blockedUntil} (it answered 429 earlier). Updating existing segments still works.`,
      );
    if (status.remaining <= 0)
      throw new KlaviyoError(
        'budget',
        `This account has created ${status.used} segments in the last 24 hours with Segment Lens, Klaviyo's limit is ${budget.limit} per day; the next creation is possible at ${status.nextSlotAt}. Updating existing segments still works.`,
      );
  }
  try {
    const response = await client.write(plan.action === 'create' ? 'segment-create' : 'segment-update', plan.request.path, plan.request.body, options.signal);
    if (plan.action === 'create') await budget.recordCreation(account);
    return response;
  } catch (error) {
    if (plan.action === 'create' && error instanceof KlaviyoError && error.kind === 'rate-limited' && (error.retryAfterSeconds ?? 0) >= 3600) {
      await budget.blockUntil(account, now() + (error.retryAfterSeconds ?? 0) * 1000);
    }
    throw error;
  }
}

/** The request as `--dry-run` prints it: the key is never shown. */
export function describeRequest(baseUrl: string, request: PushRequest): string {
  return [
    `${request.method} ${baseUrl}${request.path}`,
    'Authorization: Klaviyo-API-Key [redacted]',
    'revision: 2026-07-15',
    'Accept: application/vnd.api+json',
    'Content-Type: application/vnd.api+json',
    '',
    JSON.stringify(request.body, null, 2),
  ].join('\n');
}

function detectIndent(text: string): string {
  const match = /\n([ \t]+)\S/.exec(text);
  return match ? match[1] : '    ';
}

/**
 * The file's new text after a push, so the next push updates the segment: a resource file is
 * replaced by the returned resource; a create body gets `data.id`. Undefined: leave the file.
 */
export function textAfterPush(originalText: string, plan: PushPlan, response: Resource): string | undefined {
  if (plan.shape === 'resource') return segmentFileText(response, detectIndent(originalText));
  if (plan.shape === 'create-body' && plan.action === 'create' && typeof response.id === 'string') {
    const indent = detectIndent(originalText);
    const edits = modify(originalText, ['data', 'id'], response.id, {
      formattingOptions: {
        insertSpaces: !indent.includes('\t'),
        tabSize: indent.includes('\t') ? 1 : indent.length,
        eol: originalText.includes('\r\n') ? '\r\n' : '\n',
      },
    });
    return applyEdits(originalText, edits);
  }
  return undefined;
}
