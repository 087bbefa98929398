import { StoreName } from '#app/domain';

/*
 * Realistic fake data, generated inside PostgreSQL (generate_series) so 100k subjects take seconds.
 * Every subject's full name, email and phone are unique to it across all four stores (they are spelled from
 * a person number drawn from a range of the store's own), so a scan for one subject's strings never hits another subject.
 * Parameters: $1 site id, $2 how many subjects, $3 ratio of open chats/conversations.
 */

const FIRST_NAMES = `(ARRAY['Olivia','Liam','Emma','Noah','Amelia','Oliver','Sophia','Elijah','Mia','Lucas','Aisha','Mateo',
  'Yuki','Ravi','Chloe','Diego','Fatima','Hugo','Ingrid','Kenji','Lena','Marco','Nadia','Omar','Priya','Quentin',
  'Rosa','Sven','Tariq','Uma','Viktor','Wen','Ximena','Yara','Zoe','Aaron','Bianca','Carlos','Dana','Erik'])`;
const LAST_NAMES = `(ARRAY['Smith','Garcia','Nguyen','Müller','Rossi','Kowalski','Okafor','Tanaka','Silva','Haddad',
  'Johansson','Patel','Dubois','Novak','Cohen','Kim','Fernandez','Murphy','Schmidt','Ivanova'])`;

/**
 * seq (from the store's sequence) and, for $2 subjects, a person number n = seq + offset that is unique across
 * the four stores, with the first, last and full name, email and phone spelled from it.
 */
const people = (sequence: string, offset: number) => `people AS MATERIALIZED (
  SELECT seq, n, open, first, last, first || ' ' || last AS full_name,
         lower(first) || '.' || lower(translate(n::text, '0123456789', 'abcdefghij')) || n || '@example.com' AS email,
         '+1 555 ' || n AS phone
  FROM (
    SELECT seq, n, open,
           ${FIRST_NAMES}[1 + n % 40] AS first,
           ${LAST_NAMES}[1 + (n / 40) % 20] || '-' || initcap(translate(n::text, '0123456789', 'aeioubdklm')) AS last
    FROM (SELECT seq, seq + ${offset} AS n, open
          FROM (SELECT nextval('${sequence}') AS seq, random() < $3 AS open FROM generate_series(1, $2)) drawn) numbered
  ) named
)`;

/**
 * A CTE giving each subject `texts.length` turns of a conversation in `table` (its columns: the subject's id, the
 * turn number, the author, the text, the time); odd turns are by `authors[0]`, even ones by `authors[1]`. `at`
 * may use `turn`.
 */
const turns = (cte: string, table: string, columns: string, authors: [string, string], texts: string[], at: string) => `
    ${cte} AS (
      INSERT INTO ${table} (${columns})
      SELECT id, turn, CASE WHEN turn % 2 = 1 THEN '${authors[0]}' ELSE '${authors[1]}' END,
             CASE turn ${texts
               .slice(0, -1)
               .map((text, i) => `WHEN ${i + 1} THEN ${text}`)
               .join('\n                       ')}
                       ELSE ${texts.at(-1)} END,
             ${at}
      FROM subjects, generate_series(1, ${texts.length}) turn)`;

/** A CTE giving each subject one file in `table`, named after them, its bytes `text` four times over. */
const files = (cte: string, table: string, idColumn: string, suffix: string, contentType: string, text: string) => `
    ${cte} AS (
      INSERT INTO ${table} (${idColumn}, file_name, content_type, size_bytes, content)
      SELECT id, lower(replace(full_name, ' ', '-')) || '${suffix}', '${contentType}', octet_length(body), body
      FROM (SELECT id, full_name, convert_to(repeat(${text}, 4), 'UTF8') AS body
            FROM subjects) f)`;

/** When a chat or messaging turn was sent: a minute apart per person number, ten seconds apart per turn. */
const SENT_AT = "now() - (n % 1000) * interval '1 minute' + turn * interval '10 seconds'";

