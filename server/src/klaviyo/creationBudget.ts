import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, parseInstant } from '../engine/time';
import { writeFileAtomic } from './files';

/** Klaviyo allows 100 segment creations per day per account. */
export const DAILY_CREATION_LIMIT = 100;

/**
 * Where Segment Lens keeps small caches: $SEGMENT_LENS_CACHE_DIR, else $XDG_CACHE_HOME/segment-lens,
 * else %LOCALAPPDATA%\segment-lens on Windows, else ~/.cache/segment-lens.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEGMENT_LENS_CACHE_DIR) return env.SEGMENT_LENS_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'segment-lens');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'segment-lens');
  return join(homedir(), '.cache', 'segment-lens');
}

interface BudgetFile {
  version: 1;
  /** Keyed by an account fingerprint (a hash of base URL and key; never the key). */
  accounts: Record<string, { created: string[]; blockedUntil?: string }>;
}

export interface BudgetStatus {
  used: number;
  remaining: number;
  /** When the oldest creation of the window leaves it (the next slot), when the budget is spent. */
  nextSlotAt?: string;
  /** When Klaviyo told us (429) the daily limit is spent, until when. */
  blockedUntil?: string;
}

/**
 * A local count of segment creations in the last 24 hours, per account, so a push can stop
 * before Klaviyo's 100/day limit instead of failing at it (other tools creating segments in
 * the same account are not counted; Klaviyo's 429 is then reported as it comes).
 */
export class CreationBudget {
  constructor(
    readonly file: string = join(cacheDir(), 'klaviyo-creations.json'),
    readonly limit: number = DAILY_CREATION_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  private read(): BudgetFile {
    try {
      const value = JSON.parse(readFileSync(this.file, 'utf8')) as BudgetFile;
      if (value && value.version === 1 && typeof value.accounts === 'object' && value.accounts !== null) return value;
    } catch {
      // Missing or broken: start empty.
    }
    return { version: 1, accounts: {} };
  }

  private async write(value: BudgetFile): Promise<void> {
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(value, null, 1)}\n`);
    } catch {
      // A cache: failing to write it must not fail the push.
    }
  }

  private window(entry: { created: string[] } | undefined): number[] {
    const since = this.now() - DAY_MS;
    return (entry?.created ?? [])
      .map((t) => parseInstant(t))
      .filter((t): t is number => t !== undefined && t > since)
      .sort((a, b) => a - b);
  }

  status(account: string): BudgetStatus {
    const entry = this.read().accounts[account];
    const times = this.window(entry);
    const remaining = Math.max(0, this.limit - times.length);
    const status: BudgetStatus = { used: times.length, remaining };
    if (remaining === 0) status.nextSlotAt = new Date(times[times.length - this.limit] + DAY_MS).toISOString();
    if (entry?.blockedUntil && (parseInstant(entry.blockedUntil) ?? 0) > this.now()) status.blockedUntil = entry.blockedUntil;
    return status;
  }

  async recordCreation(account: string): Promise<void> {
    const file = this.read();
    const entry = file.accounts[account] ?? { created: [] };
    entry.created = [...this.window(entry).map((t) => new Date(t).toISOString()), new Date(this.now()).toISOString()];
    file.accounts[account] = entry;
    await this.write(file);
  }

  /** Klaviyo answered 429 with a long Retry-After: remember it. */
  async blockUntil(account: string, until: number): Promise<void> {
    const file = this.read();
    const entry = file.accounts[account] ?? { created: [] };
    entry.blockedUntil = new Date(until).toISOString();
    file.accounts[account] = entry;
    await this.write(file);
  }
}
