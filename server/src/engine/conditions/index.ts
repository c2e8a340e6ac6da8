import { profileGroupMembership } from './groupMembership';
import { profileHasCustomObject } from './hasCustomObject';
import type { ConditionKind } from './kind';
import { profileMarketingConsent } from './marketingConsent';
import { profileMetric } from './metric';
import { profileMetricFunnel } from './metricFunnel';
import { profilePermissions } from './permissions';
import { profilePostalCodeDistance } from './postalCodeDistance';
import { profilePredictiveAnalytics } from './predictiveAnalytics';
import { profileProperty } from './property';
import { profileRegion } from './region';

export type { CheckContext, ConditionKind, ConditionPath, ConditionTemplate, Evidence, KindProblem, NameLookup } from './kind';

/**
 * Every condition type of API revision 2026-07-15, one module each. The order is the order
 * completion offers them in (the most used first).
 */
export const CONDITION_KINDS: readonly ConditionKind[] = [
  profileMetric,
  profileProperty,
  profileGroupMembership,
  profileMarketingConsent,
  profileMetricFunnel,
  profilePostalCodeDistance,
  profileRegion,
  profilePredictiveAnalytics,
  profileHasCustomObject,
  profilePermissions,
];

const BY_TYPE: ReadonlyMap<string, ConditionKind> = new Map(CONDITION_KINDS.map((kind) => [kind.type, kind]));

/** The kind of a condition by its `type` value (undefined for anything else). */
export function conditionKind(type: unknown): ConditionKind | undefined {
  return typeof type === 'string' ? BY_TYPE.get(type) : undefined;
}
