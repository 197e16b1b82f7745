import { Agent, request } from 'node:http';

/**
 * A minimal HTTP client for the actors: loopback only, keep-alive through one agent, JSON in and
 * out. A refused or reset connection (the daemon was killed) is reported as `status: 0` rather
 * than thrown, so actors can wait for the daemon and retry.
 */
export interface Reply<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  /** The connection failed (daemon down or killed mid-request). */
  down: boolean;
  error?: string;
}

export interface CallOptions {
  token?: string | undefined;
  basic?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class Api {
  readonly base: string;
  #agent: Agent;

  constructor(base: string) {
    this.base = base;
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
  }

  /** Drops idle pooled connections (before counting the daemon's file descriptors). */
  resetPool(): void {
    this.#agent.destroy();
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64 });
  }

  close(): void {
    this.#agent.destroy();
  }

  get<T = any>(path: string, options: CallOptions = {}): Promise<Reply<T>> {
    return this.call<T>('GET', path, options);
  }

  post<T = any>(path: string, options: CallOptions = {}): Promise<Reply<T>> {
    return this.call<T>('POST', path, { body: {}, ...options });
  }

  call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const url = new URL(path, this.base);
    const payload = options.body === undefined ? null : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.basic) headers.authorization = `Basic ${Buffer.from(options.basic).toString('base64')}`;
    return new Promise((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => resolve({ status: 0, headers: {}, body: null as T, down: true, error: err.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, down: false });
        });
      });
      // A reply that takes 20 s is treated like a lost connection (`down`): the callers wait for
      // the daemon and retry the idempotent request, as after a SIGKILL. It never decides an
      // invariant by itself; the daemon's own whole-request timeout is 30 s (README, Timeouts).
      req.setTimeout(options.timeoutMs ?? 20_000, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => resolve({ status: 0, headers: {}, body: null as T, down: true, error: err.message }));
      if (payload) req.write(payload);
      req.end();
    });
  }
}

/** The error code of a JSON error reply, if any. */
export function errorCode(reply: Reply): string | undefined {
  const b = reply.body as { error?: { code?: string } } | null;
  return b && typeof b === 'object' ? b.error?.code : undefined;
}
