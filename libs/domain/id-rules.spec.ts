import fc from 'fast-check';
import { MAX_IDS_PER_REQUEST } from './deletion-type.js';
import { engagementPrefixProblem, idListProblem } from './id-rules.js';

describe(idListProblem.name, () => {
  it('accepts 1 to 100 unique non-blank strings', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9-]{1,30}$/), { minLength: 1, maxLength: MAX_IDS_PER_REQUEST }),
        (ids) => expect(idListProblem('consumer', ids)).toBeUndefined(),
      ),
    );
  });

  it.each([
    [[], 'consumer must hold at least one id'],
    ['abc', 'consumer must be an array of ids'],
    [null, 'consumer must be an array of ids'],
    [['a', 'a'], 'consumer[1] repeats the id "a": ids must be unique'],
    [['a', 7], 'consumer[1] must be a string (got a number)'],
    [[null], 'consumer[0] must be a string (got null)'],
    [[' \t'], 'consumer[0] must not be blank'],
    [[''], 'consumer[0] must not be blank'],
    [[['x']], 'consumer[0] must be a string (got an array)'],
    [['a\u0000b'], 'consumer[0] must not contain control characters or unpaired surrogates'],
    [['ok', 'x\u007f'], 'consumer[1] must not contain control characters or unpaired surrogates'],
    [['\uD800'], 'consumer[0] must not contain control characters or unpaired surrogates'],
    [['\uDC00x'], 'consumer[0] must not contain control characters or unpaired surrogates'],
  ])('rejects %j with "%s"', (value, message) => {
    expect(idListProblem('consumer', value)).toBe(message);
  });

  it('accepts emoji, combining marks and right-to-left text', () => {
    expect(idListProblem('consumer', ['😀', 'e\u0301', '\u05e9\u05dc\u05d5\u05dd'])).toBeUndefined();
  });

  it('rejects more than 100 ids, naming the count', () => {
    const ids = Array.from({ length: 101 }, (_, i) => `id${i}`);
    expect(idListProblem('conversation', ids)).toBe('conversation must hold at most 100 ids (got 101)');
  });

  it('rejects ticket ids that carry the LTK prefix or the X suffix', () => {
    expect(idListProblem('ticketing', ['LTK123'])).toMatch(/without the LTK prefix/);
    expect(idListProblem('ticketing', ['123X'])).toMatch(/without the X suffix/);
    expect(idListProblem('ticketing', ['123'])).toBeUndefined();
    expect(idListProblem('consumer', ['LTK123X'])).toBeUndefined();
  });
});

describe(engagementPrefixProblem.name, () => {
  it('accepts ids made of the site id followed by a chat id', () => {
    expect(engagementPrefixProblem('20762324', ['207623244295067780'])).toBeUndefined();
  });

  it('names the first id that does not start with the site id', () => {
    expect(engagementPrefixProblem('20762324', ['207623244295067780', '4295067780'])).toBe(
      'engagement[1] "4295067780" must start with the site id 20762324 followed by the chat id',
    );
  });

  it('rejects the bare site id, which names no chat', () => {
    expect(engagementPrefixProblem('20762324', ['20762324'])).toMatch(/engagement\[0\]/);
  });
});
