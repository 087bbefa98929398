import type { FastifyInstance } from 'fastify';

export interface ServedRoute {
  method: string;
  url: string;
}

const registries = new WeakMap<object, ServedRoute[]>();

/** Records every route Fastify registers from now on, so the served routes can be compared with /docs-json. */
export function recordRoutes(fastify: FastifyInstance): void {
  const routes: ServedRoute[] = [];
  registries.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: method.toUpperCase(), url: route.url });
  });
}

/** The routes recorded for this Fastify instance. */
export function servedRoutes(fastify: FastifyInstance): readonly ServedRoute[] {
  return registries.get(fastify) ?? [];
}
