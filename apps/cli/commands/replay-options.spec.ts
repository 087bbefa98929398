import { StoreName } from '#app/domain';
import { UsageError } from './option-parsers.js';
import { parseSince, parseStore } from './replay-options.js';

const NOW = new Date('2026-12-01T09:00:00.000Z');

describe(parseSince.name, () => {
  it.each([
    ['2026-11-24T03:00:00Z', '2026-11-24T03:00:00.000Z'],
    ['2026-11-24T03:00:00.123Z', '2026-11-24T03:00:00.123Z'],
    ['2026-11-24T04:00+01:00', '2026-11-24T03:00:00.000Z'],
    ['2026-11-23T22:00:00-05:00', '2026-11-24T03:00:00.000Z'],
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
  ])('reads %s as %s', (value, iso) => {
    expect(parseSince(value, NOW).toISOString()).toBe(iso);
  });

  it.each([
    'yesterday',
    '',
    '24/11/2026',
    '2026-11-24 03:00:00Z',
    '1764000000000',
    '2026-W48',
    '2026-13-01',
    '2026-02-30',
    '2026-11-24T25:00:00Z',
  ])('refuses %j as not ISO-8601, naming it', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(UsageError);
    expect(() => parseSince(value, NOW)).toThrow(`--since: ${JSON.stringify(value)} is not an ISO-8601`);
  });

  it('refuses a date-time without an offset rather than reading it as local time', () => {
    expect(() => parseSince('2026-11-24T03:00:00', NOW)).toThrow(/has no UTC offset/);
  });

  it('refuses a time in the future, by a millisecond too', () => {
    expect(() => parseSince('2026-12-01T09:00:00.001Z', NOW)).toThrow(/is in the future/);
    expect(() => parseSince('2027-01-01', NOW)).toThrow(UsageError);
  });
});

describe(parseStore.name, () => {
  it('knows the four stores and names an unknown one', () => {
    expect(parseStore('chat')).toBe(StoreName.Chat);
    expect(() => parseStore('billing')).toThrow(
      '--store: unknown store "billing"; known: chat, messaging, consumer, ticketing',
    );
  });
});
