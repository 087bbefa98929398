import { canonicalJson } from './canonical-json.js';

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and writes no whitespace, whatever order the object was built in', () => {
    const a = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 });
    expect(a).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(b).toBe(a);
  });

  it('escapes strings as JSON does, leaves undefined members out and writes dates as ISO strings', () => {
    expect(canonicalJson({ s: 'quote " and \\n', u: undefined, at: new Date(0) })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z","s":"quote \\" and \\\\n"}',
    );
    expect(canonicalJson([undefined, 1.5])).toBe('[null,1.5]');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});
