/** The IETF RateLimit headers of the monthly quota, on a 201 and on its 429 alike. */
export function rateLimitHeaders(quota: {
  limit: number;
  remaining: number;
  resetInSeconds: number;
}): Record<string, string> {
  return {
    'RateLimit-Limit': String(quota.limit),
    'RateLimit-Remaining': String(Math.max(0, quota.remaining)),
    'RateLimit-Reset': String(quota.resetInSeconds),
  };
}
