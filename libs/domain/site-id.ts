/** An account (site) id: 1 to 20 letters, digits or underscores (docs/ARCHITECTURE.md, "Routes"; the accounts table checks it too). */
export const SITE_ID_PATTERN = /^[A-Za-z0-9_]{1,20}$/;

export function isSiteId(value: unknown): value is string {
  return typeof value === 'string' && SITE_ID_PATTERN.test(value);
}
