import { StoreName } from '#app/domain';
import { maskJson, siteScopeMigration, type StoreDefinition } from '../store-definition.js';

/** Consumer profiles (the messaging participantId): names, contact details and SDEs. */
export const CONSUMER_STORE: StoreDefinition = {
  store: StoreName.Consumer,
  schema: 'consumer',
  schemaSql: [
    `CREATE SEQUENCE consumer.seed_seq`,
    `CREATE TABLE consumer.consumer_profiles (
      consumer_id text PRIMARY KEY,
      site_id text NOT NULL,
      first_name text,
      last_name text,
      email text,
      phone text,
      personal_info_sdes jsonb,
      customer_info_sdes jsonb,
      created_at timestamptz NOT NULL,
      erased_at timestamptz)`,
  ],
  subject: { table: 'consumer.consumer_profiles', idColumn: 'consumer_id' },
  migrations: [siteScopeMigration('consumer.consumer_profiles', 'consumer_id', 'ConsumerStoreSiteScope')],
  eraseSql: [
    `UPDATE consumer.consumer_profiles SET first_name = $2, last_name = $2, email = $2, phone = $2,
       personal_info_sdes = ${maskJson('personal_info_sdes')}, customer_info_sdes = ${maskJson('customer_info_sdes')},
       erased_at = coalesce(erased_at, now()) WHERE site_id = $3 AND consumer_id = ANY($1)`,
  ],
  personalColumns: [
    {
      table: 'consumer.consumer_profiles',
      idColumn: 'consumer_id',
      columns: ['first_name', 'last_name', 'email', 'phone', 'personal_info_sdes', 'customer_info_sdes'],
    },
  ],
};
