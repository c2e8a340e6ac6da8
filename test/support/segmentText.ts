/** Segment file texts the protocol tests and the in-process feature fixtures both write. */

/** A bare definition with one group holding `conditions` (JSON texts), pretty enough to read. */
export const definition = (...conditions: string[]) => `{
  "condition_groups": [
    {
      "conditions": [
        ${conditions.join(',\n        ')}
      ]
    }
  ]
}`;
