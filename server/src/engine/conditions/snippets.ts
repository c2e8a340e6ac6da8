/** Operator choices the completion templates offer (snippet `${n|a,b|}` syntax). */
export const NUMERIC_OPERATOR_CHOICES = 'greater-than-or-equal,greater-than,equals,not-equals,less-than,less-than-or-equal';
export const STRING_OPERATOR_CHOICES = 'equals,not-equals,contains,not-contains,starts-with,not-starts-with,ends-with,not-ends-with';
