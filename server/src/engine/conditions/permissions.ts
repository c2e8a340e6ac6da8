import { isRecord, notEvaluable } from '../outcome';
import { spaced } from '../phrases';
import type { ConditionKind } from './kind';

const NOT_EXPORTED = 'WhatsApp reachability is not in the profile data Klaviyo exports';

/** profile-permissions: whether someone can be reached on WhatsApp (not evaluable locally). */
export const profilePermissions: ConditionKind = {
  type: 'profile-permissions',
  template: {
    title: 'Reachable on WhatsApp',
    description: 'WhatsApp reachability.',
    body: '{ "type": "profile-permissions", "channel": "${1|whatsapp_marketing,whatsapp_transactional|}", "permission": { "reachable_status": "${2|implicitly_or_explicitly_reachable,implicitly_reachable,implicitly_or_explicitly_unreachable,implicitly_unreachable|}" } }',
  },
  evaluate: () => notEvaluable(NOT_EXPORTED),
  explain: () => ({ text: `not evaluable locally: ${NOT_EXPORTED}` }),
  sql: () => ({ notEvaluable: NOT_EXPORTED }),
  describe(c) {
    const permission = isRecord(c.permission) ? c.permission : {};
    return `is ${spaced(permission.reachable_status)} on ${spaced(c.channel).replace('whatsapp', 'WhatsApp')}`;
  },
  notes: () => ['WhatsApp reachability is not in the profile data Klaviyo exports, so this condition is not evaluated locally.'],
};
