import type { FastifyInstance } from 'fastify';

/** Largest JSON body the API takes (docs/ARCHITECTURE.md, "Status codes"); past it, 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/**
 * What Fastify reads at most before it cuts the connection short with its own 413. Bodies are read before the
 * caller is authenticated (401 comes before 413), so this bounds what an anonymous client makes the API buffer.
 */
export const HARD_BODY_LIMIT_BYTES = 4 * BODY_LIMIT_BYTES;

/** A body as received, decoded only once the caller is authenticated (so 401/403 come before 400/413/415). */
export class RawBody {
  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
  ) {}
}

/** Replaces Fastify's parsers with one that keeps every body raw for `@JsonBody()` to decode later. */
export function keepBodiesRaw(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HARD_BODY_LIMIT_BYTES }, (request, body, done) =>
    done(null, new RawBody(request.headers['content-type'] ?? '', body as Buffer)),
  );
}
