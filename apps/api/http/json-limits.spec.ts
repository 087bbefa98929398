import fc from 'fast-check';
import {
  jsonLimitProblem,
  JsonValueError,
  MAX_JSON_DEPTH,
  MAX_JSON_ITEMS,
  MAX_JSON_NUMBER_LENGTH,
  MAX_JSON_STRING_LENGTH,
  parseLimitedJson,
} from './json-limits.js';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe(jsonLimitProblem.name, () => {
  it('accepts nesting up to the limit and refuses one level more', () => {
    expect(jsonLimitProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonLimitProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/nested too deep: at most 32 levels/);
  });

  it('scans a body nested a million levels deep without recursing', () => {
    expect(jsonLimitProblem(`{"a":${nested(1_000_000)}}`)).toMatch(/nested too deep/);
    expect(jsonLimitProblem(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)).toMatch(/nested too deep/);
  });

  it('does not count brackets, quotes or commas inside strings', () => {
    const text = JSON.stringify({ a: ['['.repeat(100), '\\"[[[', ',,,'.repeat(300), '"{{{'] });
    expect(jsonLimitProblem(text)).toBeUndefined();
  });

  it('refuses a long string, a long array or object, a long number', () => {
    expect(jsonLimitProblem(JSON.stringify(['x'.repeat(MAX_JSON_STRING_LENGTH)]))).toBeUndefined();
    expect(jsonLimitProblem(JSON.stringify(['x'.repeat(MAX_JSON_STRING_LENGTH + 1)]))).toMatch(/string longer/);
    expect(jsonLimitProblem(JSON.stringify(new Array(MAX_JSON_ITEMS).fill(1)))).toBeUndefined();
    expect(jsonLimitProblem(JSON.stringify(new Array(MAX_JSON_ITEMS + 1).fill(1)))).toMatch(/more than 1000 items/);
    const members = Object.fromEntries(Array.from({ length: MAX_JSON_ITEMS + 1 }, (_, i) => [`k${i}`, i]));
    expect(jsonLimitProblem(JSON.stringify(members))).toMatch(/more than 1000 items/);
    expect(jsonLimitProblem(`[${'9'.repeat(MAX_JSON_NUMBER_LENGTH + 1)}]`)).toMatch(/number longer/);
  });

  it('agrees with JSON.parse on the depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), (value) => {
        const text = JSON.stringify(value);
        const depth = (v: unknown): number =>
          v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
        const problem = jsonLimitProblem(text);
        if (depth(value) > MAX_JSON_DEPTH) expect(problem).toMatch(/nested too deep/);
        else if (problem) expect(problem).not.toMatch(/nested too deep/);
      }),
    );
  });
});

describe(parseLimitedJson.name, () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'])('refuses the key %s', (key) => {
    expect(() => parseLimitedJson(`{"consumer":["a"],"x":[{"${key}":1}]}`)).toThrow(JsonValueError);
    expect(() => parseLimitedJson(`{"consumer":["a"],"x":[{"${key}":1}]}`)).toThrow(`must not hold the key "${key}"`);
  });

  it('refuses an escaped prototype key and a number past a double', () => {
    expect(() => parseLimitedJson('{"\\u005f_proto__":{}}')).toThrow(JsonValueError);
    expect(() => parseLimitedJson('[1e400]')).toThrow('number too large');
  });

  it('parses what is within the limits', () => {
    expect(parseLimitedJson('{"consumer":["a","b"],"n":-1.5e3}')).toEqual({ consumer: ['a', 'b'], n: -1500 });
  });
});
