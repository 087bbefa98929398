/**
 * The actors the service's own processes write into the audit trail: `system:<process>` (docs/ARCHITECTURE.md,
 * "Proof"). No credential may carry such a name, or a caller's events would read as the service's.
 */
export const SYSTEM_ACTOR_PREFIX = 'system:';

/** What a reader would take for `system:`: any case, compatibility forms (a fullwidth colon), invisible marks. */
export function isSystemActorName(name: string): boolean {
  return name
    .normalize('NFKC')
    .replace(/[\p{Cf}\p{White_Space}]/gu, '')
    .toLowerCase()
    .startsWith(SYSTEM_ACTOR_PREFIX);
}

/** Why a credential's name is refused: one message for tokens, API keys and the CLI. */
export function systemActorRefusal(what: string): string {
  return `${what} must not start with "${SYSTEM_ACTOR_PREFIX}": that prefix names the service's own processes in the audit trail`;
}
