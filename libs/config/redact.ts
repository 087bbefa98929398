/** Settings whose whole value is a secret, by name (ADMIN_PASSWORD, AUTH_JWT_SECRET, API_KEY_ENCRYPTION_KEY...). */
const SECRET_NAME = /SECRET|PASSWORD|PASSPHRASE|TOKEN|_KEYS?$/i;

/**
 * A setting's value as a config error may print it: secrets hidden, and the password of any URL
 * (`postgres://user:pw@host`) masked, even in a URL too broken to parse.
 */
export function printableValue(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  if (SECRET_NAME.test(name)) return 'a value that is not shown: it is a secret';
  if (typeof value !== 'string') return JSON.stringify(value);
  // A URL setting too broken to show its parts may be a password pasted in the wrong place.
  if (name.endsWith('_URL') && !URL.canParse(value)) return 'a value that is not a URL (not shown)';
  return JSON.stringify(value.replace(/(\/\/[^/?#@:]*:).*@/, '$1***@'));
}
