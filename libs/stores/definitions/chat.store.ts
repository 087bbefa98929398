import { StoreName } from '#app/domain';
import { ofAccountSubjects, siteScopeMigration, type StoreDefinition } from '../store-definition.js';

const OF_ACCOUNT = ofAccountSubjects('chat.engagements', 'engagement_id');

/** Chat engagements: visitor details, transcripts, survey answers and hosted files. */
export const CHAT_STORE: StoreDefinition = {
  store: StoreName.Chat,
  schema: 'chat',
  schemaSql: [
    `CREATE SEQUENCE chat.chat_id_seq START 4295067780`,
    `CREATE TABLE chat.engagements (
      engagement_id text PRIMARY KEY,
      site_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      visitor_name text,
      visitor_email text,
      visitor_phone text,
      visitor_ip text,
      agent_id text,
      skill text,
      started_at timestamptz NOT NULL,
      ended_at timestamptz,
      erased_at timestamptz)`,
    `CREATE TABLE chat.transcript_lines (
      id bigserial PRIMARY KEY,
      engagement_id text NOT NULL,
      seq integer NOT NULL,
      sender text NOT NULL,
      text text,
      sent_at timestamptz NOT NULL)`,
    `CREATE INDEX transcript_lines_engagement_id ON chat.transcript_lines (engagement_id)`,
    `CREATE TABLE chat.survey_answers (
      id bigserial PRIMARY KEY,
      engagement_id text NOT NULL,
      question text NOT NULL,
      answer text)`,
    `CREATE INDEX survey_answers_engagement_id ON chat.survey_answers (engagement_id)`,
    `CREATE TABLE chat.files (
      id bigserial PRIMARY KEY,
      engagement_id text NOT NULL,
      file_name text,
      content_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea,
      deleted_at timestamptz)`,
    `CREATE INDEX files_engagement_id ON chat.files (engagement_id)`,
  ],
  subject: { table: 'chat.engagements', idColumn: 'engagement_id', openExpression: `status = 'open'` },
  migrations: [siteScopeMigration('chat.engagements', 'engagement_id', 'ChatStoreSiteScope')],
  eraseSql: [
    `UPDATE chat.engagements SET visitor_name = $2, visitor_email = $2, visitor_phone = $2, visitor_ip = $2,
       erased_at = coalesce(erased_at, now()) WHERE site_id = $3 AND engagement_id = ANY($1)`,
    `UPDATE chat.transcript_lines c SET text = $2 ${OF_ACCOUNT} AND c.text IS DISTINCT FROM $2`,
    `UPDATE chat.survey_answers c SET answer = $2 ${OF_ACCOUNT} AND c.answer IS DISTINCT FROM $2`,
    `UPDATE chat.files c SET file_name = $2, content = NULL, deleted_at = coalesce(c.deleted_at, now()) ${OF_ACCOUNT}`,
  ],
  personalColumns: [
    {
      table: 'chat.engagements',
      idColumn: 'engagement_id',
      columns: ['visitor_name', 'visitor_email', 'visitor_phone', 'visitor_ip'],
    },
    { table: 'chat.transcript_lines', idColumn: 'engagement_id', columns: ['text'] },
    { table: 'chat.survey_answers', idColumn: 'engagement_id', columns: ['answer'] },
    { table: 'chat.files', idColumn: 'engagement_id', columns: ['file_name', 'content'] },
  ],
};
