import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonArgs } from '../../kiosk/cli/build/start.mjs';
import { ROOT } from '../helpers/browser.ts';
import { consoleLogin } from '../helpers/server.ts';
import { buildIfStale, freePort, waitForHttp, watch } from './helpers.ts';

/**
 * `npm start` (kiosk/cli/build/start.mjs) as a newcomer runs it: the compiled daemon with a site
 * file in its data directory, so a change saved from the console is kept and its restart (exit 75)
 * happens, as under systemd in a hall.
 */
const work = mkdtempSync(join(tmpdir(), 'npm-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(() => buildIfStale(), 600_000);

const info = async (url: string) => (await (await fetch(`${url}/api/v1/kiosk/info`)).json()) as { hall: { name: string } };

describe('npm start', () => {
  it('gives the daemon a site file in its data directory, starts it again when the console restarts it, and stops on SIGTERM', async () => {
    const dataDir = join(work, 'data');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['kiosk/cli/build/start.mjs', '--port', String(port), '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, KIOSK_CONFIG: undefined, KIOSK_LOG_LEVEL: 'warn', NODE_ENV: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w = watch(child);
    try {
      await waitForHttp(`${url}/api/v1/kiosk/info`, 120_000, () => child.exitCode === null);
      expect(readFileSync(join(dataDir, 'site.json'), 'utf8')).toBe('{}\n');
      expect(w.output()).toContain('已创建站点配置文件');
      const before = (await info(url)).hall.name;

      const admin = await consoleLogin(url);
      const applied = await fetch(`${url}/api/v1/console/config/apply`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({ patch: { hall: { name: `${before}（新址）` } } }),
      });
      expect(await applied.json()).toMatchObject({ ok: true, restarting: true });
      // The daemon exits 75; start.mjs starts it again with the saved site file.
      for (let i = 0; i < 600; i++) {
        const name = await info(url).then(
          (r) => r.hall.name,
          () => null,
        );
        if (name === `${before}（新址）`) break;
        expect(child.exitCode, w.output()).toBeNull();
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await info(url)).hall.name).toBe(`${before}（新址）`);
      expect(JSON.parse(readFileSync(join(dataDir, 'site.json'), 'utf8')).hall.name).toBe(`${before}（新址）`);
      expect(w.output()).toContain('终端服务按维护台的要求重启');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await w.exited, w.output()).toBe(0);
    await expect(fetch(`${url}/api/v1/kiosk/info`)).rejects.toThrow();
  }, 300_000);

  it('leaves a named site file, KIOSK_CONFIG and an existing site file as they are', () => {
    expect(daemonArgs(['--config', '/etc/hall-kiosk/site.json'], {}).args).toEqual(['--config', '/etc/hall-kiosk/site.json']);
    expect(daemonArgs(['--port', '9000'], { KIOSK_CONFIG: '/srv/site.json' }).args).toEqual(['--port', '9000']);
    const dataDir = join(work, 'existing');
    const first = daemonArgs(['--data-dir', dataDir], {});
    expect(first).toEqual({ args: ['--data-dir', dataDir, '--config', join(dataDir, 'site.json')], created: join(dataDir, 'site.json') });
    expect(daemonArgs([`--data-dir=${dataDir}`], {})).toEqual({ args: [`--data-dir=${dataDir}`, '--config', join(dataDir, 'site.json')], created: null });
  });
});
