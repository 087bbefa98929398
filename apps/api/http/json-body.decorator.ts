import {
  BadRequestException,
  createParamDecorator,
  ExecutionContext,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { JsonValueError, jsonLimitProblem, parseLimitedJson } from './json-limits.js';
import { BODY_LIMIT_BYTES, RawBody } from './raw-body.js';
import { isUtf8 } from 'node:buffer';
import { markDecodedJson } from './decoded-json.js';

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The request body as a JSON object: 415 for another content type, 413 past the limit,
 * 400 past the depth, length and count limits (checked before anything recursive runs), for malformed JSON or
 * a body that is not an object. Then the global ValidationPipe checks the DTO.
 */
export const JsonBody = createParamDecorator(
  (limits: { maxStringLength?: number } | undefined, context: ExecutionContext): object => {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    return decodeJsonBody(body, limits?.maxStringLength);
  },
);

/** `maxStringLength`: for a route whose strings may be longer than ids (a webhook URL). */
export function decodeJsonBody(body: unknown, maxStringLength?: number): object {
  if (!(body instanceof RawBody) || body.bytes.length === 0) {
    throw new BadRequestException('the request body is missing: send a JSON object');
  }
  if (!JSON_CONTENT_TYPE.test(body.contentType)) {
    throw new UnsupportedMediaTypeException(
      `Content-Type must be application/json (got ${JSON.stringify(body.contentType || 'none')})`,
    );
  }
  if (body.bytes.length > BODY_LIMIT_BYTES) {
    throw new PayloadTooLargeException(`the request body must be at most ${BODY_LIMIT_BYTES} bytes`);
  }
  // Decoding would silently turn invalid bytes into U+FFFD inside an id.
  if (!isUtf8(body.bytes)) throw new BadRequestException('the request body is not valid UTF-8');
  const text = body.bytes.toString('utf8');
  const problem = jsonLimitProblem(text, maxStringLength);
  if (problem) throw new BadRequestException(problem);
  let parsed: unknown;
  try {
    parsed = parseLimitedJson(text);
  } catch (error) {
    if (error instanceof JsonValueError) throw new BadRequestException(error.message);
    throw new BadRequestException(`the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestException('the request body must be a JSON object');
  }
  return markDecodedJson(parsed);
}
