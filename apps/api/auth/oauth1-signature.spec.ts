import { parseOAuthHeader, percentEncode, sameBase64, signatureBaseString } from './oauth1-signature.js';

describe(signatureBaseString.name, () => {
  it('matches the worked example of RFC 5849 section 3.4.1.1', () => {
    // The RFC's form-body parameters (c2, a3=2 q) are sent in the query here: the API takes JSON bodies only.
    const url = new URL('http://EXAMPLE.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2=&a3=2+q');
    const params = parseOAuthHeader(
      'realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
        'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    )!;
    expect(signatureBaseString('post', url, params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26' +
        'oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26' +
        'oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
});

describe(parseOAuthHeader.name, () => {
  it('decodes values and rejects repeated or malformed parameters', () => {
    expect(parseOAuthHeader('oauth_nonce="a%20b", oauth_token="t"')).toEqual(
      new Map([
        ['oauth_nonce', 'a b'],
        ['oauth_token', 't'],
      ]),
    );
    expect(parseOAuthHeader('oauth_nonce="a", oauth_nonce="b"')).toBeUndefined();
    expect(parseOAuthHeader('oauth_nonce=a')).toBeUndefined();
    expect(parseOAuthHeader('oauth_nonce="%E0%A4%A"')).toBeUndefined();
  });
});

describe(percentEncode.name, () => {
  it('encodes the characters encodeURIComponent leaves alone, and keeps the unreserved ones', () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~');
  });
});

describe(sameBase64.name, () => {
  it('compares decoded bytes and refuses empty signatures', () => {
    expect(sameBase64('YWJj', 'YWJj')).toBe(true);
    expect(sameBase64('YWJj', 'YWJk')).toBe(false);
    expect(sameBase64('', '')).toBe(false);
  });
});
