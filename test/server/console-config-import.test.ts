import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESTART_EXIT_CODE } from '../../kiosk/console/site-file.ts';
import { freePort } from '../helpers/browser.ts';
import { SiteDaemon, untilReady } from '../helpers/site-daemon.ts';
import { ADMIN, consoleLogin, makeServer, TECHNICIAN } from '../helpers/server.ts';

// 导入站点配置: a whole configuration file checked by the boot's schema (Chinese field errors),
// shown as a diff, and applied by the console's safe path — written atomically with the previous
// version kept and a pending marker, a version row, a graceful restart — keeping this kiosk's
// secrets unless the file's are asked for.
const SITE = {
  hall: { name: '示例县医疗保障服务大厅' },
  counters: [
    { number: 1, name: '1号窗口', services: ['general'], token: 'site-counter-token-one-0000000000000001' },
    { number: 2, name: '2号窗口', services: ['general'], token: 'site-counter-token-two-0000000000000002' },
  ],
};

function siteFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'config-import-'));
  const file = join(dir, 'site.json');
  writeFileSync(file, `${JSON.stringify(SITE, null, 2)}\n`);
  return file;
}

interface ImportReply {
  ok: boolean;
  problems: { field: string; message: string }[];
  diff: { path: string; before: unknown; after: unknown }[];
  kept: string[];
  dropped: string[];
  secretsChanged: string[];
  applied: boolean;
  version?: number;
  restarting?: boolean;
}

describe('importing a whole site configuration (in process)', () => {
  it('a bad value gets its Chinese field error and nothing is written; a good one is written with its diff, the secrets kept', async () => {
    const file = siteFile();
    let restarts = 0;
    const s = await makeServer(SITE, { siteFile: file, requestRestart: () => restarts++ });
    try {
      const send = async (config: unknown, extra: Record<string, unknown> = {}, headers = ADMIN) => {
        const res = await s.app.inject({
          method: 'POST',
          url: '/api/v1/console/config/import',
          headers: { ...headers, 'content-type': 'application/json' },
          payload: { config, ...extra },
        });
        return { status: res.statusCode, body: res.json() as ImportReply };
      };
      // What 导出站点配置 gives: the running configuration without its secrets.
      const exported = JSON.parse((await s.app.inject({ method: 'GET', url: '/api/v1/console/config/export', headers: ADMIN })).body) as Record<
        string,
        unknown
      > & {
        hall: Record<string, unknown>;
        counters: Record<string, unknown>[];
      };
      expect(exported.counters[0]).not.toHaveProperty('token');

      const bad = await send({ ...exported, hall: { ...exported.hall, name: '' } }, { apply: true });
      expect(bad.body).toMatchObject({ ok: false, applied: false, problems: [{ field: 'hall.name', message: '配置项 hall.name 不能为空' }] });
      expect(existsSync(`${file}.pending`)).toBe(false);
      expect(restarts).toBe(0);

      // Counters in another order, one renamed: each keeps its own token (matched by number).
      const next = {
        ...exported,
        hall: { ...exported.hall, name: '示例县医疗保障服务大厅（新址）' },
        counters: [{ ...exported.counters[1], name: '2号窗口（综合）' }, exported.counters[0]],
      };
      const check = await send(next);
      expect(check.body).toMatchObject({
        ok: true,
        applied: false,
        kept: expect.arrayContaining(['counters[0].token', 'counters[1].token']),
        secretsChanged: [],
      });
      expect(check.body.diff).toContainEqual({ path: 'hall.name', before: '示例县医疗保障服务大厅', after: '示例县医疗保障服务大厅（新址）' });
      expect(JSON.stringify(check.body.diff)).not.toContain('site-counter-token'); // a counter list in the diff never shows its tokens
      expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(SITE, null, 2)}\n`); // a check writes nothing

      const applied = await send(next, { apply: true });
      expect(applied.body).toMatchObject({ ok: true, applied: true, restarting: true, version: expect.any(Number) });
      const written = JSON.parse(readFileSync(file, 'utf8')) as typeof SITE;
      expect(written.hall.name).toBe('示例县医疗保障服务大厅（新址）');
      expect(written.counters.map((c) => [c.number, c.token])).toEqual([
        [2, SITE.counters[1]!.token],
        [1, SITE.counters[0]!.token],
      ]);
      expect(JSON.parse(readFileSync(`${file}.previous`, 'utf8'))).toEqual(SITE);
      expect(existsSync(`${file}.pending`)).toBe(true); // confirmed by the next start, rolled back if it fails
      await expect.poll(() => restarts).toBe(1);
      const versions = (await s.app.inject({ method: 'GET', url: '/api/v1/console/config/versions', headers: ADMIN })).json() as {
        versions: { id: number; user: string }[];
      };
      expect(versions.versions[0]).toMatchObject({ id: applied.body.version, user: 'admin' });

      // The file's own secrets: left out unless asked for.
      const withToken = { ...next, counters: [{ ...exported.counters[0], token: 'imported-counter-token-00000000000000001' }] };
      expect((await send(withToken)).body).toMatchObject({ ok: true, dropped: ['counters[0].token'], secretsChanged: [] });
      expect((await send(withToken, { includeSecrets: true })).body).toMatchObject({ ok: true, dropped: [], secretsChanged: ['counters[0].token'] });

      expect((await send(next, {}, TECHNICIAN)).status).toBe(403);
    } finally {
      await s.close();
    }
  });
});

// Over a real daemon: the import restarts it (exit code 75, as systemd's Restart=always expects)
// and the next start runs the imported configuration.
const dir = mkdtempSync(join(tmpdir(), 'config-import-daemon-'));
const daemon = new SiteDaemon(join(dir, 'data'));
afterAll(() => daemon.kill());
const start = (site: string, port: number) => daemon.start(site, port);

describe('importing a site configuration into a running daemon', () => {
  it('restarts it by exit code, and it starts with the imported configuration', async () => {
    const site = join(dir, 'site.json');
    writeFileSync(site, `${JSON.stringify({ hall: { name: '示例县医疗保障服务大厅' } }, null, 2)}\n`);
    const port = await freePort();
    let d = start(site, port);
    expect(await untilReady(d.url, d.exited), daemon.out).toBe(true);
    let admin = await consoleLogin(d.url);
    const exported = (await (await fetch(`${d.url}/api/v1/console/config/export`, { headers: admin })).json()) as { hall: Record<string, unknown> };
    const res = await fetch(`${d.url}/api/v1/console/config/import`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ config: { ...exported, hall: { ...exported.hall, name: '导入后的大厅' } }, apply: true }),
    });
    expect(await res.json()).toMatchObject({ ok: true, applied: true, restarting: true });
    expect(await d.exited).toBe(RESTART_EXIT_CODE);

    d = start(site, port);
    expect(await untilReady(d.url, d.exited), daemon.out).toBe(true);
    expect(existsSync(`${site}.pending`)).toBe(false); // started: confirmed
    admin = await consoleLogin(d.url); // the accounts kept their password hashes
    const view = (await (await fetch(`${d.url}/api/v1/console/config`, { headers: admin })).json()) as { config: { hall: { name: string } } };
    expect(view.config.hall.name).toBe('导入后的大厅');
    daemon.kill('SIGTERM');
    await d.exited;
  }, 300_000);
});
