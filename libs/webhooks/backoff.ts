/** The retry schedule of a delivery (docs/ARCHITECTURE.md, "Status-change webhooks"). */
export interface RetrySchedule {
  baseMs: number;
  maxDelayMs: number;
  /** Retries stop this long after the round's first attempt. */
  windowMs: number;
}

/** The delay before retry `attempt` (1 after the first failure): doubling from `baseMs`, capped. */
export function retryDelayMs(attempt: number, schedule: RetrySchedule): number {
  const doubled = schedule.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40);
  return Math.min(doubled, schedule.maxDelayMs);
}

/** When a failed delivery is next tried, or null to give up: the next try would fall past the window. */
export function nextAttemptAt(attempts: number, retryFrom: Date, now: Date, schedule: RetrySchedule): Date | null {
  const at = now.getTime() + retryDelayMs(attempts, schedule);
  return at > retryFrom.getTime() + schedule.windowMs ? null : new Date(at);
}
