import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiDocument } from '../apps/api/http/openapi.js';
import { servedRoutes } from '../apps/api/http/route-registry.js';
import { createTestApi } from './support/api.js';
import { call, listen } from './support/http.js';
import { freePort } from './support/ports.js';
import { startApp, stopApp, type AppProcess } from './support/processes.js';
import { freshDatabase, suiteConfig } from './support/test-environment.js';
import { waitFor } from './support/wait.js';

describe('the OpenAPI description', () => {
  /** In process, for the routes it serves. */
  let app: NestFastifyApplication;
  let api: AppProcess;
  let apiBase: string;

  beforeAll(async () => {
    const config = suiteConfig('openapi');
    await freshDatabase(config);
    app = await createTestApi(config);
    await listen(app);
    const port = await freePort();
    apiBase = `http://127.0.0.1:${port}`;
    api = startApp('api', 'openapi-api', config, { PORT: String(port) });
    await waitFor(
      'the built API',
      async () => (await fetch(`${apiBase}/docs-json`).catch(() => undefined))?.status,
      30_000,
      200,
    );
  });

  afterAll(async () => {
    await stopApp(api);
    await app.close();
  });

  it('serves a valid OpenAPI 3 description at /docs-json, and the UI at /docs', async () => {
    const document = (await call(`${apiBase}/docs-json`)).body;
    expect(document.openapi).toMatch(/^3\./);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearer', 'oauth1']);
    const ui = await fetch(`${apiBase}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('documents every route the app serves, and no other', async () => {
    const document = (await call(`${apiBase}/docs-json`)).body as ReturnType<typeof openApiDocument>;
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
          .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    // The in-process app serves the same routes as the built one, less the docs UI (see createTestApi).
    const served = servedRoutes(app.getHttpAdapter().getInstance())
      .filter((route) => route.method !== 'HEAD')
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(documented).toEqual([...new Set(served)]);
  });
});
