import { DeletionType, MAX_IDS_PER_REQUEST } from './deletion-type.js';
import { isPrintableText } from './printable-text.js';

/**
 * The rules an id list must follow, as plain functions so the DTO validators, the services and the
 * tests share them. Each returns a message naming the field and the rule, or `undefined` when fine.
 */
export function idListProblem(field: string, value: unknown): string | undefined {
  if (!Array.isArray(value)) return `${field} must be an array of ids`;
  if (value.length === 0) return `${field} must hold at least one id`;
  if (value.length > MAX_IDS_PER_REQUEST) {
    return `${field} must hold at most ${MAX_IDS_PER_REQUEST} ids (got ${value.length})`;
  }
  const seen = new Set<string>();
  for (const [index, id] of value.entries()) {
    if (typeof id !== 'string') return `${field}[${index}] must be a string (got ${typeName(id)})`;
    if (id.trim() === '') return `${field}[${index}] must not be blank`;
    if (id.length > 64) return `${field}[${index}] must be at most 64 characters`;
    if (!isPrintableText(id)) {
      return `${field}[${index}] must not contain control characters or unpaired surrogates`;
    }
    if (seen.has(id)) return `${field}[${index}] repeats the id "${id}": ids must be unique`;
    seen.add(id);
    if (field === (DeletionType.Ticketing as string)) {
      const problem = ticketIdProblem(field, index, id);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Ticket ids go without the platform's `LTK` prefix and `X` suffix (docs/ARCHITECTURE.md, "Create body"). */
export function ticketIdProblem(field: string, index: number, id: string): string | undefined {
  if (/^LTK/i.test(id)) return `${field}[${index}] "${id}" must be sent without the LTK prefix`;
  if (/X$/i.test(id)) return `${field}[${index}] "${id}" must be sent without the X suffix`;
  return undefined;
}

/** Engagement ids are the account id followed by the chat id (`20762324` + `4295067780`). */
export function engagementPrefixProblem(siteId: string, ids: readonly string[]): string | undefined {
  const index = ids.findIndex((id) => !id.startsWith(siteId) || id.length === siteId.length);
  if (index === -1) return undefined;
  return `engagement[${index}] "${ids[index]}" must start with the site id ${siteId} followed by the chat id`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
