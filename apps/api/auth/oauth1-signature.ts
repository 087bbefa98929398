import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires (unreserved characters stay). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export const HASH_OF: Readonly<Record<SignatureMethod, 'sha1' | 'sha256'>> = {
  'HMAC-SHA1': 'sha1',
  'HMAC-SHA256': 'sha256',
};

/** Parses `OAuth k="v", ...` (values percent-decoded); undefined when malformed or a name repeats. */
export function parseOAuthHeader(credentials: string): Map<string, string> | undefined {
  const params = new Map<string, string>();
  for (const part of credentials.split(',')) {
    const match = /^\s*([A-Za-z0-9_.~-]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!match || params.has(match[1])) return undefined;
    try {
      params.set(match[1], decodeURIComponent(match[2]));
    } catch {
      return undefined;
    }
  }
  return params;
}

/** The signature base string (RFC 5849 §3.4.1): method, base URI and the normalized parameters. */
export function signatureBaseString(method: string, url: URL, oauthParams: Map<string, string>): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of url.searchParams) pairs.push([name, value]);
  for (const [name, value] of oauthParams)
    if (name !== 'realm' && name !== 'oauth_signature') pairs.push([name, value]);
  const normalized = pairs
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const port =
    url.port && !((url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443'))
      ? `:${url.port}`
      : '';
  const baseUri = `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
  return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join('&');
}

export function sign(method: SignatureMethod, baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(HASH_OF[method], key).update(baseString).digest('base64');
}

export function bodyHash(method: SignatureMethod, body: Buffer): string {
  return createHash(HASH_OF[method]).update(body).digest('base64');
}

/** Constant-time comparison of two base64 strings. */
export function sameBase64(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'base64');
  const b = Buffer.from(expected, 'base64');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
