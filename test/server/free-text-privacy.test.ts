import { readFileSync, existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer } from '../../server/app.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { ADMIN, COUNTER, seededSessions, TERMINAL } from '../helpers/server.ts';
import type { FastifyInstance } from 'fastify';

/**
 * The privacy byte-grep over free-text fields: an ID number and a mobile number typed into an
 * evaluation comment, a 差评 case note and the assistance request's screen field must not appear
 * in the daemon's log or in the database files (with -wal), byte for byte.
 */
const ID = SAMPLE_CARDS.adult.idNumber;
const PHONE = '13912345678';
const needles = [ID, PHONE];

let app: FastifyInstance;
let kiosk: Kiosk;
let dbPath: string;
const log: Buffer[] = [];

beforeAll(async () => {
  dbPath = tempDbPath();
  kiosk = createKiosk(loadConfig(), { clock: fakeClock(), dbPath });
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (log.push(Buffer.from(chunk)), done()) });
  app = await buildServer(kiosk, { logger: pino({ level: 'debug' }, sink), consoleSessions: seededSessions() });
  await app.ready();
});
afterAll(async () => {
  await kiosk.evaluations?.outbox.stop();
  await app.close();
  await kiosk.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: `/api/v1${url}`, payload, headers });

describe('free text with personal data (issue 10 item 14)', () => {
  it('stores comments and case notes masked, refuses free text as an assistance screen, and leaves no number in the log or the database', async () => {
    await post('/counters/1/open', {}, COUNTER(1));
    await post('/terminal/tickets', { serviceCode: 'general' }, TERMINAL);
    await post('/counters/1/call-next', {}, COUNTER(1));
    const t = (await post('/counters/1/complete', {}, COUNTER(1))).json().ticket;
    const text = `我的身份证号${ID}，电话 ${PHONE.slice(0, 3)} ${PHONE.slice(3, 7)} ${PHONE.slice(7)}，请回电`;
    const ev = await post('/evaluator/evaluations', { ticketId: t.id, level: '不满意', reasons: ['waiting'], text }, COUNTER(1));
    expect(ev.statusCode).toBe(200);
    expect(ev.json().evaluation.text).toBe(
      `我的身份证号${ID.slice(0, 3)}${'*'.repeat(11)}${ID.slice(-4)}，电话 ${PHONE.slice(0, 3)}****${PHONE.slice(7)}，请回电`,
    );
    const caseId = ev.json().case.id as number;
    const visit = await post(
      `/evaluations/cases/${caseId}/visit`,
      { actor: 'S001', method: 'phone', reached: true, note: `已回访 ${PHONE}，核对身份证 ${ID}` },
      ADMIN,
    );
    expect(visit.statusCode).toBe(200);

    // The assistance request takes a screen code from a fixed list; typed text is refused (and not logged).
    expect((await post('/kiosk/assistance', { screen: ID })).statusCode).toBe(400);
    expect((await post('/kiosk/assistance', { screen: `取号 ${PHONE}` })).statusCode).toBe(400);
    expect((await post('/kiosk/assistance', { screen: 'take' })).statusCode).toBe(200);

    kiosk.db.pragma('wal_checkpoint(PASSIVE)');
    const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
    const hits: string[] = [];
    const scan = (label: string, bytes: Buffer) => {
      for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) hits.push(`${label}: ${n.slice(0, 3)}…`);
    };
    for (const f of files) scan(f.split('/').pop()!, readFileSync(f));
    const logBytes = Buffer.concat(log);
    expect(logBytes.toString('utf8')).toContain('assistance requested');
    scan('log', logBytes);
    expect(files.length).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
