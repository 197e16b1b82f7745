/**
 * Benchmarks of the 好差评 module, wired into `npm run bench` by the lead:
 *
 * - benchEvaluationSubmit: evaluations submitted over real HTTP (counter evaluator route: auth,
 *   schema validation, one fsync'd transaction with outbox row and audit row, serialisation),
 *   against a bare Fastify route with the same body in the same run;
 * - benchOutboxDrain: outbox delivery rate to a local HTTP peer that deduplicates by key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load.ts';
import { buildServer } from '../../server/app.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import type { Evaluations } from '../../kiosk/evaluations/index.ts';

export interface SubmitBenchResult {
  readonly evaluations: number;
  readonly concurrency: number;
  readonly submitPerSecond: number;
  readonly bareRoutePerSecond: number;
  /** submit rate ÷ bare rate: the share of HTTP throughput left after the evaluation work. */
  readonly ratio: number;
}

export interface DrainBenchResult {
  readonly evaluations: number;
  readonly concurrency: number;
  readonly deliveredPerSecond: number;
  readonly milliseconds: number;
}

const BENCH_OVERLAY = (url: string | null, concurrency: number) => ({
  api: { rateLimitPerMinute: 100_000_000 },
  evaluation: {
    rateLimits: { perDevicePerMinute: 100_000, perTicketAttempts: 10 },
    upload: { url, concurrency, batchSize: 200, pollMs: 600_000, timeoutMs: 10_000 },
  },
});

interface Rig {
  kiosk: Kiosk & { evaluations: Evaluations };
  dir: string;
  close(): Promise<void>;
}

function rig(url: string | null, concurrency: number): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bench-eval-'));
  const kiosk = createKiosk(loadConfig({ overlay: BENCH_OVERLAY(url, concurrency) }), { dbPath: join(dir, 'kiosk.db') });
  return {
    kiosk,
    dir,
    async close() {
      await kiosk.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Completes `n` tickets at counter 1; returns their ids. */
async function completedTickets(kiosk: Kiosk, n: number): Promise<number[]> {
  const engine = kiosk.engine!;
  await engine.openCounter(1);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push((await engine.issue({ serviceCode: 'general' })).ticket.id);
    await engine.callNext(1);
    await engine.complete(1);
  }
  return ids;
}

async function hammer(n: number, concurrency: number, request: (i: number) => Promise<Response>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < n) {
      const res = await request(next++);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`bench request failed: HTTP ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (n / (performance.now() - started)) * 1000;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export async function benchEvaluationSubmit(options: { evaluations?: number; concurrency?: number } = {}): Promise<SubmitBenchResult> {
  const n = options.evaluations ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const r = rig(null, 4);
  const bare = Fastify({ logger: false });
  bare.post('/bare', async () => ({ ok: true }));
  const app = await buildServer(r.kiosk);
  try {
    const ids = await completedTickets(r.kiosk, n);
    const token = r.kiosk.config.counters[0]!.token;
    const bareUrl = `${await listen(bare)}/bare`;
    const url = `${await listen(app)}/api/v1/evaluator/evaluations`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const levels = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];
    const body = (i: number) => {
      const level = levels[i % 5]!;
      return JSON.stringify({ ticketId: ids[i], level, reasons: level.includes('不满意') ? ['waiting'] : [] });
    };
    const bareRate = await hammer(n, concurrency, (i) => fetch(bareUrl, { method: 'POST', headers, body: body(i) }));
    const submitRate = await hammer(n, concurrency, (i) => fetch(url, { method: 'POST', headers, body: body(i) }));
    return {
      evaluations: n,
      concurrency,
      submitPerSecond: Math.round(submitRate),
      bareRoutePerSecond: Math.round(bareRate),
      ratio: Math.round((submitRate / bareRate) * 1000) / 1000,
    };
  } finally {
    await app.close();
    await bare.close();
    await r.close();
  }
}

export async function benchOutboxDrain(options: { evaluations?: number; concurrency?: number } = {}): Promise<DrainBenchResult> {
  const n = options.evaluations ?? 1000;
  const concurrency = options.concurrency ?? 4;
  const seen = new Set<string>();
  const peer = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.add(String(req.headers['idempotency-key']));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"OK"}');
    });
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', () => resolve()));
  const r = rig(`http://127.0.0.1:${(peer.address() as AddressInfo).port}/evaluations`, concurrency);
  try {
    const ev = r.kiosk.evaluations;
    for (const ticketId of await completedTickets(r.kiosk, n)) ev.submitTicket({ ticketId, channel: 'counter-evaluator', device: 'counter:1', level: '满意' });
    const started = performance.now();
    const result = await ev.outbox.drainAll();
    const ms = performance.now() - started;
    if (result.delivered !== n || seen.size !== n) throw new Error(`outbox bench delivered ${result.delivered}/${n} (peer saw ${seen.size})`);
    return { evaluations: n, concurrency, deliveredPerSecond: Math.round((n / ms) * 1000), milliseconds: Math.round(ms) };
  } finally {
    await r.close();
    peer.closeAllConnections();
    await new Promise<void>((resolve) => peer.close(() => resolve()));
  }
}
