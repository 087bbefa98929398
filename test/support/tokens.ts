import { mintToken } from '../../apps/cli/tokens/mint-token.js';
import { TEST_JWT_SECRET } from './test-environment.js';

/** A bearer header for `siteId`, with read and write unless told otherwise. */
export async function bearer(
  siteId: string,
  options: { user?: string; permissions?: string[]; secret?: string; ttlSeconds?: number } = {},
): Promise<string> {
  const token = await mintToken(options.secret ?? TEST_JWT_SECRET, {
    subject: options.user ?? 'Mike',
    siteIds: [siteId],
    permissions: options.permissions ?? ['read', 'write'],
    ttlSeconds: options.ttlSeconds ?? 600,
  });
  return `Bearer ${token}`;
}
