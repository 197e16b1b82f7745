import { Agent, request } from 'node:https';
import type { RemoteFetch, RemoteReply } from '../../kiosk/calendar/remote-sync.ts';

/**
 * HTTPS to the hall's queue holder that trusts the hall's own CA and nothing else: the agent's
 * `ca` replaces Node's bundled root store, so a certificate from any public or other CA is refused
 * (and the host name is still checked against the certificate). The subset of `fetch` the remote
 * clients use: status, ok, json().
 */
export function pinnedFetch(ca: Buffer): RemoteFetch {
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 8 });
  return (url, init = {}) =>
    new Promise<RemoteReply>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent, signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, json: async () => JSON.parse(text) as unknown });
        });
      });
      req.on('error', reject);
      req.end(init.body ?? undefined);
    });
}
