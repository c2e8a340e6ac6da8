import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Every key value this process has seen, so that `redact` can scrub it from any text, whatever
 * path the text took (an error message built from a proxy's echo, a stack, a log line).
 */
const knownSecrets = new Set<string>();

/** Klaviyo private keys look like `pk_` followed by hex; scrub anything of that shape too. */
const PRIVATE_KEY_PATTERN = /\bpk_[A-Za-z0-9_-]{6,}/g;
const AUTH_HEADER_PATTERN = /(Klaviyo-API-Key)\s+[^\s"',;]+/gi;

export const REDACTED = '[redacted]';

/** Replaces every known key, anything shaped like a private key and any Authorization value. */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  return out.replace(AUTH_HEADER_PATTERN, `$1 ${REDACTED}`).replace(PRIVATE_KEY_PATTERN, REDACTED);
}

/** `redact` for an unknown thrown value: its message (and the messages of its causes). */
export function redactError(error: unknown): string {
  if (error instanceof Error) {
    const parts = [error.message];
    let cause: unknown = (error as { cause?: unknown }).cause;
    for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
      if (!parts.some((p) => p.includes(cause instanceof Error ? cause.message : ''))) parts.push(cause.message);
      cause = (cause as { cause?: unknown }).cause;
    }
    return redact(parts.join(': '));
  }
  return redact(String(error));
}

/**
 * A Klaviyo private API key. The value sits in a private field: printing, logging, JSON or
 * `util.inspect` of the object shows `[redacted]`. Only the HTTP client reads it, to build the
 * `Authorization` header.
 */
export class ApiKey {
  readonly #value: string;

  constructor(value: string) {
    const trimmed = value.trim();
    if (!trimmed) throw new Error('The Klaviyo API key is empty.');
    if (/\s/.test(trimmed)) throw new Error('The Klaviyo API key must not contain spaces.');
    this.#value = trimmed;
    knownSecrets.add(trimmed);
  }

  /** The header value. Callers must not log it. */
  authorizationHeader(): string {
    return `Klaviyo-API-Key ${this.#value}`;
  }

  /** Whether the key looks like a private key (`pk_…`); public site IDs do not work with these endpoints. */
  looksPrivate(): boolean {
    return this.#value.startsWith('pk_');
  }

  /**
   * A short, non-reversible account fingerprint: keys the local creation budget per key and
   * base URL without storing the key.
   */
  fingerprint(baseUrl: string): string {
    return createHash('sha256').update(`${baseUrl}\n${this.#value}`).digest('hex').slice(0, 16);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `ApiKey(${REDACTED})`;
  }
}

/** The CLI's key: the `KLAVIYO_API_KEY` environment variable only (never a flag). */
export const API_KEY_ENV = 'KLAVIYO_API_KEY';

/**
 * Reads the key from the environment and removes it from `process.env`, so no child process or
 * environment dump can see it afterwards.
 */
export function apiKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): ApiKey | undefined {
  const value = env[API_KEY_ENV];
  if (value === undefined || value.trim() === '') return undefined;
  delete env[API_KEY_ENV];
  return new ApiKey(value);
}
