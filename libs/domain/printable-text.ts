/** C0 controls and DEL, or a UTF-16 surrogate without its pair (PostgreSQL stores neither NUL nor those). */
const UNPRINTABLE = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a caller's text can be recorded as it is: no control characters, no lone surrogates. */
export function isPrintableText(value: string): boolean {
  return !UNPRINTABLE.test(value);
}
