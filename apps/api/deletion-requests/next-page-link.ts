import type { FastifyRequest } from 'fastify';

/** `Link: <same path and filters, with the cursor>; rel="next"` (RFC 8288). */
export function nextPageLink(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://placeholder');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}
