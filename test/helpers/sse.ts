import http from 'node:http';

export interface SseEvent<T = Record<string, unknown>> {
  id: number;
  type: string;
  data: T;
}

/**
 * Opens a text/event-stream over real HTTP, runs `onOpen` once connected, and resolves with the
 * first `count` events carrying data (or, given a predicate, once it holds for the events so far). Events without an id (hello, ping) are skipped unless
 * `withoutId` is set. Rejects on a non-200 answer or a stream of another content type.
 */
export function collectSse<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string>,
  count: number | ((events: readonly SseEvent<T>[]) => boolean),
  onOpen: () => Promise<void> = async () => {},
  options: { withoutId?: boolean } = {},
): Promise<SseEvent<T>[]> {
  const done = typeof count === 'number' ? (events: readonly SseEvent<T>[]) => events.length >= count : count;
  return new Promise((resolve, reject) => {
    const events: SseEvent<T>[] = [];
    const req = http.get(url, { headers }, (res) => {
      if (res.statusCode !== 200 || !/text\/event-stream/.test(res.headers['content-type'] ?? '')) {
        req.destroy();
        reject(new Error(`HTTP ${res.statusCode} ${res.headers['content-type'] ?? ''}`));
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => /^(id|event|data):/.test(l))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
          );
          if (fields.data && (fields.id || options.withoutId))
            events.push({ id: Number(fields.id), type: fields.event as string, data: JSON.parse(fields.data) as T });
          if (done(events)) {
            req.destroy();
            resolve(events);
          }
        }
      });
      onOpen().catch(reject);
    });
    req.on('error', (err) => (done(events) ? undefined : reject(err)));
  });
}
