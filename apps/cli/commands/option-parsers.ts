import { isSiteId } from '#app/domain';

/** Bad input to a command: the CLI exits 2 with its message (a failure to do the work exits 1). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a whole number option, or stops the command with a message naming the option. */
export function parseWholeNumber(option: string, value: string, min: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new UsageError(`--${option} must be a whole number >= ${min} (got ${JSON.stringify(value)})`);
  }
  return parsed;
}

/** Prints a result as one JSON document: what scripts and tests read. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const PERMISSIONS = ['read', 'write'];

/** `read,write` as given to --permissions; an unknown name stops the command. */
export function parsePermissionList(value: string): string[] {
  const permissions = value.split(',').map((name) => name.trim());
  const unknown = permissions.filter((name) => !PERMISSIONS.includes(name));
  if (unknown.length > 0 || permissions.length === 0) {
    throw new UsageError(`--permissions: unknown ${unknown.join(', ') || '(none)'}; use read and/or write`);
  }
  return [...new Set(permissions)];
}

/** `--site-id`: 1 to 20 letters, digits or underscores, as the API and the accounts table require. */
export function parseSiteId(value: string): string {
  if (!isSiteId(value))
    throw new UsageError(`--site-id must be 1 to 20 letters, digits or underscores (got ${JSON.stringify(value)})`);
  return value;
}
