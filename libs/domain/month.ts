/** The first instant (UTC) of the calendar month holding `at`. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The first instant (UTC) of the month after the one holding `at`: when a monthly quota resets. */
export function nextMonthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/** The UTC calendar day of `at` as `YYYY-MM-DD` (how PostgreSQL `date` parameters are sent). */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
