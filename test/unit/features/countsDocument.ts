/**
 * The segment the code lens and inlay hint fixtures count: VIP Club members AND (in the US OR in
 * the EU). `^ group N` marks where each group starts, `^ <name>` the last character of each
 * condition (markers: ./fixture.ts).
 */
import { MEMBERS, profilesInCountries } from './tinyShop';

export const COUNTED = `{
  "condition_groups": [
    { "conditions": [
//  ^ group 1
      { "type": "profile-group-membership", "is_member": true, "group_ids": ["VpC4rX"] }
//                                                                                     ^ vip
    ] },
    { "conditions": [
//  ^ group 2
      { "type": "profile-region", "in_region": true, "region": "united_states" },
//                                                                             ^ us
      { "type": "profile-region", "in_region": true, "region": "european_union" }
//                                                                              ^ eu
    ] }
  ]
}`;

/** What the counts must be, from the records of ./tinyShop.ts. */
export const EXPECTED = (() => {
  const vip = new Set(MEMBERS.VpC4rX.map((m: { id: string }) => m.id));
  const us = profilesInCountries('United States');
  const eu = profilesInCountries('Germany', 'Italy');
  const either = new Set([...us, ...eu]);
  return { vip: vip.size, us: us.size, eu: eu.size, group2: either.size, both: [...vip].filter((id) => either.has(id)).length };
})();
