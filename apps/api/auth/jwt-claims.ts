import { isPrintableText, isSystemActorName, parsePermissions, systemActorRefusal } from '#app/domain';
import type { JWTPayload } from 'jose';
import { AuthenticationError } from './authentication.error.js';
import type { Principal } from './principal.js';

/** `sub` becomes `requested_by`, a varchar(255). */
export const MAX_SUBJECT_LENGTH = 255;
/** Accounts one token may act for, and the longest entry (site ids are at most 20 characters). */
export const MAX_SITE_IDS = 1000;
export const MAX_SITE_ID_CLAIM_LENGTH = 64;
/** Names in `permissions` (two exist; repeats are tolerated, floods are not). */
export const MAX_PERMISSIONS = 16;

/**
 * The principal a verified token's claims describe; a 401 naming the claim for any claim of the wrong type or
 * size (the signature only says who wrote a claim, not that it is sane).
 */
export function principalOf(payload: JWTPayload): Principal {
  const subject = payload.sub as unknown;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
    throw new AuthenticationError(`bearer token claim sub must be a string of 1 to ${MAX_SUBJECT_LENGTH} characters`);
  }
  if (!isPrintableText(subject)) {
    throw new AuthenticationError('bearer token claim sub must not contain control characters or unpaired surrogates');
  }
  // `sub` becomes the audit trail's actor: a token must not speak as one of the service's own processes.
  if (isSystemActorName(subject)) throw new AuthenticationError(systemActorRefusal('bearer token claim sub'));
  const siteIds = stringArrayClaim(payload, 'site_ids', MAX_SITE_IDS, MAX_SITE_ID_CLAIM_LENGTH);
  const names = stringArrayClaim(payload, 'permissions', MAX_PERMISSIONS, MAX_SITE_ID_CLAIM_LENGTH);
  let permissions;
  try {
    permissions = parsePermissions(names);
  } catch (error) {
    throw new AuthenticationError(`bearer token claim permissions: ${(error as Error).message}`);
  }
  return { subject, siteIds, permissions: new Set(permissions), scheme: 'Bearer' };
}

function stringArrayClaim(payload: JWTPayload, claim: string, maxItems: number, maxLength: number): string[] {
  const value = payload[claim];
  const fits = (item: unknown) => typeof item === 'string' && item.length > 0 && item.length <= maxLength;
  if (!Array.isArray(value) || value.length > maxItems || !value.every(fits)) {
    throw new AuthenticationError(
      `bearer token claim ${claim} must be an array of at most ${maxItems} strings of 1 to ${maxLength} characters`,
    );
  }
  return value as string[];
}
