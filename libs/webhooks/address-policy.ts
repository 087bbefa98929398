import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { HostNotFoundError } from './host-resolver.js';

/** The longest endpoint URL accepted (the column's width). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** An IPv6 address that carries an IPv4 address, and which form it takes. */
interface Embedding {
  ipv4: ipaddr.IPv4;
  form: string;
}

/**
 * The IPv4 address an IPv6 address embeds: IPv4-mapped (`::ffff:0:0/96`), IPv4-compatible (`::/96`, but `::`
 * and `::1`), IPv4-translated (`::ffff:0:0:0/96`), NAT64 (`64:ff9b::/96`), 6to4 (`2002::/16`) and Teredo
 * (`2001::/32`, its client address inverted).
 */
function embeddedIPv4(address: ipaddr.IPv6): Embedding | undefined {
  const p = address.parts;
  const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const zero = (from: number, to: number) => p.slice(from, to).every((part) => part === 0);
  if (zero(0, 5) && p[5] === 0xffff) return { ipv4: v4(p[6], p[7]), form: 'IPv4-mapped' };
  if (zero(0, 6) && !(p[6] === 0 && p[7] <= 1)) return { ipv4: v4(p[6], p[7]), form: 'IPv4-compatible' };
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return { ipv4: v4(p[6], p[7]), form: 'IPv4-translated' };
  if (p[0] === 0x64 && p[1] === 0xff9b && zero(2, 6)) return { ipv4: v4(p[6], p[7]), form: 'NAT64' };
  if (p[0] === 0x2002) return { ipv4: v4(p[1], p[2]), form: '6to4' };
  if (p[0] === 0x2001 && p[1] === 0) return { ipv4: v4(p[6] ^ 0xffff, p[7] ^ 0xffff), form: 'Teredo' };
  return undefined;
}

const article = (word: string) => (/^[aeiouAEIOU]/.test(word) ? `an ${word}` : `a ${word}`);

/**
 * Why an address may not receive webhooks, or undefined when it may (docs/ARCHITECTURE.md, "Status-change
 * webhooks"): only public unicast addresses may. An IPv6 address embedding an IPv4 one is refused whatever it
 * embeds, naming the embedded address's range when that is not public: a private one would reach the private
 * network through the translation, and a public one is to be registered as itself (delivery refuses these forms,
 * so accepting them would only fail later). `withAddress` false leaves the addresses out (a resolved name's
 * addresses are not shown: they would map the service network's internal names).
 */
export function refusedAddress(address: string, withAddress = true): string | undefined {
  if (!ipaddr.isValid(address)) return withAddress ? `${address} is not an IP address` : 'not an IP address';
  const parsed = ipaddr.parse(address);
  const embedded = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : undefined;
  if (embedded) {
    const range = embedded.ipv4.range();
    const form = article(embedded.form);
    if (!withAddress) return range === 'unicast' ? `${form} address` : `${form} address of ${article(range)} address`;
    return range === 'unicast'
      ? `${address} is ${form} address (register ${embedded.ipv4.toString()} itself)`
      : `${address} embeds ${embedded.ipv4.toString()}, ${article(range)} address`;
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return withAddress ? `${address} is ${article(range)} address` : `${article(range)} address`;
}

export interface UrlPolicy {
  /** NODE_ENV=production: https only, and no port 80. */
  production: boolean;
  /** WEBHOOK_ALLOW_PRIVATE: any address and any port. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_PORTS. */
  allowedPorts: readonly number[];
  /** The host's addresses; throws `HostNotFoundError` when it has none (other errors propagate). */
  resolve: (host: string) => Promise<string[]>;
}

/** WEBHOOK_ALLOWED_PORTS as numbers. */
export const parsePorts = (ports: string): number[] => ports.split(',').map(Number);

/**
 * Why a URL's port may not be used, or undefined when it may (at registration and at delivery): one of
 * WEBHOOK_ALLOWED_PORTS, or 80 outside production (where plain http is allowed); any with WEBHOOK_ALLOW_PRIVATE.
 */
export function portProblem(url: URL, policy: Omit<UrlPolicy, 'resolve'>): string | undefined {
  if (policy.allowPrivate) return undefined;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const allowed = [...new Set([...policy.allowedPorts, ...(policy.production ? [] : [80])])];
  return allowed.includes(port) ? undefined : `url port ${port} is not allowed; allowed: ${allowed.join(', ')}`;
}

/** Why `url` may not be registered, naming the problem, or undefined when it may. */
export async function urlProblem(url: string, policy: UrlPolicy): Promise<string | undefined> {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'url must be an absolute http(s) URL';
  if (policy.production && parsed.protocol !== 'https:') return 'url must use https';
  if (parsed.username || parsed.password) return 'url must not carry credentials';
  if (policy.allowPrivate) return undefined;
  // The WHATWG parser has already normalised the host ([::127.0.0.1] is [::7f00:1], 0x7f.1 is 127.0.0.1).
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await policy.resolve(host);
  } catch (error) {
    if (error instanceof HostNotFoundError) return `url host ${host} does not resolve`;
    throw error;
  }
  if (addresses.length === 0) return `url host ${host} does not resolve`;
  for (const address of addresses) {
    if (!refusedAddress(address)) continue;
    return isIP(host)
      ? `url host ${host} is refused: ${refusedAddress(address)}`
      : `url host ${host} is refused: it resolves to ${refusedAddress(address, false)}`;
  }
  return portProblem(parsed, policy);
}
