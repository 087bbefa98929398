import { StoreName } from '#app/domain';
import { maskJson, ofAccountSubjects, siteScopeMigration, type StoreDefinition } from '../store-definition.js';

const OF_ACCOUNT = ofAccountSubjects('messaging.conversations', 'conversation_id');

/** Messaging conversations: consumer SDEs, messages, hosted files and survey answers. */
export const MESSAGING_STORE: StoreDefinition = {
  store: StoreName.Messaging,
  schema: 'messaging',
  schemaSql: [
    `CREATE SEQUENCE messaging.seed_seq`,
    `CREATE TABLE messaging.conversations (
      conversation_id text PRIMARY KEY,
      site_id text NOT NULL,
      consumer_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      consumer_sdes jsonb,
      channel text,
      started_at timestamptz NOT NULL,
      closed_at timestamptz,
      erased_at timestamptz)`,
    `CREATE INDEX conversations_consumer_id ON messaging.conversations (consumer_id)`,
    `CREATE TABLE messaging.messages (
      id bigserial PRIMARY KEY,
      conversation_id text NOT NULL,
      seq integer NOT NULL,
      sender_role text NOT NULL,
      text text,
      sent_at timestamptz NOT NULL)`,
    `CREATE INDEX messages_conversation_id ON messaging.messages (conversation_id)`,
    `CREATE TABLE messaging.files (
      id bigserial PRIMARY KEY,
      conversation_id text NOT NULL,
      file_name text,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea,
      deleted_at timestamptz)`,
    `CREATE INDEX files_conversation_id ON messaging.files (conversation_id)`,
    `CREATE TABLE messaging.survey_answers (
      id bigserial PRIMARY KEY,
      conversation_id text NOT NULL,
      question text NOT NULL,
      answer text)`,
    `CREATE INDEX survey_answers_conversation_id ON messaging.survey_answers (conversation_id)`,
  ],
  subject: { table: 'messaging.conversations', idColumn: 'conversation_id', openExpression: `status = 'open'` },
  migrations: [siteScopeMigration('messaging.conversations', 'conversation_id', 'MessagingStoreSiteScope')],
  eraseSql: [
    `UPDATE messaging.conversations SET consumer_sdes = ${maskJson('consumer_sdes')},
       erased_at = coalesce(erased_at, now()) WHERE site_id = $3 AND conversation_id = ANY($1)`,
    `UPDATE messaging.messages c SET text = $2 ${OF_ACCOUNT} AND c.text IS DISTINCT FROM $2`,
    `UPDATE messaging.files c SET file_name = $2, content = NULL, deleted_at = coalesce(c.deleted_at, now()) ${OF_ACCOUNT}`,
    `UPDATE messaging.survey_answers c SET answer = $2 ${OF_ACCOUNT} AND c.answer IS DISTINCT FROM $2`,
  ],
  personalColumns: [
    { table: 'messaging.conversations', idColumn: 'conversation_id', columns: ['consumer_sdes'] },
    { table: 'messaging.messages', idColumn: 'conversation_id', columns: ['text'] },
    { table: 'messaging.files', idColumn: 'conversation_id', columns: ['file_name', 'content'] },
    { table: 'messaging.survey_answers', idColumn: 'conversation_id', columns: ['answer'] },
  ],
};
