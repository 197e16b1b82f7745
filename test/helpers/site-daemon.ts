import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './browser.ts';

/**
 * A real daemon (kiosk/main.ts under tsx) started from a site file over real HTTP, the way systemd
 * runs it: the console's apply and import end it with exit code 75 and the test starts it again.
 * Its output is kept for failure messages.
 */
export class SiteDaemon {
  readonly dataDir: string;
  out = '';
  #child: ChildProcess | null = null;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
  }

  start(site: string, port: number): { url: string; exited: Promise<number> } {
    this.out = '';
    const c = spawn(process.execPath, ['--import', 'tsx', 'kiosk/main.ts', '--config', site, '--port', String(port), '--data-dir', this.dataDir], {
      cwd: ROOT,
      env: { ...process.env, KIOSK_LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = c;
    c.stdout.on('data', (d: Buffer) => (this.out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (this.out += d.toString()));
    return { url: `http://127.0.0.1:${port}`, exited: new Promise<number>((resolve) => c.once('exit', (code) => resolve(code ?? -1))) };
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.#child?.kill(signal);
  }
}

/** True once the daemon answers; false if it exited first (or never answered: a guard, not a timing). */
export async function untilReady(url: string, exited: Promise<number>): Promise<boolean> {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    try {
      if ((await fetch(`${url}/api/v1/kiosk/info`)).ok) return true;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
