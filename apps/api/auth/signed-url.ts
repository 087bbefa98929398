import type { AppConfig } from '#app/config';
import { InvalidRequestError } from '#app/domain';
import type { FastifyRequest } from 'fastify';

/** A host name, IPv4 or bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The URL an OAuth 1.0a client signed (RFC 5849 §3.4.1.2): `PUBLIC_BASE_URL` and the request's path and query;
 * without it, the request's protocol and Host, or the forwarded ones when TRUST_PROXY (the proxy's own, the
 * last of each list, as Fastify reads them). A Host that is not a host is 400: nothing can have been signed.
 */
export function signedUrl(request: FastifyRequest, config: AppConfig): URL {
  if (!request.url.startsWith('/')) throw new InvalidRequestError('the request target must be a path');
  if (config.PUBLIC_BASE_URL) {
    const base = new URL(config.PUBLIC_BASE_URL);
    return new URL(`${base.pathname.replace(/\/$/, '')}${request.url}`, base.origin);
  }
  const protocol = (config.TRUST_PROXY && lastOf(request.headers['x-forwarded-proto'])) || request.protocol;
  if (protocol !== 'http' && protocol !== 'https') {
    throw new InvalidRequestError('X-Forwarded-Proto must be http or https');
  }
  const host = (config.TRUST_PROXY && lastOf(request.headers['x-forwarded-host'])) || request.headers.host;
  if (!host || host.length > 260 || !HOST.test(host)) {
    throw new InvalidRequestError('the Host header must be a host name or address with an optional port');
  }
  try {
    return new URL(request.url, `${protocol}://${host}`);
  } catch {
    throw new InvalidRequestError('the Host header must be a host name or address with an optional port');
  }
}

function lastOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  return value?.split(',').pop()?.trim() || undefined;
}
