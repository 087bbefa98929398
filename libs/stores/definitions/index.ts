import { StoreName } from '#app/domain';
import type { StoreDefinition } from '../store-definition.js';
import { CHAT_STORE } from './chat.store.js';
import { CONSUMER_STORE } from './consumer.store.js';
import { MESSAGING_STORE } from './messaging.store.js';
import { TICKETING_STORE } from './ticketing.store.js';

export const STORE_DEFINITIONS: Readonly<Record<StoreName, StoreDefinition>> = {
  [StoreName.Chat]: CHAT_STORE,
  [StoreName.Messaging]: MESSAGING_STORE,
  [StoreName.Consumer]: CONSUMER_STORE,
  [StoreName.Ticketing]: TICKETING_STORE,
};
