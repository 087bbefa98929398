import { ReceiptKeyRing } from '#app/receipts';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { CommandOptions, textOption } from './command-options.js';
import { printJson } from './option-parsers.js';
import { ParentCommand } from './parent-command.js';

/** A saved receipt: the endpoint's JSON (`{"jws": ...}`) or the bare compact JWS. */
async function readReceipt(file: string): Promise<string> {
  const text = (await readFile(file, 'utf8')).trim();
  if (!text.startsWith('{')) return text;
  const { jws } = JSON.parse(text) as { jws?: unknown };
  if (typeof jws !== 'string') throw new Error(`${file} holds JSON without a "jws" string`);
  return jws;
}

@SubCommand({
  name: 'verify',
  arguments: '<file>',
  description: 'check a saved receipt’s signature against a JWKS (file or URL; default: this service’s keys)',
})
@CommandOptions(textOption('--jwks <file-or-url>', 'the JWKS to verify against'))
export class ReceiptsVerifyCommand extends CommandRunner {
  constructor(private readonly keys: ReceiptKeyRing) {
    super();
  }

  async run([file]: string[], options: { jwks?: string }): Promise<void> {
    const jws = await readReceipt(file);
    const keySet = options.jwks
      ? /^https?:\/\//.test(options.jwks)
        ? createRemoteJWKSet(new URL(options.jwks))
        : createLocalJWKSet(JSON.parse(await readFile(options.jwks, 'utf8')) as JSONWebKeySet)
      : createLocalJWKSet(await this.keys.jwks());
    try {
      const { payload, protectedHeader } = await jwtVerify(jws, keySet, { algorithms: ['ES256'] });
      printJson({ valid: true, kid: protectedHeader.kid, claims: payload });
    } catch (error) {
      printJson({ valid: false, error: (error as Error).message });
      process.exitCode = 1;
    }
  }
}

@Command({ name: 'receipts', description: 'signed receipts', subCommands: [ReceiptsVerifyCommand] })
export class ReceiptsCommand extends ParentCommand {}
