import { MAX_IDS_PER_REQUEST } from '#app/domain';
import {
  InvalidPayloadError,
  parsePurgeChunkPayload,
  parseReplayChunkPayload,
  parseStartDeletionPayload,
} from './job-payloads.js';

describe(parseStartDeletionPayload.name, () => {
  it('keeps the ids and tracing fields it knows', () => {
    expect(
      parseStartDeletionPayload({ requestId: '12', siteId: 's1', correlationId: 'r-1', extra: 'dropped' }),
    ).toEqual({
      requestId: '12',
      siteId: 's1',
      correlationId: 'r-1',
    });
  });

  it.each([
    null,
    'x',
    [],
    { requestId: 12 },
    { requestId: '0' },
    { requestId: '99999999999999999999' },
    { requestId: '1', siteId: 5 },
  ])('rejects %j', (data) => expect(() => parseStartDeletionPayload(data)).toThrow(InvalidPayloadError));
});

describe(parsePurgeChunkPayload.name, () => {
  const valid = { requestId: '7', siteId: '20762324', run: 1, store: 'chat', chunk: 0, ids: ['a', 'b'] };

  it('accepts a chunk of 1 to 100 ids for a known store', () => {
    expect(parsePurgeChunkPayload(valid)).toMatchObject(valid);
  });

  it.each([
    { ...valid, store: 'mail' },
    { ...valid, ids: [] },
    { ...valid, ids: [''] },
    { ...valid, ids: Array.from({ length: MAX_IDS_PER_REQUEST + 1 }, (_, i) => `${i}`) },
    { ...valid, run: 0 },
    { ...valid, chunk: -1 },
    { ...valid, chunk: 1.5 },
    { ...valid, siteId: undefined },
    { ...valid, siteId: '' },
    { ...valid, siteId: 'not a site' },
    { ...valid, siteId: 20762324 },
  ])('rejects %j', (data) => expect(() => parsePurgeChunkPayload(data)).toThrow(InvalidPayloadError));
});

describe(parseReplayChunkPayload.name, () => {
  const valid = { replayId: '3', requestId: '7', siteId: '20762324', store: 'chat', chunk: 0, ids: ['a'] };

  it('accepts a replay chunk and keeps its replay id', () => {
    expect(parseReplayChunkPayload(valid)).toMatchObject(valid);
  });

  it.each([
    { ...valid, replayId: undefined },
    { ...valid, replayId: 3 },
    { ...valid, replayId: '0' },
    { ...valid, store: 'mail' },
    { ...valid, ids: [] },
    { ...valid, siteId: 'not a site' },
  ])('rejects %j', (data) => expect(() => parseReplayChunkPayload(data)).toThrow(InvalidPayloadError));
});
