import { STORE_NAMES, type StoreName } from '#app/domain';
import { isISO8601 } from 'class-validator';
import { UsageError } from './option-parsers.js';

/** `--store`: one of the four stores. */
export function parseStore(value: string): StoreName {
  if (!STORE_NAMES.includes(value as StoreName)) {
    throw new UsageError(`--store: unknown store ${JSON.stringify(value)}; known: ${STORE_NAMES.join(', ')}`);
  }
  return value as StoreName;
}

/**
 * `--since`: the backup's time, ISO-8601: a day (`2026-11-24`, UTC midnight) or a date-time with its offset
 * (`2026-11-24T03:00:00Z`, `...+01:00`). A time without an offset is refused rather than read as local time;
 * so is a time in the future (no backup is from then).
 */
export function parseSince(value: string, now: Date = new Date()): Date {
  const refuse = (why: string): never => {
    throw new UsageError(`--since: ${JSON.stringify(value)} ${why}`);
  };
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value);
  if ((!dateOnly && !dateTime) || !isISO8601(value, { strict: true, strictSeparator: true })) {
    refuse('is not an ISO-8601 date or date-time (e.g. 2026-11-24T03:00:00Z)');
  }
  if (dateTime && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) refuse('has no UTC offset (add Z or +hh:mm)');
  const at = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) refuse('is not a time that exists');
  if (at.getTime() > now.getTime()) refuse(`is in the future (now is ${now.toISOString()})`);
  return at;
}
