/**
 * The hall day on PostgreSQL (issue 17): a primary with a synchronous streaming standby from
 * test/helpers/postgres.ts, and, after the day, a copy of the hall store in a SQLite file with the
 * product's own schema (kiosk/store/migrations.ts), so that invariants.ts and report.ts check the
 * PostgreSQL day with the very queries they run on a SQLite day.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { migrate } from '../../kiosk/store/database.ts';
import { multiHostUrl } from '../helpers/pg-hall.ts';
import { type PgServer, startPostgres, startStandby } from '../helpers/postgres.ts';

export interface HallPostgres {
  /** The daemons' storage.postgres.url (primary, then standby; target_session_attrs=read-write). */
  readonly url: string;
  readonly primary: PgServer;
  readonly standby: PgServer;
  stop(): Promise<void>;
}

export async function startHallPostgres(): Promise<HallPostgres> {
  const primary = await startPostgres();
  const standby = await startStandby(primary, { synchronous: true }).catch(async (err: Error) => {
    await primary.stop();
    throw err;
  });
  await primary.createDatabase('hall');
  return {
    url: multiHostUrl(primary, standby, 'hall'),
    primary,
    standby,
    async stop() {
      await standby.stop().catch(() => undefined);
      await primary.stop().catch(() => undefined);
    },
  };
}

/** pg's int8 (bigint), numeric: the product stores integers there (ids, epoch ms, flags). */
const NUMERIC_TYPES = new Set([20, 1700]);

/**
 * Copies every table of the hall store on PostgreSQL (`database`, read on the primary) into a new
 * SQLite file at `target` made by the product's SQLite migrations, keeping ids. Print jobs are not
 * in the hall store: each terminal keeps its own in its kiosk.db (kiosk/printing/print-service.ts),
 * so they come from `terminalDbs` (new ids; a print job is only ever read by ticket_id). Returns
 * the number of rows copied per table.
 */
export async function copyHallStoreToSqlite(
  primary: PgServer,
  database: string,
  target: string,
  terminalDbs: readonly string[],
): Promise<Record<string, number>> {
  const db = new Database(target);
  migrate(db);
  const copied: Record<string, number> = {};
  const client = new pg.Client({ connectionString: primary.url(database) });
  await client.connect();
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
      (r) => r.name,
    );
    const inPg = new Set(
      (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename),
    );
    for (const table of tables) {
      if (table === 'print_jobs' || table === 'meta' || !inPg.has(table)) continue;
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const result = await client.query(`SELECT * FROM ${table}`);
      const fields = result.fields.filter((f) => columns.includes(f.name));
      if (fields.length === 0) continue;
      const insert = db.prepare(`INSERT INTO ${table} (${fields.map((f) => f.name).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`);
      db.transaction(() => {
        for (const row of result.rows as Record<string, unknown>[]) insert.run(...fields.map((f) => sqliteValue(row[f.name], f.dataTypeID)));
      })();
      copied[table] = result.rows.length;
    }
  } finally {
    await client.end();
  }
  let jobs = 0;
  const insertJob = db.prepare(
    'INSERT INTO print_jobs (ticket_id, kind, state, document, error_code, error_message, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const file of terminalDbs) {
    if (!existsSync(file)) continue;
    const local = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const rows = local
        .prepare('SELECT ticket_id, kind, state, document, error_code, error_message, attempts, created_at, updated_at FROM print_jobs ORDER BY id')
        .all() as Record<string, unknown>[];
      db.transaction(() => {
        for (const r of rows) insertJob.run(r.ticket_id, r.kind, r.state, r.document, r.error_code, r.error_message, r.attempts, r.created_at, r.updated_at);
      })();
      jobs += rows.length;
    } finally {
      local.close();
    }
  }
  copied.print_jobs = jobs;
  db.close();
  return copied;
}

function sqliteValue(v: unknown, typeId: number): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && NUMERIC_TYPES.has(typeId)) return Number(v);
  if (v instanceof Date) return v.getTime();
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}
