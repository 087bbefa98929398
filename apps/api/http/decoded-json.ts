/**
 * The JSON bodies `decodeJsonBody` produced: plain data by construction (JSON.parse after the limits scan, which
 * refuses prototype keys), so the validation pipe may skip its defensive walks over them. Held weakly: a body
 * is forgotten with its request.
 */
const DECODED = new WeakSet<object>();

export function markDecodedJson<T extends object>(value: T): T {
  DECODED.add(value);
  return value;
}

export function isDecodedJson(value: unknown): value is object {
  return typeof value === 'object' && value !== null && DECODED.has(value);
}
