/**
 * The fixed metric and list catalogue of the generated "Mint Vinyl" account. IDs are constants
 * (the same for every seed), so hand-written segment files work against any generated workspace,
 * the small sample and the large benchmark ones alike.
 */

export interface Integration {
  readonly object: 'integration';
  readonly id: string;
  readonly name: string;
  readonly category: string;
}

export const SHOPIFY: Integration = { object: 'integration', id: 'Shp7Qe', name: 'Shopify', category: 'ecommerce' };
export const KLAVIYO: Integration = { object: 'integration', id: '0rZfLp', name: 'Klaviyo', category: 'internal' };
export const API: Integration = { object: 'integration', id: 'Ap1Kxz', name: 'API', category: 'api' };
export const JUDGE_ME: Integration = { object: 'integration', id: 'Jdg4Mr', name: 'Judge.me', category: 'reviews' };

/** Metric indexes into `METRICS`, used for events internally. */
export const M = {
  PlacedOrder: 0,
  OrderedProduct: 1,
  FulfilledOrder: 2,
  RefundedOrder: 3,
  StartedCheckout: 4,
  ViewedProduct: 5,
  AddedToCart: 6,
  ActiveOnSite: 7,
  ReceivedEmail: 8,
  OpenedEmail: 9,
  ClickedEmail: 10,
  SubmittedReview: 11,
} as const;

export interface MetricDef {
  readonly id: string;
  readonly name: string;
  readonly integration: Integration;
  /** Days after the store opened when the metric first appeared. */
  readonly createdAfterDays: number;
}

/** In `M` order. "Submitted Review" never receives events (a stale metric). */
export const METRICS: readonly MetricDef[] = [
  { id: 'VwxT3a', name: 'Placed Order', integration: SHOPIFY, createdAfterDays: 0 },
  { id: 'Jb8Rk2', name: 'Ordered Product', integration: SHOPIFY, createdAfterDays: 0 },
  { id: 'Gd8jNu', name: 'Fulfilled Order', integration: SHOPIFY, createdAfterDays: 0 },
  { id: 'Ya2kFx', name: 'Refunded Order', integration: SHOPIFY, createdAfterDays: 0 },
  { id: 'Ue2wQy', name: 'Started Checkout', integration: SHOPIFY, createdAfterDays: 0 },
  { id: 'Xq4mPc', name: 'Viewed Product', integration: API, createdAfterDays: 0 },
  { id: 'Hn7sLd', name: 'Added to Cart', integration: API, createdAfterDays: 0 },
  { id: 'Pz6tGv', name: 'Active on Site', integration: API, createdAfterDays: 0 },
  { id: 'Rf3nBk', name: 'Received Email', integration: KLAVIYO, createdAfterDays: 0 },
  { id: 'Mc9yTe', name: 'Opened Email', integration: KLAVIYO, createdAfterDays: 0 },
  { id: 'Ls5hWq', name: 'Clicked Email', integration: KLAVIYO, createdAfterDays: 0 },
  { id: 'Tw7pCm', name: 'Submitted Review', integration: JUDGE_ME, createdAfterDays: 410 },
];

/** Metric IDs by name, for tests and callers. */
export const METRIC_IDS: Readonly<Record<string, string>> = Object.fromEntries(METRICS.map((m) => [m.name, m.id]));

/** List indexes into `LISTS`. */
export const L = {
  Newsletter: 0,
  VipClub: 1,
  RsdWaitlist: 2,
  InstagramGiveaway: 3,
  Wholesale: 4,
} as const;

export interface ListDef {
  readonly id: string;
  /** A function of the workspace's year of Record Store Day (only the waitlist's name uses it). */
  readonly name: (rsdYear: number) => string;
  readonly optInProcess: 'double_opt_in' | 'single_opt_in';
}

/** In `L` order. "Wholesale Inquiries" has no members. */
export const LISTS: readonly ListDef[] = [
  { id: 'NwS7kQ', name: () => 'Newsletter', optInProcess: 'double_opt_in' },
  { id: 'VpC4rX', name: () => 'VIP Club', optInProcess: 'single_opt_in' },
  { id: 'Rd6Wtz', name: (y) => `Record Store Day ${y} Waitlist`, optInProcess: 'single_opt_in' },
  { id: 'Kg3Bva', name: () => 'Instagram Giveaway', optInProcess: 'single_opt_in' },
  { id: 'Wh9Lsq', name: () => 'Wholesale Inquiries', optInProcess: 'single_opt_in' },
];

export const LIST_IDS: Readonly<Record<string, string>> = {
  Newsletter: 'NwS7kQ',
  'VIP Club': 'VpC4rX',
  'Record Store Day Waitlist': 'Rd6Wtz',
  'Instagram Giveaway': 'Kg3Bva',
  'Wholesale Inquiries': 'Wh9Lsq',
};

/** Sign-up form IDs (what `method_detail` carries for FORM consent). */
export const FORMS = {
  popup: 'Pq7Lmx',
  footer: 'Ft2Hnz',
  giveaway: 'Kx9QfW',
  rsdWaitlist: 'Rs4Wfm',
} as const;
