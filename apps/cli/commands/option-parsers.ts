import { isSiteId, parsePermissions } from '#app/domain';

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

/** `read,write` as given to --permissions, each once; an unknown name stops the command. */
export function parsePermissionList(value: string): string[] {
  try {
    return [...new Set(parsePermissions(value))];
  } catch (error) {
    throw new UsageError(`--permissions: ${(error as Error).message}`);
  }
}

/** `--site-id`: 1 to 20 letters, digits or underscores, as the API and the accounts table require. */
export function parseSiteId(value: string): string {
  if (!isSiteId(value))
    throw new UsageError(`--site-id must be 1 to 20 letters, digits or underscores (got ${JSON.stringify(value)})`);
  return value;
}
