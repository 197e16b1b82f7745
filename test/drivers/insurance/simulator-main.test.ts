import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('simulator-main', () => {
  it('runs alone, prints its URL and serves the rest contract and the control API until SIGTERM', async () => {
    // Node itself, not the tsx wrapper: the signal goes to the simulator, not to a relay in between.
    const child = spawn(process.execPath, ['--import', 'tsx', 'drivers/insurance/simulator-main.ts', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const first = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (first) resolve(first[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
        setTimeout(() => reject(new Error('no URL printed')), 20_000);
      });
      const state = (await (await fetch(`${url}/control/state`)).json()) as { requests: Record<string, number> };
      expect(state.requests).toEqual({ nhsa: 0, rest: 0, decode: 0 });
      const res = await fetch(`${url}/rest/v1/dictionaries/insutype`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { entries: unknown[] }).entries.length).toBeGreaterThan(10);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    }
  });
});
