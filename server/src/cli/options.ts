import { parseInstant } from '../engine/time';
import { CliUsageError } from './io';

/** What an instant option accepts, for its usage error. */
export const INSTANT_FORMAT = 'an ISO date such as 2026-01-01 or 2026-01-01T12:00:00Z';

/**
 * Reads a date option (`--now`, `--since`) the way the engine reads stored dates (`parseInstant`:
 * no offset means UTC, impossible dates such as 2026-02-30 are rejected), so a command means the
 * same instant on every machine whatever its time zone. Anything else is a usage error (exit 2)
 * naming the option and the format it expects. Returns epoch milliseconds.
 */
export function instantOption(option: string, value: string): number;
export function instantOption(option: string, value: string | undefined): number | undefined;
export function instantOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const instant = parseInstant(value.trim());
  if (instant === undefined) throw new CliUsageError(`${option}: expected ${INSTANT_FORMAT} (got ${JSON.stringify(value)})`);
  return instant;
}
