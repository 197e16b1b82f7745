/**
 * Numbered, append-only migrations. `PRAGMA user_version` records how many have run. A migration
 * is never edited once released and never drops data: a live queue mid-morning must survive an
 * upgrade. Add a new entry at the end to change the schema.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: queue core
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

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
  ) STRICT, WITHOUT ROWID;

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
    UNIQUE (day, display_no)
  ) STRICT;
  -- Partial indexes: most tickets carry neither a request id nor an identity, and an index entry
  -- that is never searched still costs a page write in every issuing commit.
  CREATE UNIQUE INDEX tickets_request ON tickets (request_id) WHERE request_id IS NOT NULL;
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
  CREATE INDEX events_calls ON events (day, type) WHERE type IN ('ticket.called', 'ticket.recalled');

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
  // 3: 好差评: evaluations (immutable), screen audit, 差评 cases, upload outbox, staff sign-in,
  // the editable working-day calendar
  `
  CREATE TABLE evaluation_reason_sets (
    version TEXT PRIMARY KEY,
    reasons TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    request_id TEXT UNIQUE,
    subject TEXT NOT NULL,
    ticket_id INTEGER,
    seq INTEGER NOT NULL,
    parent_id INTEGER REFERENCES evaluations (id),
    day TEXT NOT NULL,
    ticket_day TEXT,
    channel TEXT NOT NULL,
    device TEXT NOT NULL,
    level TEXT NOT NULL,
    is_bad INTEGER NOT NULL,
    reason_codes TEXT NOT NULL,
    reason_set_version TEXT NOT NULL,
    comment TEXT,
    item_code TEXT,
    item_name TEXT,
    counter_no INTEGER,
    staff_id TEXT,
    staff_name TEXT,
    anonymous INTEGER NOT NULL,
    identity_hash TEXT,
    phone_enc TEXT,
    evaluated_at INTEGER NOT NULL,
    UNIQUE (ticket_id, seq)
  ) STRICT;
  CREATE INDEX evaluations_day ON evaluations (day);
  CREATE INDEX evaluations_ticket_day ON evaluations (ticket_day);
  CREATE INDEX evaluations_device ON evaluations (device, evaluated_at);
  CREATE TRIGGER evaluations_immutable BEFORE UPDATE ON evaluations
    BEGIN SELECT RAISE(ABORT, 'evaluations are immutable'); END;
  CREATE TRIGGER evaluations_undeletable BEFORE DELETE ON evaluations
    BEGIN SELECT RAISE(ABORT, 'evaluations are immutable'); END;

  -- Audit trail of evaluation screens: shown, submitted, timeout (未评价), skipped.
  CREATE TABLE evaluation_screens (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    day TEXT NOT NULL,
    ticket_id INTEGER,
    counter_no INTEGER,
    device TEXT NOT NULL,
    kind TEXT NOT NULL,
    evaluation_id INTEGER
  ) STRICT;
  CREATE INDEX evaluation_screens_ticket ON evaluation_screens (ticket_id);

  CREATE TABLE evaluation_cases (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL UNIQUE REFERENCES evaluations (id),
    status TEXT NOT NULL,
    real_name INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    opened_day TEXT NOT NULL,
    contact_due TEXT,
    rectify_due TEXT,
    deadline_problem TEXT,
    contacted_at INTEGER,
    verified_at INTEGER,
    substantiated INTEGER,
    rectified_at INTEGER,
    feedback_at INTEGER,
    closed_at INTEGER,
    appeal_from TEXT,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX evaluation_cases_status ON evaluation_cases (status);

  CREATE TABLE evaluation_case_actions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES evaluation_cases (id),
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    details TEXT NOT NULL
  ) STRICT;
  CREATE INDEX evaluation_case_actions_case ON evaluation_case_actions (case_id);

  -- Upload outbox: one row per evaluation; delivered rows are never sent again.
  CREATE TABLE evaluation_outbox (
    evaluation_id INTEGER PRIMARY KEY REFERENCES evaluations (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
  ) STRICT;
  CREATE INDEX evaluation_outbox_due ON evaluation_outbox (state, next_at);

  CREATE TABLE staff_sessions (
    id INTEGER PRIMARY KEY,
    counter_no INTEGER NOT NULL,
    staff_id TEXT NOT NULL,
    staff_name TEXT NOT NULL,
    identity_hash TEXT,
    signed_in_at INTEGER NOT NULL,
    signed_out_at INTEGER
  ) STRICT;
  CREATE INDEX staff_sessions_counter ON staff_sessions (counter_no, signed_in_at);

  -- Working-day calendar: exceptions to the Mon-Fri week, plus the years the table is complete for.
  CREATE TABLE working_calendar_days (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    source TEXT
  ) STRICT;
  CREATE TABLE working_calendar_coverage (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL
  ) STRICT;
  `,
  // 参保证明 / 参保凭证: verification records (防伪; no name, no ID number, only a masked name and
  // hashes) and durable certificate print jobs (no document content: a reprint re-renders from the
  // citizen's session). Both are purged after the certificate's validity.
  `
  CREATE TABLE certificate_verifications (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    masked_name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    key_hash TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX certificate_verifications_expiry ON certificate_verifications (expires_at);

  CREATE TABLE certificate_prints (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    session_ref TEXT NOT NULL,
    target TEXT NOT NULL,
    printer TEXT,
    state TEXT NOT NULL,
    remote_job_id INTEGER,
    reprint_of INTEGER REFERENCES certificate_prints (id) ON DELETE CASCADE,
    pages INTEGER,
    bytes INTEGER,
    error_code TEXT,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX certificate_prints_code ON certificate_prints (code);
  CREATE UNIQUE INDEX certificate_prints_one_reprint ON certificate_prints (reprint_of) WHERE reprint_of IS NOT NULL;
  CREATE INDEX certificate_prints_state ON certificate_prints (state);
  `,
  // N: working-day calendar imports (who, when, what) and the audit trail of calendar edits
  `
  CREATE TABLE working_calendar_imports (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    format TEXT NOT NULL,
    source TEXT,
    admin_user TEXT NOT NULL,
    operator TEXT,
    imported_at INTEGER NOT NULL,
    days INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    digest TEXT NOT NULL,
    input TEXT NOT NULL
  ) STRICT;
  CREATE TABLE working_calendar_audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    date TEXT,
    year INTEGER,
    before TEXT,
    after TEXT,
    reason TEXT NOT NULL,
    admin_user TEXT NOT NULL,
    operator TEXT,
    import_id INTEGER REFERENCES working_calendar_imports (id)
  ) STRICT;
  CREATE INDEX working_calendar_audit_at ON working_calendar_audit (at);
  `,
  // staff alerts (呼叫工作人员, print failures, paper low, device faults, overdue 差评) with their
  // one acknowledgment; idempotent counter requests (a retry after a lost reply gets the stored reply)
  `
  CREATE TABLE staff_alerts (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    -- Where it came from (event id, print job id, case id and day): one alert per origin.
    source_key TEXT NOT NULL UNIQUE,
    -- While an alert of the same topic is open, the same condition raises no second one.
    topic TEXT NOT NULL,
    counter_no INTEGER,
    message TEXT NOT NULL,
    details TEXT NOT NULL,
    acked_at INTEGER,
    acked_counter INTEGER,
    acked_staff_id TEXT,
    acked_staff_name TEXT
  ) STRICT;
  CREATE INDEX staff_alerts_day ON staff_alerts (day, acked_at);
  CREATE INDEX staff_alerts_topic ON staff_alerts (topic) WHERE acked_at IS NULL;

  CREATE TABLE counter_requests (
    key TEXT PRIMARY KEY,
    counter_no INTEGER,
    action TEXT NOT NULL,
    status INTEGER NOT NULL,
    reply TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX counter_requests_at ON counter_requests (at);
  `,
  // who booked an appointment: the counter that booked it, NULL for the hall server or the admin
  // (kiosk/queue/counter-scope.ts: a hall-server booking is cancelled by the hall server only)
  `
  ALTER TABLE appointments ADD COLUMN booked_counter INTEGER;
  `,
  // technician console: every change made through the console and every login/logout (who, when, what)
  `
  CREATE TABLE console_audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    status INTEGER NOT NULL,
    details TEXT NOT NULL
  ) STRICT;
  CREATE INDEX console_audit_at ON console_audit (at);

  -- site.json versions written from the console: who, when, what changed (secrets masked)
  CREATE TABLE console_config_versions (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    user TEXT NOT NULL,
    diff TEXT NOT NULL
  ) STRICT;
  `,
];
