import { StoreName } from '#app/domain';
import { maskJson, ofAccountSubjects, siteScopeMigration, type StoreDefinition } from '../store-definition.js';

const OF_ACCOUNT = ofAccountSubjects('ticketing.tickets', 'ticket_id');

/** Legacy tickets: requester details, email headers, user-defined fields, interactions and attachments. */
export const TICKETING_STORE: StoreDefinition = {
  store: StoreName.Ticketing,
  schema: 'ticketing',
  schemaSql: [
    `CREATE SEQUENCE ticketing.ticket_id_seq START 100000`,
    `CREATE TABLE ticketing.tickets (
      ticket_id text PRIMARY KEY,
      site_id text NOT NULL,
      status text NOT NULL,
      subject text,
      requester_name text,
      requester_email text,
      contact_info text,
      email_headers text,
      user_defined_fields jsonb,
      created_at timestamptz NOT NULL,
      erased_at timestamptz)`,
    `CREATE TABLE ticketing.interactions (
      id bigserial PRIMARY KEY,
      ticket_id text NOT NULL,
      seq integer NOT NULL,
      author_role text NOT NULL,
      text text,
      created_at timestamptz NOT NULL)`,
    `CREATE INDEX interactions_ticket_id ON ticketing.interactions (ticket_id)`,
    `CREATE TABLE ticketing.attachments (
      id bigserial PRIMARY KEY,
      ticket_id text NOT NULL,
      file_name text,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea,
      deleted_at timestamptz)`,
    `CREATE INDEX attachments_ticket_id ON ticketing.attachments (ticket_id)`,
  ],
  subject: { table: 'ticketing.tickets', idColumn: 'ticket_id' },
  migrations: [siteScopeMigration('ticketing.tickets', 'ticket_id', 'TicketingStoreSiteScope')],
  eraseSql: [
    `UPDATE ticketing.tickets SET subject = $2, requester_name = $2, requester_email = $2, contact_info = $2,
       email_headers = $2, user_defined_fields = ${maskJson('user_defined_fields')},
       erased_at = coalesce(erased_at, now()) WHERE site_id = $3 AND ticket_id = ANY($1)`,
    `UPDATE ticketing.interactions c SET text = $2 ${OF_ACCOUNT} AND c.text IS DISTINCT FROM $2`,
    `UPDATE ticketing.attachments c SET file_name = $2, content = NULL, deleted_at = coalesce(c.deleted_at, now())
       ${OF_ACCOUNT}`,
  ],
  personalColumns: [
    {
      table: 'ticketing.tickets',
      idColumn: 'ticket_id',
      columns: ['subject', 'requester_name', 'requester_email', 'contact_info', 'email_headers', 'user_defined_fields'],
    },
    { table: 'ticketing.interactions', idColumn: 'ticket_id', columns: ['text'] },
    { table: 'ticketing.attachments', idColumn: 'ticket_id', columns: ['file_name', 'content'] },
  ],
};
