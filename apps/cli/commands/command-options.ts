import { isRequestId } from '#app/domain';
import { Option } from 'nest-commander';
import { parsePermissionList, parseSiteId, parseWholeNumber } from './option-parsers.js';

/** One option of a command: nest-commander's @Option settings and the parser of its value. */
export interface CommandOption {
  flags: string;
  description: string;
  required?: boolean;
  parse: (value: string) => unknown;
}

/**
 * Declares a command's options, in the order its help lists them. Each becomes a method of the command carrying
 * @Option's metadata, where nest-commander looks for it (on the prototype), so it parses as a hand-written one.
 */
export function CommandOptions(...options: CommandOption[]): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const { parse, ...settings } of options) {
      const name = `parse ${settings.flags.split(' ')[0]}`;
      const descriptor = { value: (value: string) => parse(value), configurable: true, writable: true };
      Option(settings)(prototype, name, descriptor);
      Object.defineProperty(prototype, name, descriptor);
    }
  };
}

/** `--site-id <id>`, checked as the API and the accounts table check it. */
export const siteIdOption = (description: string, required = false): CommandOption => ({
  flags: '--site-id <id>',
  description,
  required,
  parse: parseSiteId,
});

/** An option taking a whole number of at least `min` (`--name <n>`). */
export const wholeNumberOption = (flags: string, description: string, min: number): CommandOption => ({
  flags,
  description,
  parse: (value) => parseWholeNumber(flags.split(' ')[0].slice(2), value, min),
});

/** A flag without a value: true when given. */
export const flagOption = (flags: string, description: string): CommandOption => ({
  flags,
  description,
  parse: () => true,
});

/** An option whose value is taken as it is. */
export const textOption = (flags: string, description: string, required = false): CommandOption => ({
  flags,
  description,
  required,
  parse: (value) => value,
});

/** `--request-id <id>`, required. */
export const requestIdOption = (description: string): CommandOption => ({
  flags: '--request-id <id>',
  description,
  required: true,
  parse: (value) => {
    if (!isRequestId(value)) throw new Error(`--request-id must be a request id (got ${JSON.stringify(value)})`);
    return value;
  },
});

/** `--permissions <list>`: read, write or both (the default). */
export const permissionsOption: CommandOption = {
  flags: '--permissions <list>',
  description: 'comma-separated: read, write (default both)',
  parse: parsePermissionList,
};
