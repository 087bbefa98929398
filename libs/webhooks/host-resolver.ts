import { withTimeout } from '#app/domain';
import type { LookupOptions } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';

/** How endpoint host names are resolved (docs/ARCHITECTURE.md, "Status-change webhooks"). */
export interface ResolverSettings {
  /** WEBHOOK_DNS_TIMEOUT_MS: the whole resolution, both address families. */
  timeoutMs: number;
  /** WEBHOOK_DNS_SERVERS (`ip` or `ip:port`); unset: the system's. */
  servers?: readonly string[];
}

/** The name does not exist, or has no A or AAAA record: the caller's mistake, not worth a retry. */
export class HostNotFoundError extends Error {}

/** The name servers did not answer within the deadline, or failed: worth a retry. */
export class ResolverUnavailableError extends Error {}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'EBADNAME', 'ENONAME']);

/** `localhost` and `*.localhost` are loopback by definition (RFC 6761): never asked of a name server. */
const isLocalhost = (host: string) => /(^|\.)localhost$/i.test(host.replace(/\.$/, ''));

/**
 * The IPv4 then IPv6 addresses of `host` (an IP literal is its own answer). Asked of the name servers
 * through c-ares (`dns.promises.Resolver`), not `dns.lookup`: a lookup runs on libuv's thread pool and cannot
 * be abandoned, so a silent resolver would hold a thread for the system resolver's own timeouts. One deadline
 * covers both families; on it the queries are cancelled.
 */
export async function resolveHost(host: string, settings: ResolverSettings): Promise<string[]> {
  if (isIP(host)) return [host];
  if (isLocalhost(host)) return ['127.0.0.1', '::1'];
  // c-ares's own timeout is left longer than the deadline, so the deadline (below) is the one that ends the wait.
  const resolver = new Resolver({ timeout: 2 * settings.timeoutMs, tries: 1 });
  if (settings.servers && settings.servers.length > 0) resolver.setServers([...settings.servers]);
  const family = (query: Promise<string[]>) =>
    query.catch((error: NodeJS.ErrnoException) => {
      if (error.code && NOT_FOUND.has(error.code)) return [];
      throw new ResolverUnavailableError(`the name servers failed to resolve ${host} (${error.code ?? error.message})`);
    });
  try {
    const [v4, v6] = await withTimeout(
      Promise.all([family(resolver.resolve4(host)), family(resolver.resolve6(host))]),
      settings.timeoutMs,
      () => new ResolverUnavailableError(`the name servers did not resolve ${host} within ${settings.timeoutMs} ms`),
    );
    const addresses = [...v4, ...v6];
    if (addresses.length === 0) throw new HostNotFoundError(`${host} does not resolve`);
    return addresses;
  } finally {
    resolver.cancel();
  }
}

/**
 * A `lookup` for node:net connections that resolves with `resolveHost` and refuses, with `refuse`, any
 * address it answers (the error says "is not allowed", like `request-filtering-agent`'s).
 */
export function boundedLookup(
  settings: ResolverSettings,
  refuse: (address: string) => string | undefined,
): LookupFunction {
  return (hostname: string, options: LookupOptions, callback): void => {
    resolveHost(hostname, settings).then(
      (found) => {
        const refused = found.map(refuse).find((problem) => problem !== undefined);
        if (refused)
          return callback(Object.assign(new Error(`${hostname} is not allowed`), { code: 'EREFUSEDADDRESS' }), []);
        const only = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const wanted = found
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => !only || entry.family === only);
        if (wanted.length === 0) {
          return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), []);
        }
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (error: Error) =>
        callback(Object.assign(error, { code: (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND' }), []),
    );
  };
}
