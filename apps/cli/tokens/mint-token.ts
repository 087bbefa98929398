import { SignJWT } from 'jose';

export interface TokenClaims {
  subject: string;
  siteIds: string[];
  permissions: string[];
  ttlSeconds: number;
  issuer?: string;
  audience?: string;
}

/** An HS256 JWT with the claims the API's JwtAuthenticator reads. */
export function mintToken(secret: string, claims: TokenClaims): Promise<string> {
  let jwt = new SignJWT({ site_ids: claims.siteIds, permissions: claims.permissions })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds}s`);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
