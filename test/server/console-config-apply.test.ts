import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESTART_EXIT_CODE } from '../../kiosk/console/site-file.ts';
import { freePort } from '../helpers/browser.ts';
import { SiteDaemon, untilReady } from '../helpers/site-daemon.ts';
import { consoleLogin } from '../helpers/server.ts';

// A configuration change applied from the console over real HTTP: written to the site file, a
// graceful restart by exit code (systemd's Restart=always starts it again — here the test does),
// and a change that passes the schema but cannot start is rolled back by the next start.
const dir = mkdtempSync(join(tmpdir(), 'console-apply-'));
const site = join(dir, 'site.json');
const dataDir = join(dir, 'data');
const daemon = new SiteDaemon(dataDir);
afterAll(() => daemon.kill());
const start = (port: number) => daemon.start(site, port);

const apply = (url: string, session: { cookie: string; origin: string }, patch: unknown) =>
  fetch(`${url}/api/v1/console/config/apply`, { method: 'POST', headers: { ...session, 'content-type': 'application/json' }, body: JSON.stringify({ patch }) });

describe('applying a configuration change from the console', () => {
  it('writes the site file, restarts by exit code, records the version, and rolls back a change that does not start', async () => {
    writeFileSync(site, `${JSON.stringify({ hall: { name: '示例县医疗保障服务大厅' } }, null, 2)}\n`);
    const port = await freePort();

    let d = start(port);
    expect(await untilReady(d.url, d.exited), daemon.out).toBe(true);
    let admin = await consoleLogin(d.url);
    // A bad value: nothing written, the Chinese problem returned.
    const bad = (await (await apply(d.url, admin, { hall: { name: '' } })).json()) as { ok: boolean; problems: { message: string }[] };
    expect(bad).toMatchObject({ ok: false, problems: [{ message: '配置项 hall.name 不能为空' }] });
    expect(existsSync(`${site}.pending`)).toBe(false);

    const ok = await apply(d.url, admin, { hall: { name: '示例县医疗保障服务大厅（新址）' } });
    expect(await ok.json()).toMatchObject({ ok: true, restarting: true });
    expect(await d.exited).toBe(RESTART_EXIT_CODE);
    expect(JSON.parse(readFileSync(site, 'utf8')).hall.name).toBe('示例县医疗保障服务大厅（新址）');
    expect(existsSync(`${site}.pending`)).toBe(true);

    d = start(port);
    expect(await untilReady(d.url, d.exited), daemon.out).toBe(true);
    expect(existsSync(`${site}.pending`)).toBe(false); // started: confirmed
    admin = await consoleLogin(d.url);
    const versions = (await (await fetch(`${d.url}/api/v1/console/config/versions`, { headers: admin })).json()) as {
      versions: { user: string; diff: unknown[] }[];
    };
    expect(versions.versions[0]).toMatchObject({
      user: 'admin',
      diff: [{ path: 'hall.name', before: '示例县医疗保障服务大厅', after: '示例县医疗保障服务大厅（新址）' }],
    });

    // Valid for the schema, but a LAN address with the development secrets cannot start: rolled back.
    expect(await (await apply(d.url, admin, { api: { host: '0.0.0.0' } })).json()).toMatchObject({ ok: true });
    expect(await d.exited).toBe(RESTART_EXIT_CODE);
    d = start(port);
    expect(await d.exited).toBe(78);
    expect(JSON.parse(readFileSync(site, 'utf8')).api).toBeUndefined(); // the previous version is back
    d = start(port);
    expect(await untilReady(d.url, d.exited), daemon.out).toBe(true);
    admin = await consoleLogin(d.url);
    const view = (await (await fetch(`${d.url}/api/v1/console/config`, { headers: admin })).json()) as {
      lastRollback: { reason: string } | null;
      config: { hall: { name: string } };
    };
    expect(view.lastRollback?.reason).toContain('开发用密钥');
    expect(view.config.hall.name).toBe('示例县医疗保障服务大厅（新址）');
    daemon.kill('SIGTERM');
    await d.exited;
  }, 300_000);
});
