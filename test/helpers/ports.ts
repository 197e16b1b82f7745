import { createServer } from 'node:net';

/**
 * A TCP port for a daemon a test starts as a child process.
 *
 * Asking the kernel for port 0 and closing it again races: the number comes from the ephemeral
 * range (32768–60999 on Linux), the same range every outgoing connection and every `listen(0)` of
 * the other test files draws from, so the daemon sometimes found "its" port taken (EADDRINUSE).
 * Ports here come from 20000–31999, below that range, in a band of its own for each vitest worker
 * (VITEST_POOL_ID), from a random start within the band, and are checked by binding once.
 */
const LOW = 20_000;
const BAND = 1_500;
const BANDS = 8;
const pool = Number(process.env.VITEST_POOL_ID ?? process.pid) % BANDS;
let next = Math.floor(Math.random() * BAND);

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < BAND; tries++) {
    const port = LOW + pool * BAND + (next++ % BAND);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${LOW + pool * BAND}–${LOW + (pool + 1) * BAND - 1}`);
}
