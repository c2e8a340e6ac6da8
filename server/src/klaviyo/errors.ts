import { redact } from './secret';

export type KlaviyoErrorKind =
  /** 401: the key is wrong, revoked or not a private key. */
  | 'unauthorized'
  /** 403: the key lacks a scope. */
  | 'forbidden'
  /** 429 that we gave up on (too many retries, or a wait longer than allowed, e.g. the daily limit). */
  | 'rate-limited'
  /** 5xx after every retry. */
  | 'server'
  /** The connection failed (refused, reset, DNS) after every retry. */
  | 'network'
  /** No response in time after every retry. */
  | 'timeout'
  /** 404. */
  | 'not-found'
  /** Any other 4xx: the request was wrong. */
  | 'bad-request'
  /** The response was not the JSON:API document we expected. */
  | 'bad-response'
  /** The local daily budget of segment creations is spent. */
  | 'budget'
  /** Configuration problems (bad base URL, missing key). */
  | 'config'
  /** The operation was cancelled. */
  | 'cancelled';

/** A JSON:API error object, as Klaviyo returns them in `errors`. */
export interface ApiErrorObject {
  id?: string;
  status?: number | string;
  code?: string;
  title?: string;
  detail?: string;
  source?: { pointer?: string; parameter?: string };
}

/**
 * Every failure of a Klaviyo call. The message is redacted when the error is built, so it can
 * be shown anywhere (CLI stderr, VS Code notifications) without leaking the key.
 */
export class KlaviyoError extends Error {
  readonly kind: KlaviyoErrorKind;
  readonly status: number | undefined;
  readonly errors: ApiErrorObject[];
  /** Seconds the API asked us to wait (429), when given. */
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: KlaviyoErrorKind, message: string, options: { status?: number; errors?: ApiErrorObject[]; retryAfterSeconds?: number } = {}) {
    super(redact(message));
    this.name = 'KlaviyoError';
    this.kind = kind;
    this.status = options.status;
    this.errors = (options.errors ?? []).map(redactErrorObject);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

function redactErrorObject(error: ApiErrorObject): ApiErrorObject {
  return JSON.parse(redact(JSON.stringify(error))) as ApiErrorObject;
}

/** `errors[]` of a JSON:API error document, as far as the body is one. */
export function errorObjectsOf(body: unknown): ApiErrorObject[] {
  if (typeof body !== 'object' || body === null) return [];
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is ApiErrorObject => typeof e === 'object' && e !== null);
}

/** `detail (at /data/attributes/name)` lines, for messages. */
export function describeErrorObjects(errors: readonly ApiErrorObject[]): string {
  return errors
    .map((e) => {
      const text = e.detail || e.title || e.code || 'error';
      const where = e.source?.pointer ? ` (at ${e.source.pointer})` : e.source?.parameter ? ` (parameter ${e.source.parameter})` : '';
      return `${text}${where}`;
    })
    .join('; ');
}
