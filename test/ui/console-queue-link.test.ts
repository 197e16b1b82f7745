import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createKiosk } from '../../kiosk/compose.ts';
import { buildServer } from '../../server/app.ts';
import { readServerTls } from '../../server/tls.ts';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { ADMIN, seededSessions } from '../helpers/server.ts';

// 连接大厅排队服务 in real Chromium: the kiosk under test (the real daemon, kiosk/main.ts) joins the
// queue of a holder served over https in this process; a wrong code first (its Chinese error,
// nothing written), then the right one; after the restart (systemd's part, done here) the real
// daemon starts on the holder's queue with the pinned hall CA and the page says so.
const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };
const rig = useKioskRig({ config: DEVICES_OFF });
const dir = mkdtempSync(join(tmpdir(), 'queue-link-ui-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
let holder: { url: string; code(): Promise<string>; close(): Promise<void>; ticketCount(): Promise<number> };

beforeAll(async () => {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=hall-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  writeFileSync(file('h.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('req', ...ec, '-keyout', 'h.key', '-out', 'h.csr', '-subj', '/CN=holder');
  openssl(
    'x509',
    '-req',
    '-in',
    'h.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '30',
    '-out',
    'h.pem',
    '-extfile',
    'h.ext',
  );
  const kiosk = createKiosk(loadConfig({ overlay: DEVICES_OFF }), { clock: fakeClock(), dbPath: tempDbPath() });
  const app = await buildServer(kiosk, { consoleSessions: seededSessions(), https: readServerTls({ certFile: file('h.pem'), keyFile: file('h.key') }) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  holder = {
    url,
    async code() {
      const r = await app.inject({ method: 'POST', url: '/api/v1/console/hall/pairing', headers: ADMIN, payload: { device: 'kiosk' } });
      return r.json().code as string;
    },
    async ticketCount() {
      return (await kiosk.queue.status()).services.reduce((n, s) => n + s.waiting, 0);
    },
    async close() {
      await app.close();
      await kiosk.close();
    },
  };
}, 60_000);
afterAll(async () => {
  await holder?.close();
});

async function login(page: Page): Promise<void> {
  await page.goto(`${rig.daemon.url}/console.html`);
  await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
  await page.fill('[data-testid="user"]', 'admin');
  await page.fill('[data-testid="password"]', 'dev-admin-password-0001');
  await page.press('[data-testid="password"]', 'Enter');
  await page.locator('[data-testid="who"]').filter({ hasText: 'admin' }).waitFor({ timeout: 15_000 });
}

const siteText = () => readFileSync(join(rig.daemon.dataDir, 'site.json'), 'utf8');

describe('console 连接大厅排队服务 in real Chromium', () => {
  test('a wrong code is refused in Chinese; the right one links this kiosk to the holder, whose queue it then issues from', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page);
    const state = page.locator('[data-testid="queue-link-state"]');
    await state.filter({ hasText: '本机持有自己的排队队列' }).waitFor({ timeout: 15_000 });
    const right = await holder.code();
    const before = siteText();

    await page.fill('[data-testid="queue-link-url"]', holder.url);
    await page.fill('[data-testid="queue-link-code"]', right === '000000' ? '000001' : '000000');
    await page.fill('[data-testid="queue-link-ca"]', file('ca.pem'));
    await page.click('[data-testid="queue-link-connect"]');
    const message = page.locator('[data-testid="queue-link-message"]');
    await message.filter({ hasText: '配对码错误或已过期' }).waitFor({ timeout: 15_000 });
    await message.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-queue-link-wrong-code');
    expect(siteText()).toBe(before);

    await page.fill('[data-testid="queue-link-code"]', right);
    await page.click('[data-testid="queue-link-connect"]');
    await page.locator('[data-testid="queue-link-message"].ok').waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain('dev-terminal-token-0001');
    expect(JSON.parse(siteText()).queue.remote).toEqual({ url: holder.url, token: 'dev-terminal-token-0001', caFile: file('ca.pem') });

    await rig.daemon.halt();
    await rig.daemon.resume();
    await login(page);
    await state.filter({ hasText: `本机使用 ${holder.url} 的排队队列` }).waitFor({ timeout: 15_000 });
    await state.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-queue-link-linked');
    const waiting = await holder.ticketCount();
    const issued = await fetch(`${rig.daemon.url}/api/v1/kiosk/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceCode: 'general', useIdentity: false, requestId: 'queue-link-ui-0001' }),
    });
    expect(issued.status).toBe(200);
    expect(await holder.ticketCount()).toBe(waiting + 1);
    await page.close();
  }, 180_000);
});
