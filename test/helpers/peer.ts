import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  readonly key: string;
  readonly body: Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
  readonly answered: number | 'stalled';
}

export type PeerMode = 'ok' | 'fail' | 'stall';

/**
 * A stand-in for the provincial 好差评 endpoint: a real HTTP server on 127.0.0.1 that records
 * every arrival, deduplicates by Idempotency-Key (answering 200 to a repeat, as the real platform
 * is expected to) and can be made to fail (500) or to stall (never answer).
 */
export interface Peer {
  readonly url: string;
  readonly arrivals: Arrival[];
  /** Distinct records accepted, by idempotency key (the peer's dedup store). */
  readonly accepted: Map<string, Record<string, unknown>>;
  mode: PeerMode;
  /** Delay before answering in ok mode (to catch a request in flight). */
  delayMs: number;
  /** Fail the next n requests with 500, then behave as `mode`. */
  failNext(n: number): void;
  /** Resolves once `n` distinct keys were accepted. */
  waitForAccepted(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPeer(port = 0): Promise<Peer> {
  const arrivals: Arrival[] = [];
  const accepted = new Map<string, Record<string, unknown>>();
  const stalled = new Set<ServerResponse>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let failCount = 0;
  const notify = () => {
    for (const w of [...waiters]) {
      if (accepted.size >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  const peer: Peer = {
    url: '',
    arrivals,
    accepted,
    mode: 'ok',
    delayMs: 0,
    failNext(n) {
      failCount = n;
    },
    waitForAccepted(n) {
      return new Promise((resolve) => {
        waiters.push({ n, resolve });
        notify();
      });
    },
    close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const record = (answered: Arrival['answered']) => arrivals.push({ key, body, headers: req.headers, answered });
      if (failCount > 0 || peer.mode === 'fail') {
        if (failCount > 0) failCount--;
        record(500);
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":"ERROR"}');
        return;
      }
      if (peer.mode === 'stall') {
        record('stalled');
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
        return;
      }
      const answer = () => {
        const duplicate = accepted.has(key);
        if (!duplicate && key) accepted.set(key, body);
        record(200);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: duplicate ? 'DUPLICATE' : 'OK' }));
        notify();
      };
      if (peer.delayMs > 0) setTimeout(answer, peer.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  (peer as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evaluations`;
  return peer;
}
