import { createHash, createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface ApiKeyCredentials {
  consumer_key: string;
  consumer_secret: string;
  token: string;
  token_secret: string;
}

/**
 * An `Authorization: OAuth ...` value made with the `oauth-1.0a` package (someone else's reading of
 * RFC 5849) over `url`, the URL the client believes it calls.
 */
export function oauthHeader(
  key: ApiKeyCredentials,
  request: { url: string; method: string; body?: string },
  options: { timestamp?: number; bodyHash?: boolean } = {},
): string {
  const oauth = new OAuth({
    consumer: { key: key.consumer_key, secret: key.consumer_secret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, signingKey) => createHmac('sha256', signingKey).update(base).digest('base64'),
    body_hash_function: (body: string) => createHash('sha256').update(body).digest('base64'),
  });
  if (options.timestamp !== undefined) oauth.getTimeStamp = () => options.timestamp!;
  const data = {
    url: request.url,
    method: request.method,
    ...(options.bodyHash ? { data: request.body ?? '', includeBodyHash: true } : {}),
  };
  return oauth.toHeader(oauth.authorize(data, { key: key.token, secret: key.token_secret })).Authorization;
}
