const MAX_BIGINT = 9223372036854775807n;

/** A request id as text: a positive whole number that fits PostgreSQL's bigint (the ids are bigserial). */
export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}
