/**
 * Issue-2 figures, all measured in one run on the same file system and pragmas:
 * (a) raw better-sqlite3 single-row durable commit rate (the baseline);
 * (b) engine ticket-issue rate with p50/p99 latency;
 * (c) call-next rate;
 * (d) status poll over HTTP, 200 and 304, against a bare Fastify route in the same setup.
 */
import Fastify from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { createKiosk } from '../../kiosk/compose.ts';
import { openDatabase } from '../../kiosk/store/database.ts';
import { buildServer } from '../../server/app.ts';
import { load } from './http-load.ts';

export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly target?: string;
  readonly note?: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function tmp(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'kiosk-bench-')), name);
}

export async function benchQueue(n = 2_000): Promise<Row[]> {
  // (a) baseline: one durable single-row insert per transaction, same pragmas as the store.
  const raw = openDatabase(tmp('raw.db'));
  raw.exec('CREATE TABLE bench (id INTEGER PRIMARY KEY, day TEXT, no INTEGER, payload TEXT)');
  const ins = raw.prepare('INSERT INTO bench (day, no, payload) VALUES (?, ?, ?)');
  const rawTx = raw.transaction((i: number) => ins.run('2026-11-23', i, 'x'.repeat(64)));
  for (let i = 0; i < 100; i++) rawTx.immediate(i);
  let t0 = performance.now();
  for (let i = 0; i < n; i++) rawTx.immediate(i);
  const rawRate = (n / (performance.now() - t0)) * 1000;
  raw.close();

  // (b) engine issue
  const config = loadConfig({ overlay: { api: { rateLimitPerMinute: 100_000_000 } } });
  const kiosk = createKiosk(config, { dbPath: tmp('engine.db') });
  const engine = kiosk.engine!;
  const services = ['general', 'enrol', 'reimburse', 'remote'];
  for (let i = 0; i < 100; i++) await engine.issue({ serviceCode: services[i % 4] as string });
  const lat: number[] = [];
  t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await engine.issue({ serviceCode: services[i % 4] as string, priorityReason: i % 9 === 0 ? 'disabled' : null });
    lat.push(performance.now() - s);
  }
  const issueRate = (n / (performance.now() - t0)) * 1000;
  lat.sort((a, b) => a - b);

  // (c) call-next (+ complete, so the counter is free for the next call): rate of call-next alone
  for (const c of [1, 2, 3, 6]) await engine.openCounter(c);
  const calls = Math.min(n, 1_000);
  let callMs = 0;
  for (let i = 0; i < calls; i++) {
    const counter = [1, 2, 3, 6][i % 4] as number;
    const s = performance.now();
    await engine.callNext(counter);
    callMs += performance.now() - s;
    await engine.complete(counter);
  }
  const callRate = (calls / callMs) * 1000;

  // (d) status poll over HTTP vs a bare route returning a same-size body
  const app = await buildServer(kiosk);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const auth = { authorization: `Bearer ${config.api.hallServerTokens[0]}` };
  const first = await fetch(`${url}/api/v1/queue/status`, { headers: auth });
  const etag = first.headers.get('etag') ?? '';
  const body = await first.text();
  const bare = Fastify({ logger: false });
  bare.get('/bare', async (_req, reply) => reply.type('application/json').send(body));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  const bareRes = await load(`${bareUrl}/bare`);
  const poll200 = await load(`${url}/api/v1/queue/status`, { headers: auth });
  const poll304 = await load(`${url}/api/v1/queue/status`, { headers: { ...auth, 'if-none-match': etag } });
  await app.close();
  await bare.close();
  await kiosk.close();

  return [
    { name: '(a) raw durable commit (baseline)', value: rawRate, unit: 'commits/s' },
    { name: '(b) engine issue', value: issueRate, unit: 'tickets/s', baseline: '(a)', ratio: issueRate / rawRate, target: '>= 0.9' },
    { name: '(b) issue latency p50', value: percentile(lat, 50), unit: 'ms' },
    { name: '(b) issue latency p99', value: percentile(lat, 99), unit: 'ms', target: '<= 2 ms' },
    { name: '(c) call-next', value: callRate, unit: 'calls/s', baseline: '(a)', ratio: callRate / rawRate },
    { name: '(d) bare Fastify route (baseline)', value: bareRes.perSecond, unit: 'req/s' },
    {
      name: '(d) status poll 200',
      value: poll200.perSecond,
      unit: 'req/s',
      baseline: 'bare',
      ratio: poll200.perSecond / bareRes.perSecond,
      target: '>= 0.8',
      note: `statuses ${JSON.stringify(poll200.statusCounts)}`,
    },
    {
      name: '(d) status poll 304',
      value: poll304.perSecond,
      unit: 'req/s',
      baseline: 'bare',
      ratio: poll304.perSecond / bareRes.perSecond,
      target: '>= 0.9',
      note: `statuses ${JSON.stringify(poll304.statusCounts)}`,
    },
  ];
}
