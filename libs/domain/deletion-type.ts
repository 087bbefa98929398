/**
 * The keys a create body may carry, and the store each one is erased from (docs/ARCHITECTURE.md, "Create body").
 * These strings are persisted and part of the public API: never rename them.
 */
export enum DeletionType {
  Engagement = 'engagement',
  Conversation = 'conversation',
  Consumer = 'consumer',
  Ticketing = 'ticketing',
}

export const DELETION_TYPES: readonly DeletionType[] = Object.values(DeletionType);

export enum StoreName {
  Chat = 'chat',
  Messaging = 'messaging',
  Consumer = 'consumer',
  Ticketing = 'ticketing',
}

export const STORE_NAMES: readonly StoreName[] = Object.values(StoreName);

export const STORE_OF: Readonly<Record<DeletionType, StoreName>> = {
  [DeletionType.Engagement]: StoreName.Chat,
  [DeletionType.Conversation]: StoreName.Messaging,
  [DeletionType.Consumer]: StoreName.Consumer,
  [DeletionType.Ticketing]: StoreName.Ticketing,
};

/** Most ids one request may name (docs/ARCHITECTURE.md, "Create body"). */
export const MAX_IDS_PER_REQUEST = 100;

/** Splits ids into consecutive chunks of at most `size`. */
export function chunkIds<T>(ids: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < ids.length; start += size) chunks.push(ids.slice(start, start + size));
  return chunks;
}
