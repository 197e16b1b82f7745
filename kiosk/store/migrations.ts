/**
 * Numbered, append-only migrations. `PRAGMA user_version` records how many have run. A migration
 * is never edited once released and never drops data: a live queue mid-morning must survive an
 * upgrade. Add a new entry at the end to change the schema.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: queue core
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- One row per business day; archived_at is set at the daily reset (rows are never deleted).
  CREATE TABLE days (
    day TEXT PRIMARY KEY,
    opened_at INTEGER NOT NULL,
    archived_at INTEGER
  ) STRICT;

  -- Last number handed out per service and day; incremented inside the issuing transaction.
  CREATE TABLE number_counters (
    day TEXT NOT NULL,
    service_code TEXT NOT NULL,
    last_no INTEGER NOT NULL,
    PRIMARY KEY (day, service_code)
  ) STRICT;

  CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    service_code TEXT NOT NULL,
    number INTEGER NOT NULL,
    display_no TEXT NOT NULL,
    status TEXT NOT NULL,
    priority_reason TEXT,
    identity_hash TEXT,
    appointment_id INTEGER,
    request_id TEXT,
    channel TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    sort_at INTEGER NOT NULL,
    assigned_counter INTEGER,
    counter_no INTEGER,
    called_at INTEGER,
    serving_at INTEGER,
    done_at INTEGER,
    recall_count INTEGER NOT NULL DEFAULT 0,
    requeue_count INTEGER NOT NULL DEFAULT 0,
    original_service TEXT NOT NULL,
    print_state TEXT NOT NULL DEFAULT 'none',
    UNIQUE (day, display_no),
    UNIQUE (request_id)
  ) STRICT;
  CREATE INDEX tickets_waiting ON tickets (day, status, service_code, sort_at);
  CREATE INDEX tickets_identity ON tickets (day, identity_hash) WHERE identity_hash IS NOT NULL;

  -- Every change of a ticket, counter or day: the audit trail, the statistics source and the
  -- event stream (its id is the SSE event id). Payloads never carry personal data.
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    type TEXT NOT NULL,
    ticket_id INTEGER,
    counter_no INTEGER,
    payload TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_day ON events (day, type);

  CREATE TABLE counters (
    number INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    current_ticket_id INTEGER,
    priority_streak INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    service_code TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    identity_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    ticket_id INTEGER,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX appointments_identity ON appointments (identity_hash, day);

  CREATE TABLE booking_records (
    identity_hash TEXT PRIMARY KEY,
    missed INTEGER NOT NULL DEFAULT 0,
    suspended_at INTEGER
  ) STRICT;
  `,
  // 2: durable print jobs: a ticket can be "issued, not printed" and reprinted
  `
  CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    document TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX print_jobs_ticket ON print_jobs (ticket_id);
  CREATE INDEX print_jobs_state ON print_jobs (state);
  `,
];
