import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const LISTENER = fileURLToPath(new URL('./notify-listener.py', import.meta.url));

export { freePort } from '../helpers/ports.ts';

const BUILD = fileURLToPath(new URL('../../kiosk/cli/build/build.mjs', import.meta.url));

/**
 * `npm run build -- --if-stale`: compiles dist/ (server and UI) when a source is newer, so a test or
 * bench that runs the compiled daemon runs the code of this checkout. Throws with the build's output.
 */
export function buildIfStale(): void {
  const r = spawnSync(process.execPath, [BUILD, '--if-stale'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

/** The node options the daemon's systemd unit starts it with (its ExecStart), for tests and the bench. */
export { unitNodeFlags as daemonNodeFlags } from '../../kiosk/cli/build/start.mjs';

export interface Notification {
  readonly t: number;
  readonly msg: string;
  /** Wall clock (ms) when the test received it. */
  readonly at: number;
}

/** A NOTIFY_SOCKET bound by python3 (node cannot bind unix datagram sockets). */
export async function notifySocket(path: string): Promise<{
  messages: Notification[];
  child: ChildProcess;
  waitFor(pred: (m: Notification) => boolean, timeoutMs: number): Promise<Notification>;
  close(): void;
}> {
  const child = spawn('python3', [LISTENER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: Notification[] = [];
  const waiters: { pred: (m: Notification) => boolean; resolve: (m: Notification) => void }[] = [];
  let buf = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const m = { ...(JSON.parse(line) as { t: number; msg: string }), at: Date.now() };
      messages.push(m);
      for (const w of [...waiters]) {
        if (w.pred(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  const waitFor = (pred: (m: Notification) => boolean, timeoutMs: number) =>
    new Promise<Notification>((resolve, reject) => {
      const found = messages.find(pred);
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no matching notification within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.msg))}`)),
        timeoutMs,
      );
      waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  await waitFor((m) => m.msg === 'LISTENING', 30_000);
  return { messages, child, waitFor, close: () => child.kill() };
}

/** Collects a child's output and resolves when it exits. */
export function watch(child: ChildProcess): { output: () => string; exited: Promise<number | null> } {
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (c: string) => (out += c));
  child.stderr?.on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => out, exited };
}

/** Polls `url` until it answers 200 or the process exits. */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    if (!alive()) throw new Error(`process exited before ${url} answered`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
