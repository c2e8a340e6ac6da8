/**
 * What the parts of one profile's generation (profile.ts and the modules it calls, one per part)
 * hand each other: the profile being built, its e-mail consent state, its orders, and the event
 * list with its budget.
 */
import type { FirstName, Product } from './catalog';
import type { GenContext } from './context';
import type { Place } from './geo';
import type { ProfilePlan } from './profilePlan';
import type { Rng } from './prng';

/** An event before it gets its ID: time, metric index and properties. */
export interface GenEvent {
  t: number;
  seq: number;
  m: number;
  /**
   * The `event_properties` object as JSON text without its opening brace: `"$value":12.5,...}`.
   * When `needsId`, the writer prepends `"$event_id":"<the event's ID>",`.
   */
  body: string;
  needsId: boolean;
}

export interface Membership {
  readonly list: number;
  readonly joined: number;
}

export type Origin = 'import' | 'giveaway' | 'rsd' | 'in-store' | 'checkout' | 'popup' | 'footer' | 'back-in-stock' | 'preference-page' | 'api' | 'none';
export type Consent = 'SUBSCRIBED' | 'UNSUBSCRIBED' | 'NEVER_SUBSCRIBED';

export interface Suppression {
  reason: string;
  timestamp: number;
}

export interface EmailState {
  consent: Consent;
  consentTs: number | null;
  method: string | null;
  methodDetail: string | null;
  customMethodDetail: string | null;
  doubleOptin: boolean | null;
  suppression: Suppression[];
  listSuppressions: { list_id: string; reason: string; timestamp: number }[];
  /** When they first subscribed (before a later unsubscribe), for list joins and welcome e-mails. */
  subscribedAt: number | null;
  /** Campaign e-mails are received in [mailFrom, mailUntil]; null when none. */
  mailFrom: number | null;
  mailUntil: number;
}

export interface Order {
  t: number;
  id: string;
  items: Product[];
  qty: number[];
  value: number;
  source: string;
  discount: string | null;
  fulfilledAt: number | null;
}

/** Name, e-mail address and phone number. */
export interface Identity {
  readonly firstName: FirstName;
  /** The last name as the pool spells it (ASCII), for e-mail addresses. */
  readonly lastNameRaw: string;
  /** What the profile stores (null: left empty). */
  readonly first: string | null;
  readonly last: string | null;
  /** Signed up by text message only: no e-mail address. */
  readonly phoneOnly: boolean;
  readonly email: string | null;
  /** Lower-cased domain of `email`. */
  readonly emailDomain: string | null;
  readonly organization: string | null;
  readonly title: string | null;
  /** A misspelled mailbox domain (gmial.com): the address bounces as invalid. */
  readonly typoDomain: boolean;
  /** A work address: more bounces and security scanners that click every link. */
  readonly companyDomain: boolean;
  readonly phone: string | null;
}

/** The profile being generated: its plan, its random stream and what the earlier parts decided. */
export interface ProfileSubject {
  readonly ctx: GenContext;
  readonly plan: ProfilePlan;
  /** The profile's own random stream: every part draws from it in a fixed order (the output depends on that order). */
  readonly rng: Rng;
  readonly id: string;
  readonly place: Place;
  readonly identity: Identity;
  readonly origin: Origin;
  readonly em: EmailState;
  /** When a checkout or in-store customer placed the order that created the profile. */
  readonly firstOrderAt: number | null;
  readonly favoriteGenre: string | null;
}

/** The profile's events, in the order generated, and how many the budget still allows. */
export class ProfileEvents {
  readonly list: GenEvent[] = [];
  private seq = 0;

  constructor(public remaining: number) {}

  push(t: number, m: number, body: string, needsId = false): void {
    this.list.push({ t, seq: this.seq++, m, body, needsId });
    this.remaining--;
  }
}
