import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { decodeJsonBody } from '../../http/json-body.decorator.js';
import { RawBody } from '../../http/raw-body.js';
import { createValidationPipe } from '../../http/validation.pipe.js';
import { CreateDeletionRequestDto } from './create-deletion-request.dto.js';

const pipe = createValidationPipe();
const metadata: ArgumentMetadata = { type: 'custom', metatype: CreateDeletionRequestDto };

async function messageFor(body: object): Promise<string> {
  try {
    await pipe.transform(body, metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: string }).message;
  }
  throw new Error('expected a 400');
}

describe(CreateDeletionRequestDto.name, () => {
  it('accepts each deletion type alone and exposes its selection', async () => {
    for (const type of ['engagement', 'conversation', 'consumer', 'ticketing'] as const) {
      const dto = (await pipe.transform({ [type]: ['a1', 'b2'] }, metadata)) as CreateDeletionRequestDto;
      expect(CreateDeletionRequestDto.selection(dto)).toEqual({ type, ids: ['a1', 'b2'] });
    }
  });

  it('rejects a body with no deletion type', async () => {
    expect(await messageFor({})).toBe(
      'the body must hold exactly one of the keys engagement, conversation, consumer, ticketing (got none of them)',
    );
  });

  it('rejects a second deletion type, naming both', async () => {
    expect(await messageFor({ engagement: ['1'], consumer: ['2'] })).toMatch(/got engagement and consumer/);
  });

  it('rejects an unknown key, naming it', async () => {
    expect(await messageFor({ consumer: ['1'], emails: ['x'] })).toBe('unknown key "emails" is not allowed');
  });

  it('rejects a null deletion type as not an array', async () => {
    expect(await messageFor({ conversation: null })).toBe('conversation must be an array of ids');
  });

  it('never accepts a body whose only key is not a deletion type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((key) => !['engagement', 'conversation', 'consumer', 'ticketing'].includes(key)),
        async (key) => {
          expect(await messageFor({ [key]: ['1'] })).toMatch(/exactly one of the keys/);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('answers a decoded JSON body (the short way) exactly as the full pipe answers a copy of it', async () => {
    const outcome = async (body: object) =>
      pipe.transform(body, metadata).then(
        (dto: object) => ({ constructor: dto.constructor.name, value: { ...dto } }),
        (error: BadRequestException) => ({ message: (error.getResponse() as { message: string }).message }),
      );
    const key = fc.constantFrom('engagement', 'conversation', 'consumer', 'ticketing', 'emails', 'toString');
    const item = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null), fc.constant(' '));
    const member = fc.oneof(fc.array(item, { maxLength: 4 }), item, fc.dictionary(fc.string({ maxLength: 3 }), item));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, member, { maxKeys: 3 }), async (body) => {
        const text = JSON.stringify(body);
        let decoded: object;
        try {
          decoded = decodeJsonBody(new RawBody('application/json', Buffer.from(text)));
        } catch {
          return; // refused before any pipe (a prototype key): not a body the pipe ever sees
        }
        expect(await outcome(decoded)).toEqual(await outcome(JSON.parse(text) as object));
      }),
      { numRuns: 300 },
    );
  });
});
