/** The eight keys of a record, in the order and spelling of the platform's documented example (docs/ARCHITECTURE.md, "Record"). */
export const DOCUMENTED_KEYS = [
  'request_id',
  'siteid',
  'request_time',
  'requested_by',
  'cancelled_by',
  'delete_json',
  'cancel_timestamp',
  'is_canceled',
] as const;
