import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskError } from '../../../kiosk/errors.ts';
import { DatabaseTooNewError } from '../../../kiosk/store/backup.ts';
import { MIGRATIONS } from '../../../kiosk/store/migrations.ts';
import { PG_SCHEMA_VERSION } from '../../../kiosk/store/postgres-migrations.ts';
import { parsePostgresUrl } from '../../../kiosk/store/postgres-url.ts';
import { openPostgres, type PostgresOptions, type PostgresRunner } from '../../../kiosk/store/postgres.ts';
import { all, defer, get, run, type Tx } from '../../../kiosk/store/sql.ts';
import { startPostgres, startStandby, usePostgres } from '../../helpers/postgres.ts';

const pgTest = usePostgres();
const opened: PostgresRunner[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

function options(url: string, overrides: Partial<PostgresOptions> = {}): PostgresOptions {
  // Generous: a loaded machine is slow to connect (the tests that need short limits pass their own).
  return { url, poolSize: 5, statementTimeoutMs: 10_000, connectTimeoutMs: 10_000, ...overrides };
}

async function open(url: string, overrides: Partial<PostgresOptions> = {}): Promise<PostgresRunner> {
  const runner = await openPostgres(options(url, overrides), () => 1_700_000_000_000);
  opened.push(runner);
  return runner;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

function* addEvent(at: number, type: string): Tx<number> {
  const row = yield* get<{ id: number }>(
    'INSERT INTO events (at, day, type, ticket_id, counter_no, payload) VALUES (?, ?, ?, NULL, NULL, ?) RETURNING id',
    at,
    '2025-03-03',
    type,
    '{}',
  );
  return row?.id ?? -1;
}

describe('PostgreSQL schema', () => {
  it('is numbered in lockstep with SQLite', () => {
    expect(PG_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });
});

describe('connection URI', () => {
  it('takes the libpq multi-host form, IPv6 included, and names no password in errors', () => {
    const t = parsePostgresUrl('postgresql://kiosk:s%40cret@hall-a:5433,[::1],hall-b/hall?target_session_attrs=read-write&sslmode=require');
    expect(t.hosts).toEqual([
      { host: 'hall-a', port: 5433 },
      { host: '::1', port: 5432 },
      { host: 'hall-b', port: 5432 },
    ]);
    expect(t).toMatchObject({ user: 'kiosk', password: 's@cret', database: 'hall', targetSessionAttrs: 'read-write', sslmode: 'require' });
    expect(() => parsePostgresUrl('postgresql://kiosk:s3cret@hall-a/hall?target_session_attrs=standby')).toThrow(/target_session_attrs/);
    expect(() => parsePostgresUrl('postgresql://kiosk:s3cret@hall-a/hall?foo=1')).toThrow(/unsupported parameter "foo"/);
    expect(() => parsePostgresUrl('mysql://kiosk:s3cret@hall-a/hall')).not.toThrow(/s3cret/);
  });
});

describe('PostgresRunner', () => {
  it('runs get/all/run and returns numbers for bigint, count and avg', async () => {
    const runner = await open(await pgTest.freshDatabase());
    expect(runner.dialect).toBe('postgres');
    expect(runner.shared).toBe(true);
    const ids = await runner.transaction(function* () {
      const a = yield* addEvent(1_741_000_000_001, 'ticket.issued');
      const b = yield* addEvent(1_741_000_000_003, 'ticket.issued');
      const changed = yield* run('UPDATE events SET counter_no = ? WHERE id IN (?, ?)', 7, a, b);
      return { a, b, changed };
    });
    expect(ids.changed).toEqual({ changes: 2 });
    const summary = await runner.read(function* () {
      const s = yield* get<{ n: number; mean: number; last: number }>(
        'SELECT count(*) AS n, avg(at) AS mean, max(at) AS last FROM events WHERE counter_no = ?',
        7,
      );
      const rows = yield* all<{ id: number; at: number }>('SELECT id, at FROM events ORDER BY id');
      const none = yield* get('SELECT id FROM events WHERE id = ?', -1);
      const spelled = yield* get<{ v: string }>({ sqlite: "SELECT 'sqlite' AS v", postgres: "SELECT 'postgres' || ? AS v" }, '!');
      return { s, rows, none, spelled: spelled?.v };
    });
    expect(summary.s).toEqual({ n: 2, mean: 1_741_000_000_002, last: 1_741_000_000_003 });
    expect(summary.rows).toEqual([
      { id: ids.a, at: 1_741_000_000_001 },
      { id: ids.b, at: 1_741_000_000_003 },
    ]);
    expect(summary.none).toBeUndefined();
    expect(summary.spelled).toBe('postgres!');
    expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5'); // the process-wide parsers are left alone
  });

  it('rolls back a body that throws, and hands SQL errors to the body as they are', async () => {
    const runner = await open(await pgTest.freshDatabase());
    const err = await rejection(
      runner.transaction(function* () {
        yield* addEvent(1, 'a');
        throw new Error('rule broken');
      }),
    );
    expect((err as Error).message).toBe('rule broken');
    const caught = await runner.transaction(function* () {
      yield* run('INSERT INTO meta (key, value) VALUES (?, ?)', 'k', 'v');
      try {
        yield* run('INSERT INTO meta (key, value) VALUES (?, ?)', 'k', 'again');
      } catch (e) {
        return (e as pg.DatabaseError).code;
      }
      return 'no error';
    });
    expect(caught).toBe('23505'); // a unique violation is the rule's business, not STORE_UNAVAILABLE
    const left = await runner.read(() => get<{ n: number }>('SELECT count(*) AS n FROM events'));
    expect(left?.n).toBe(0);
  });

  it('sends BEGIN, the lock and a first statement in one message, and deferred statements with COMMIT', async () => {
    const runner = await open(await pgTest.freshDatabase());
    await runner.transaction(() => addEvent(5, 'seed'));
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    const spy = function (this: pg.Client, ...args: unknown[]) {
      const q = args[0] as string | { text: string };
      sent.push(typeof q === 'string' ? q : q.text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    };
    pg.Client.prototype.query = spy as typeof query;
    try {
      const seen = await runner.transaction(function* () {
        const first = yield* get<{ n: number; at: number }>('SELECT count(*) AS n, max(at) AS at FROM events WHERE at >= ?', 5);
        yield* defer("INSERT INTO meta (key, value) VALUES ('deferred', 'yes')");
        // A statement after a deferred one: the deferred one goes first, in order.
        const row = yield* get<{ value: string }>('SELECT value FROM meta WHERE key = ?', 'deferred');
        yield* defer("INSERT INTO meta (key, value) VALUES ('at-commit', 'yes')");
        return { first, value: row?.value };
      });
      expect(seen).toEqual({ first: { n: 1, at: 5 }, value: 'yes' });
      expect(sent).toHaveLength(4);
      expect(sent[0]).toMatch(/^BEGIN; SELECT pg_advisory_xact_lock\(\d+\); SELECT count\(\*\) AS n, max\(at\) AS at FROM events WHERE at >= 5$/);
      expect(sent[3]).toBe("INSERT INTO meta (key, value) VALUES ('at-commit', 'yes'); COMMIT");
      // An SQL error in the first statement reaches the body (and rolls back) as it would alone.
      sent.length = 0;
      const err = await rejection(runner.transaction(() => get('SELECT * FROM no_such_table WHERE id = ?', 1)));
      expect((err as pg.DatabaseError).code).toBe('42P01');
      // A body that fails after deferring: the deferred statement never runs.
      await rejection(
        runner.transaction(function* () {
          yield* get('SELECT 1 AS one WHERE 1 = ?', 1);
          yield* defer("INSERT INTO meta (key, value) VALUES ('rolled-back', 'yes')");
          throw new Error('rule broken');
        }),
      );
    } finally {
      pg.Client.prototype.query = query;
    }
    const keys = await runner.read(() => all<{ key: string }>('SELECT key FROM meta ORDER BY key'));
    expect(keys.map((k) => k.key)).toEqual(['at-commit', 'deferred']);
  });

  it('serializes the hall: read-then-increment from two pools loses no update', async () => {
    const url = await pgTest.freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await a.transaction(() => run("INSERT INTO number_counters (day, service_code, last_no) VALUES ('2025-03-03', 'A', 0)"));
    function* increment(): Tx<number> {
      const row = yield* get<{ last_no: number }>("SELECT last_no FROM number_counters WHERE day = '2025-03-03' AND service_code = 'A'");
      const next = (row?.last_no ?? 0) + 1;
      yield* run("UPDATE number_counters SET last_no = ? WHERE day = '2025-03-03' AND service_code = 'A'", next);
      return next;
    }
    const issued = await Promise.all([...Array(100).keys()].map((i) => (i % 2 ? a : b).transaction(increment)));
    expect(new Set(issued).size).toBe(100);
    const row = await a.read(() => get<{ last_no: number }>('SELECT last_no FROM number_counters'));
    expect(row?.last_no).toBe(100);
  });

  it('migrates once when two daemons start together, and refuses a newer store', async () => {
    const url = await pgTest.freshDatabase();
    const runners = await Promise.all([openPostgres(options(url)), openPostgres(options(url)), openPostgres(options(url))]);
    opened.push(...runners);
    const versions = await runners[0]!.read(() => all<{ version: number }>('SELECT version FROM schema_version'));
    expect(versions).toEqual([{ version: PG_SCHEMA_VERSION }]);

    await runners[0]!.transaction(() => run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', PG_SCHEMA_VERSION + 1, 0));
    const err = await rejection(openPostgres(options(url)));
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as Error).message).toMatch(new RegExp(`version ${PG_SCHEMA_VERSION + 1}.*knows ${PG_SCHEMA_VERSION}`));
  });

  it('answers STORE_UNAVAILABLE once the server is gone, neither hanging nor crashing', async () => {
    const server = await startPostgres();
    const runner = await open(server.url());
    await runner.transaction(() => addEvent(1, 'a'));
    await server.stop();
    for (const attempt of [runner.transaction(() => addEvent(2, 'b')), runner.read(() => get('SELECT 1 AS one'))]) {
      const err = await rejection(attempt);
      expect(err).toBeInstanceOf(KioskError);
      expect((err as KioskError).code).toBe('STORE_UNAVAILABLE');
      expect((err as KioskError).details).toHaveProperty('postgres');
    }
  });
});

describe('primary and synchronous standby', () => {
  it('keeps an acknowledged row through SIGKILL of the primary, and the multi-host runner reaches the promoted standby', async () => {
    const primary = await startPostgres();
    await primary.createDatabase('hall');
    // The schema exists before the base backup, as in a hall (the first daemon migrated it).
    await (await open(primary.url('hall'))).close();
    const standby = await startStandby(primary, { synchronous: true });
    const url = `postgresql://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/hall?target_session_attrs=read-write`;
    const runner = await open(url);
    const id = await runner.transaction(() => addEvent(1_741_000_000_000, 'ticket.issued'));

    primary.kill();
    // Until the standby is promoted, no host is writable: the kiosk is told so and retries.
    const err = await rejection(runner.transaction(() => addEvent(2, 'ticket.issued')));
    expect((err as KioskError).code).toBe('STORE_UNAVAILABLE');

    await standby.promote();
    const after = await runner.transaction(function* () {
      const next = yield* addEvent(1_741_000_000_500, 'ticket.issued');
      const rows = yield* all<{ id: number; at: number }>('SELECT id, at FROM events ORDER BY id');
      return { next, rows };
    });
    expect(after.rows[0]).toEqual({ id, at: 1_741_000_000_000 });
    expect(after.rows.map((r) => r.id)).toContain(after.next);
    expect(after.next).toBeGreaterThan(id);
  }, 60_000);

  it('answers STORE_UNAVAILABLE while the synchronous standby is lost, instead of waiting for it', async () => {
    const primary = await startPostgres();
    const runner = await open(primary.url(), { statementTimeoutMs: 500, connectTimeoutMs: 500 });
    const standby = await startStandby(primary, { synchronous: true });
    await runner.transaction(() => addEvent(1, 'ticket.issued'));
    standby.kill();
    // PostgreSQL never times out a commit's wait for the standby: the client must.
    const err = await rejection(runner.transaction(() => addEvent(2, 'ticket.issued')));
    expect((err as KioskError).code).toBe('STORE_UNAVAILABLE');
    const rows = await runner.read(() => all<{ at: number }>('SELECT at FROM events'));
    expect(rows).toEqual([{ at: 1 }]); // not acknowledged, and not visible either
  }, 60_000);
});
