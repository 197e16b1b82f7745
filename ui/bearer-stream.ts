/**
 * An event stream read with fetch, so a bearer token travels in a header (EventSource can only put
 * it in the URL). Resumes from the last event id after a dropped connection, retrying every
 * `retryMs`; `onConnected` reports each connect and drop. Returns a stop function.
 */
export function followBearerStream(
  url: string,
  token: string,
  onEvent: (type: string, data: unknown) => void,
  onConnected: (up: boolean) => void,
  retryMs: number,
): () => void {
  const controller = new AbortController();
  let lastId = '';
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onConnected(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              const i = line.indexOf(':');
              if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
            }
            if (fields.id) lastId = fields.id;
            if (fields.event) onEvent(fields.event, fields.data ? (JSON.parse(fields.data) as unknown) : null);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      onConnected(false);
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void run();
  return () => controller.abort();
}
