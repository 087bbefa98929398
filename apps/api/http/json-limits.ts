import { isPrototypeKey } from './prototype-keys.js';

/** Deepest nesting of arrays and objects a JSON body may have (a create body needs 2). */
export const MAX_JSON_DEPTH = 32;
/** Longest string, in characters as sent (escapes count as written); ids are at most 64. */
export const MAX_JSON_STRING_LENGTH = 1024;
/** Most items in one array, or members in one object (a create body holds at most 100 ids). */
export const MAX_JSON_ITEMS = 1000;
/** Longest number literal. */
export const MAX_JSON_NUMBER_LENGTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);
const NUMBER_CHAR = /[-+.0-9eE]/;

/**
 * What makes `text` too big to hand to a parser or transformer that recurses, or undefined when within the
 * limits. One loop with no recursion, so it cannot itself overflow the stack; malformed JSON is left to
 * `JSON.parse` to describe.
 */
export function jsonLimitProblem(text: string, maxStringLength = MAX_JSON_STRING_LENGTH): string | undefined {
  const items: number[] = [];
  let inString = false;
  let stringStart = 0;
  let numberLength = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) {
        inString = false;
        if (i - stringStart - 1 > maxStringLength) {
          return `the request body holds a string longer than ${maxStringLength} characters`;
        }
      }
      continue;
    }
    numberLength = NUMBER_CHAR.test(text[i]) ? numberLength + 1 : 0;
    if (numberLength > MAX_JSON_NUMBER_LENGTH) {
      return `the request body holds a number longer than ${MAX_JSON_NUMBER_LENGTH} characters`;
    }
    if (c === QUOTE) {
      inString = true;
      stringStart = i;
    } else if (OPENERS.has(c)) {
      items.push(1);
      if (items.length > MAX_JSON_DEPTH) {
        return `the request body is nested too deep: at most ${MAX_JSON_DEPTH} levels of arrays and objects`;
      }
    } else if (CLOSERS.has(c)) {
      items.pop();
    } else if (c === COMMA && items.length > 0) {
      items[items.length - 1]++;
      if (items[items.length - 1] > MAX_JSON_ITEMS) {
        return `the request body holds an array or object of more than ${MAX_JSON_ITEMS} items`;
      }
    }
  }
  return undefined;
}

/** Raised by `parseLimitedJson` for a value JSON.parse accepts but the API does not. */
export class JsonValueError extends Error {}

/**
 * JSON.parse that also refuses prototype keys and numbers too big for a double (1e400 would be Infinity). A walk
 * after the parse rather than a reviver, which costs a call per value; the scan before bounds its depth and size.
 */
export function parseLimitedJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new JsonValueError('the request body holds a number too large to represent');
    }
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      pending.push(...(value as unknown[]));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (isPrototypeKey(key)) throw new JsonValueError(`the request body must not hold the key "${key}"`);
      pending.push((value as Record<string, unknown>)[key]);
    }
  }
  return parsed;
}
