import { readFileSync } from 'node:fs';
import type { Receipt } from '../../drivers/printer/index.ts';
import type { TestServer } from './server.ts';

/** Drive a simulated device through the development API, as the UI tests do. */
export async function act(s: TestServer, kind: string, action: string, args: object = {}) {
  const res = await s.app.inject({ method: 'POST', url: `/api/v1/dev/simulators/${kind}/actions/${action}`, payload: args });
  if (res.statusCode !== 200) throw new Error(`${kind}/${action}: ${res.body}`);
  return res.json();
}

export async function lastReceipt(s: TestServer): Promise<{ receipt: Receipt; text: string }> {
  const res = await s.app.inject({ method: 'GET', url: '/api/v1/dev/simulators/printer/receipts/last' });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
}

/** Resolves when `probe` returns truthy, polling every 25 ms (gives up after `ms`). */
export async function until<T>(probe: () => Promise<T> | T, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function fileContains(path: string, needle: string): boolean {
  return readFileSync(path).includes(Buffer.from(needle, 'utf8'));
}
