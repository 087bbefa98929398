/**
 * The actors the service's own processes write into the audit trail: `system:<process>` (docs/ARCHITECTURE.md,
 * "Proof"). No credential may carry such a name, or a caller's events would read as the service's.
 */
export const SYSTEM_ACTOR_PREFIX = 'system:';

/** Colons that read as `:` but NFKD leaves alone (ratio, modifier letter colon, ...). */
const COLON_LOOKALIKES = /[\u02d0\u02f8\u0589\u05c3\u2236\ua789\ufe13\ufe55\uff1a]/gu;

/** Letters of other scripts that look like those of `system` (Cyrillic and Greek mostly). */
const LATIN_LOOKALIKES: Record<string, string> = {
  '\u0455': 's',
  '\u0443': 'y',
  '\u04af': 'y',
  '\u0435': 'e',
  '\u0442': 't',
  '\u03c4': 't',
  '\u043c': 'm',
  '\u0405': 's',
  '\u0423': 'y',
  '\u0415': 'e',
  '\u0422': 't',
  '\u041c': 'm',
  '\u03a4': 't',
  '\u039c': 'm',
  '\u0395': 'e',
  '\u03a5': 'y',
};

/**
 * What a reader would take for `system:`: any case, compatibility forms (a fullwidth colon, decomposed by NFKD), invisible and
 * combining marks (format characters, default-ignorables such as U+034F or variation selectors, the Hangul
 * fillers), lookalike colons and the Cyrillic or Greek letters that look like those of `system`.
 */
export function isSystemActorName(name: string): boolean {
  return name
    .normalize('NFKD')
    .replace(/[\p{Cf}\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\u3164\uffa0\u115f\u1160]/gu, '')
    .replace(COLON_LOOKALIKES, ':')
    .replace(/./gu, (char) => LATIN_LOOKALIKES[char] ?? char)
    .toLowerCase()
    .startsWith(SYSTEM_ACTOR_PREFIX);
}

/** Why a credential's name is refused: one message for tokens, API keys and the CLI. */
export function systemActorRefusal(what: string): string {
  return `${what} must not start with "${SYSTEM_ACTOR_PREFIX}": that prefix names the service's own processes in the audit trail`;
}
