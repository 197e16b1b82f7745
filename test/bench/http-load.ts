/**
 * A small closed-loop HTTP load generator for the benchmarks: `concurrency` clients each send the
 * next request as soon as the previous answer arrived, for `durationMs`, on keep-alive connections.
 * Requests go only to loopback addresses.
 */
import http from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly statusCounts: Record<number, number>;
}

export async function load(url: string, options: { headers?: Record<string, string>; concurrency?: number; durationMs?: number } = {}): Promise<LoadResult> {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('benchmarks only target loopback');
  const concurrency = options.concurrency ?? 8;
  const durationMs = options.durationMs ?? 2_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statusCounts: Record<number, number> = {};
  let requests = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(target, { agent, headers: options.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', () => {
          statusCounts[res.statusCode ?? 0] = (statusCounts[res.statusCode ?? 0] ?? 0) + 1;
          requests++;
          resolve();
        });
      });
      req.on('error', reject);
    });
  const started = performance.now();
  const end = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await once();
    }),
  );
  const elapsed = performance.now() - started;
  agent.destroy();
  return { requests, perSecond: (requests / elapsed) * 1000, statusCounts };
}