export const SEED_SQL: Readonly<Record<StoreName, string>> = {
  [StoreName.Chat]: `
    WITH ${people('chat.chat_id_seq', 0)},
    subjects AS MATERIALIZED (SELECT *, $1 || seq AS id FROM people),
    engagements AS (
      INSERT INTO chat.engagements (engagement_id, site_id, status, visitor_name, visitor_email, visitor_phone,
                                    visitor_ip, agent_id, skill, started_at, ended_at)
      SELECT id, $1, CASE WHEN open THEN 'open' ELSE 'closed' END, full_name, email, phone,
             format('10.%s.%s.%s', (n >> 16) & 255, (n >> 8) & 255, n & 255), 'agent-' || n % 50,
             (ARRAY['sales','support','billing'])[1 + n % 3], now() - (n % 1000) * interval '1 minute',
             CASE WHEN open THEN NULL ELSE now() END
      FROM subjects),
    ${turns(
      'lines',
      'chat.transcript_lines',
      'engagement_id, seq, sender, text, sent_at',
      ['visitor', 'agent'],
      [
        "format('Hi, I am %s and my email is %s', full_name, email)",
        "format('Hello %s, how can I help you today?', first)",
        "format('Please call me back at %s about my order', phone)",
        "format('Thanks %s, we will follow up shortly.', full_name)",
      ],
      SENT_AT,
    )},
    surveys AS (
      INSERT INTO chat.survey_answers (engagement_id, question, answer)
      SELECT id, 'How was your chat?', format('Great service, thanks! (%s, %s)', full_name, phone) FROM subjects),
    ${files(
      'files',
      'chat.files',
      'engagement_id',
      '-receipt.pdf',
      'application/pdf',
      "format('Receipt for %s <%s>. ', full_name, email)",
    )}
    SELECT id FROM subjects ORDER BY n`,

  [StoreName.Messaging]: `
    WITH ${people('messaging.seed_seq', 6_000_000_000)},
    subjects AS MATERIALIZED (SELECT *, gen_random_uuid()::text AS id, gen_random_uuid()::text AS consumer_id FROM people),
    conversations AS (
      INSERT INTO messaging.conversations (conversation_id, site_id, consumer_id, status, consumer_sdes, channel,
                                           started_at, closed_at)
      SELECT id, $1, consumer_id, CASE WHEN open THEN 'open' ELSE 'closed' END,
             jsonb_build_object('firstName', first, 'lastName', last, 'email', email, 'phone', phone),
             (ARRAY['web','sms','whatsapp','apple'])[1 + n % 4], now() - (n % 1000) * interval '1 minute',
             CASE WHEN open THEN NULL ELSE now() END
      FROM subjects),
    ${turns(
      'messages',
      'messaging.messages',
      'conversation_id, seq, sender_role, text, sent_at',
      ['CONSUMER', 'AGENT'],
      [
        "format('Hi, this is %s (%s)', full_name, email)",
        "format('Hi %s, let me look into it', first)",
        "format('My number is %s, text me there', phone)",
        "format('Done, %s. Anything else?', full_name)",
      ],
      SENT_AT,
    )},
    ${files(
      'files',
      'messaging.files',
      'conversation_id',
      '-photo.jpg',
      'image/jpeg',
      "format('Photo of %s, %s. ', full_name, phone)",
    )},
    surveys AS (
      INSERT INTO messaging.survey_answers (conversation_id, question, answer)
      SELECT id, 'Anything to add?', format('Please email me at %s', email) FROM subjects)
    SELECT id FROM subjects ORDER BY n`,

  [StoreName.Consumer]: `
    WITH ${people('consumer.seed_seq', 7_000_000_000)},
    subjects AS MATERIALIZED (SELECT *, gen_random_uuid()::text AS id FROM people),
    profiles AS (
      INSERT INTO consumer.consumer_profiles (consumer_id, site_id, first_name, last_name, email, phone,
                                              personal_info_sdes, customer_info_sdes, created_at)
      SELECT id, $1, first, last, email, phone,
             jsonb_build_object('name', full_name, 'email', email, 'phone', phone,
                                'birthday', format('19%s-0%s-1%s', 50 + n % 49, 1 + n % 9, n % 10)),
             jsonb_build_object('customerId', 'CUST-' || n, 'accountName', full_name, 'address', format('%s Elm Street', n)),
             now()
      FROM subjects)
    SELECT id FROM subjects ORDER BY n`,

  [StoreName.Ticketing]: `
    WITH ${people('ticketing.ticket_id_seq', 8_000_000_000)},
    subjects AS MATERIALIZED (SELECT *, seq::text AS id FROM people),
    tickets AS (
      INSERT INTO ticketing.tickets (ticket_id, site_id, status, subject, requester_name, requester_email, contact_info,
                                     email_headers, user_defined_fields, created_at)
      SELECT id, $1, (ARRAY['open','pending','solved'])[1 + n % 3], format('Refund for %s', full_name), full_name, email,
             format('%s, %s Main Street', phone, n), format(E'From: %s <%s>\\r\\nTo: support@brand.example', full_name, email),
             jsonb_build_object('customerNumber', 'C-' || n, 'preferredContact', phone), now()
      FROM subjects),
    ${turns(
      'interactions',
      'ticketing.interactions',
      'ticket_id, seq, author_role, text, created_at',
      ['requester', 'agent'],
      [
        "format('I am %s, my order never arrived. Reach me at %s', full_name, phone)",
        "format('Sorry %s, we are checking', first)",
        "format('Thanks, please write to %s', email)",
      ],
      "now() + turn * interval '1 hour'",
    )},
    ${files(
      'attachments',
      'ticketing.attachments',
      'ticket_id',
      '-invoice.pdf',
      'application/pdf',
      "format('Invoice of %s <%s>. ', full_name, email)",
    )}
    SELECT id FROM subjects ORDER BY n`,
};
