import type { AccountEntity } from '#app/database';
import type { Permission } from '#app/domain';

/** Who is calling, as established by the auth guard. */
export interface Principal {
  /** Becomes `requested_by` / `cancelled_by`. */
  subject: string;
  /** The accounts the credential may act for. */
  siteIds: readonly string[];
  permissions: ReadonlySet<Permission>;
  scheme: 'Bearer' | 'OAuth';
}

/** What the guard leaves on the request for the handlers. */
export interface AuthenticatedRequest {
  principal: Principal;
  account: AccountEntity;
}
