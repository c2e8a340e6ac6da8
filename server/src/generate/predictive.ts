/**
 * A profile's predictive part (`attributes.predictive_analytics`): CLV, churn and next-order
 * estimates from its orders (none for most non-buyers and for very new buyers), channel affinity
 * and predicted gender.
 */
import { DAY, isoSeconds } from './calendar';
import type { FirstName } from './catalog';
import type { GenContext } from './context';
import { round2 } from './jsonText';
import type { Order } from './profileParts';
import type { Rng } from './prng';

/** What the profile can receive and how it engages, for the channel ranking. */
export interface ChannelInfo {
  email: boolean;
  sms: boolean;
  push: boolean;
  emailEngagement: number;
  hasEvents: boolean;
}

export function predictiveAnalytics(
  rng: Rng,
  ctx: GenContext,
  orders: readonly Order[],
  name: FirstName,
  first: string | null,
  ch: ChannelInfo,
): Record<string, unknown> | null {
  const gender =
    first === null
      ? 'uncertain'
      : name.gender === 'F'
        ? rng.chance(0.93)
          ? 'likely_female'
          : 'uncertain'
        : name.gender === 'M'
          ? rng.chance(0.93)
            ? 'likely_male'
            : 'uncertain'
          : 'uncertain';
  const ranked: string[] = [];
  const rank: Record<string, string> = {};
  const channels: [string, number][] = [];
  if (ch.email) channels.push(['email', 0.4 + ch.emailEngagement + rng.next() * 0.3]);
  if (ch.sms) channels.push(['sms', 0.3 + rng.next() * 0.8]);
  if (ch.push) channels.push(['push', 0.2 + rng.next() * 0.6]);
  channels.sort((a, b) => b[1] - a[1]);
  for (const [c, score] of channels) {
    ranked.push(c);
    rank[c] = score > 0.9 ? 'high' : score > 0.55 ? 'medium' : 'low';
  }

  if (orders.length === 0) {
    if (!ch.hasEvents || !rng.chance(0.45)) return null;
    const predictedClv = round2(rng.chance(0.6) ? 0 : rng.exp(12));
    return {
      historic_clv: 0,
      predicted_clv: predictedClv,
      total_clv: predictedClv,
      historic_number_of_orders: 0,
      predicted_number_of_orders: round2(predictedClv > 0 ? rng.between(0.05, 0.4) : 0),
      average_days_between_orders: null,
      average_order_value: null,
      churn_probability: null,
      expected_date_of_next_order: null,
      ranked_channel_affinity: ranked,
      predicted_gender: gender,
      channel_affinity_rank: rank,
    };
  }
  if (!rng.chance(0.92)) return null;
  const n = orders.length;
  const historic = round2(orders.reduce((s, o) => s + o.value, 0));
  const aov = round2(historic / n);
  const firstT = orders[0]!.t;
  const lastT = orders[n - 1]!.t;
  const avgDays = n >= 2 ? Math.round((lastT - firstT) / (n - 1) / DAY) : null;
  const gap = Math.max(14, avgDays ?? 180);
  const since = (ctx.now - lastT) / DAY;
  // Too new to predict: the model needs some history.
  if (since < 14 && n === 1 && rng.chance(0.6)) {
    return {
      historic_clv: historic,
      predicted_clv: null,
      total_clv: null,
      historic_number_of_orders: n,
      predicted_number_of_orders: null,
      average_days_between_orders: null,
      average_order_value: aov,
      churn_probability: null,
      expected_date_of_next_order: null,
      ranked_channel_affinity: ranked,
      predicted_gender: gender,
      channel_affinity_rank: rank,
    };
  }
  const churn = Math.min(0.99, Math.max(0.01, round2(1 / (1 + Math.exp(-(since - 1.5 * gap) / (0.5 * gap))) + rng.between(-0.04, 0.04))));
  const predictedOrders = round2((1 - churn) * Math.min(12, 365 / gap) * rng.between(0.6, 0.9));
  const predictedClv = round2(predictedOrders * aov);
  return {
    historic_clv: historic,
    predicted_clv: predictedClv,
    total_clv: round2(historic + predictedClv),
    historic_number_of_orders: n,
    predicted_number_of_orders: predictedOrders,
    average_days_between_orders: avgDays,
    average_order_value: aov,
    churn_probability: churn,
    expected_date_of_next_order: isoSeconds(Math.floor(lastT + gap * DAY)),
    ranked_channel_affinity: ranked,
    predicted_gender: gender,
    channel_affinity_rank: rank,
  };
}
