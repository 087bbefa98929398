import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** The longest endpoint URL accepted (the column's width). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Why an address may not receive webhooks, or undefined when it may: only public unicast addresses may
 * (loopback, private, link-local, multicast, unspecified, reserved... are refused). IPv4-mapped IPv6 is judged
 * as the IPv4 address it carries.
 */
export function refusedAddress(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : `${address} is a ${range} address`;
}

export interface UrlPolicy {
  /** NODE_ENV=production: https only. */
  production: boolean;
  /** WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** Resolves a host name to its addresses (tests replace it). */
  resolve?: (host: string) => Promise<string[]>;
}

const resolveAll = async (host: string): Promise<string[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

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
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (policy.resolve ?? resolveAll)(host);
  } catch {
    return `url host ${host} does not resolve`;
  }
  if (addresses.length === 0) return `url host ${host} does not resolve`;
  for (const address of addresses) {
    const refused = refusedAddress(address);
    if (!refused) continue;
    // A name's resolved address is not shown: it would map the service network's internal names.
    return isIP(host)
      ? `url host ${host} is refused: ${refused}`
      : `url host ${host} is refused: it resolves to ${refused.slice(address.length + ' is '.length)}`;
  }
  return undefined;
}
