/**
 * Benchmark workspaces, generated once with the project's generator and cached in
 * `bench/.cache/<size>/`. A cached workspace is reused only when its key (size, profile and event
 * counts, seed and generator version) matches; otherwise it is generated again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as generator from '../server/src/generate';
import { buildSuite, type BenchSegment } from './segments';

export type SizeName = 'S' | 'M' | 'L' | 'XL';

export const SIZES: Readonly<Record<SizeName, { profiles: number; events: number }>> = {
  S: { profiles: 10_000, events: 100_000 },
  M: { profiles: 100_000, events: 1_000_000 },
  L: { profiles: 1_000_000, events: 10_000_000 },
  XL: { profiles: 3_000_000, events: 30_000_000 },
};

export interface CachedWorkspace {
  root: string;
  size: SizeName;
  profiles: number;
  events: number;
  seed: number;
  /** Milliseconds spent generating (0 when reused from the cache). */
  generatedMs: number;
  reused: boolean;
}

/** The repository root (the folder holding this package's package.json). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'segment-lens') return dir;
      } catch {
        // keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the segment-lens repository above ${__dirname}`);
    dir = parent;
  }
}

export function cacheDir(): string {
  return join(repoRoot(), 'bench', '.cache');
}

/**
 * The generator's version: its exported GENERATOR_VERSION when it has one, else a hash of the
 * generator's compiled modules (any change to the generator changes the data it writes).
 */
export function generatorVersion(): string {
  const exported = (generator as Record<string, unknown>).GENERATOR_VERSION;
  if (typeof exported === 'string' || typeof exported === 'number') return String(exported);
  const dir = dirname(require.resolve('../server/src/generate'));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.js'))
    .sort()) {
    hash.update(name);
    hash.update(readFileSync(join(dir, name)));
  }
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

interface CacheKey {
  size: SizeName;
  profiles: number;
  events: number;
  seed: number;
  generator: string;
}

const KEY_FILE = 'bench-key.json';

function sameKey(a: CacheKey, b: CacheKey): boolean {
  return a.size === b.size && a.profiles === b.profiles && a.events === b.events && a.seed === b.seed && a.generator === b.generator;
}

/** Returns the cached workspace of `size`, generating it first when it is missing or stale. */
export async function ensureWorkspace(size: SizeName, seed: number, log: (message: string) => void): Promise<CachedWorkspace> {
  const { profiles, events } = SIZES[size];
  const root = join(cacheDir(), size);
  const key: CacheKey = { size, profiles, events, seed, generator: generatorVersion() };
  const keyPath = join(root, KEY_FILE);
  if (existsSync(keyPath)) {
    try {
      const existing = JSON.parse(readFileSync(keyPath, 'utf8')) as CacheKey;
      if (sameKey(existing, key)) return { root, size, profiles, events, seed, generatedMs: 0, reused: true };
      log(`cached workspace ${size} is stale (${JSON.stringify(existing)}); generating it again`);
    } catch {
      log(`cached workspace ${size} has an unreadable key; generating it again`);
    }
  }
  // Generate into a temporary folder and rename it when complete: an interrupted run never leaves
  // a half-written workspace that a later run would reuse.
  const tmp = `${root}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`generating workspace ${size}: ${profiles.toLocaleString('en-US')} profiles, ${events.toLocaleString('en-US')} events, seed ${seed} → ${root}`);
  const started = Date.now();
  let lastLog = 0;
  await generator.generateWorkspace({
    profiles,
    events,
    seed,
    outDir: tmp,
    onProgress: (p) => {
      const now = Date.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        log(
          `  ${p.phase}: ${p.profilesDone.toLocaleString('en-US')}/${p.profiles.toLocaleString('en-US')} profiles, ${p.eventsWritten.toLocaleString('en-US')} events`,
        );
      }
    },
  });
  const generatedMs = Date.now() - started;
  writeFileSync(join(tmp, KEY_FILE), JSON.stringify(key, null, 2) + '\n');
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
  log(`generated workspace ${size} in ${(generatedMs / 1000).toFixed(1)} s`);
  return { root, size, profiles, events, seed, generatedMs, reused: false };
}

/** Reads `{"data": [...]}` (or a bare array) resources and maps name → id. */
export function idsByName(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const data = Array.isArray(parsed) ? parsed : ((parsed as { data?: unknown[] }).data ?? []);
  const out = new Map<string, string>();
  for (const r of data as { id?: unknown; attributes?: { name?: unknown } }[]) {
    if (typeof r.id === 'string' && typeof r.attributes?.name === 'string') out.set(r.attributes.name, r.id);
  }
  return out;
}

/** The workspace's "now" (epoch ms) from klaviyo-workspace.json. */
export function workspaceNow(root: string): number {
  const marker = JSON.parse(readFileSync(join(root, 'klaviyo-workspace.json'), 'utf8')) as { now?: string };
  const now = marker.now ? Date.parse(marker.now) : NaN;
  if (!Number.isFinite(now)) throw new Error(`${root}/klaviyo-workspace.json has no usable "now"; the benchmark needs a fixed one`);
  return now;
}

/** The benchmark's segment suite for a generated workspace: its metric and list names resolved to IDs, as of its "now". */
export function workspaceSuite(root: string): BenchSegment[] {
  const lookup = (kind: string, map: Map<string, string>) => (name: string) => {
    const id = map.get(name);
    if (!id) throw new Error(`the workspace has no ${kind} named "${name}"`);
    return id;
  };
  const metrics = idsByName(join(root, 'data', 'metrics.json'));
  const lists = idsByName(join(root, 'data', 'lists.json'));
  return buildSuite({ metric: lookup('metric', metrics), list: lookup('list', lists) }, workspaceNow(root));
}
