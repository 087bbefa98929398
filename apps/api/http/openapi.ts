import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI description, generated from the controllers and DTOs. */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Personal Data Deletion')
    .setDescription(
      "Ask that a consumer's personal data be erased from the chat, messaging, consumer and ticketing stores. " +
        "A request stays cancellable for the account's cancellation window, then workers erase the data and " +
        'report per store. Every error body is {"statusCode", "error", "message"}.',
    )
    .setVersion('1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Claims: sub, site_ids, permissions.' },
      'bearer',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description:
          'OAuth 1.0a (RFC 5849): `OAuth oauth_consumer_key="...", oauth_token="...", oauth_signature_method="HMAC-SHA1"|"HMAC-SHA256", ...` with an optional oauth_body_hash.',
      },
      'oauth1',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the description at /docs (UI) and /docs-json. */
export function serveOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
