/** Most slots an account's monthly counter is split into. */
export const MAX_QUOTA_SLOTS = 64;

/**
 * The caps of a monthly limit's slots: `min(64, limit)` slots whose caps add up to exactly `limit`, so the
 * slots together can never hand out more than the limit, and can hand out all of it.
 */
export function slotCaps(limit: number): number[] {
  const slots = Math.max(1, Math.min(MAX_QUOTA_SLOTS, limit));
  return Array.from({ length: slots }, (_, slot) => Math.floor(limit / slots) + (slot < limit % slots ? 1 : 0));
}

/** One unit of one slot of a month's quota, to take with a create. */
export interface QuotaTake {
  month: Date;
  slot: number;
  cap: number;
}
