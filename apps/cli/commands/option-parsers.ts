/** Parses a whole number option, or stops the command with a message naming the option. */
export function parseWholeNumber(option: string, value: string, min: number): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new Error(`--${option} must be a whole number >= ${min} (got ${JSON.stringify(value)})`);
  }
  return parsed;
}

/** Prints a result as one JSON document: what scripts and tests read. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
