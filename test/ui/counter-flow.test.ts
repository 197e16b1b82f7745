import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';
import { consoleLogin } from '../helpers/server.ts';

/**
 * Two counter workstations and a window display on one daemon, in Chromium. Workstation 1 reaches
 * the daemon through a proxy this test can cut: in "swallow" mode a request still reaches the
 * daemon but its reply is lost (the hard case for not doing an action twice), in "refuse" mode
 * nothing gets through. Everything at the workstations is done with the keyboard, except the
 * double click.
 */
const rig = useKioskRig();

type Mode = 'pass' | 'swallow' | 'refuse';
function cuttableProxy(target: string): { server: Server; url: () => string; set(mode: Mode): void } {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  let mode: Mode = 'pass';
  const server = createServer((req, res) => {
    if (mode === 'refuse') {
      req.socket.destroy();
      return;
    }
    const up = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      if (mode === 'swallow') {
        r.resume();
        req.socket.destroy(); // the daemon acted; the workstation never hears of it
        return;
      }
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    server,
    url: () => `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    set(m) {
      mode = m;
      if (m !== 'pass') for (const s of sockets) s.destroy(); // the event stream drops too
    },
  };
}

async function setUp(page: Page, base: string, token: string, staffId: string, name: string): Promise<void> {
  await page.goto(`${base}/counter.html`);
  await page.locator('[data-testid=token]').fill(token);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=sign-in]').waitFor();
  await page.locator('[data-testid=staff-id]').fill(staffId);
  await page.locator('[data-testid=staff-name]').fill(name);
  await page.locator('[data-testid=staff-pin]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=staff]').waitFor();
  await page.locator('[data-testid=staff]').click(); // focus leaves the inputs: keys go to the caller
}

const text = (page: Page, testid: string) => page.locator(`[data-testid=${testid}]`).first().textContent();
const idle = (page: Page) => page.locator('[data-testid=sending], [data-testid=offline]').count();

describe('counter workstations and the window display', () => {
  it('run ten tickets through every action by keyboard, survive a network cut, and share alerts', async () => {
    const { daemon, browser } = rig;
    const proxy = cuttableProxy(daemon.api);
    await new Promise<void>((r) => proxy.server.listen(0, '127.0.0.1', r));
    const events = (type: string, counterNo: number) => countEvents(daemon.api, type, counterNo);
    try {
      const tickets: string[] = [];
      for (let i = 0; i < 10; i++) {
        const body = i === 1 ? { serviceCode: 'general', priorityReason: 'disabled' } : { serviceCode: 'general' };
        // Issued as another kiosk of the hall would: /terminal/* needs a terminal token.
        const res = await fetch(`${daemon.api}/api/v1/terminal/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer dev-terminal-token-0001' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        tickets.push(((await res.json()) as { ticket: { displayNo: string } }).ticket.displayNo);
      }
      const ws1 = await browser.page(LANDSCAPE);
      const ws2 = await browser.page(LANDSCAPE);
      const win = await browser.page(LANDSCAPE);
      await setUp(ws1, proxy.url(), 'dev-counter-token-0001', 'S001', '张三');
      await setUp(ws2, daemon.url, 'dev-counter-token-0002', 'S002', '李四');
      await win.goto(`${daemon.url}/window.html?counter=1&token=dev-hall-server-token-0001`);
      await expect.poll(() => text(win, 'window-state')).toBe('未开放');

      // Open, call (the 绿色通道 ticket comes first, declared: 待窗口核验), recall, double click 重呼.
      await ws1.keyboard.press('F11');
      await expect.poll(() => text(ws1, 'counter-state')).toBe('服务中');
      await expect.poll(() => text(win, 'window-state')).toBe('等待叫号');
      await ws1.keyboard.press('F1');
      await expect.poll(() => text(ws1, 'current-no')).toBe(tickets[1]);
      expect(await text(ws1, 'badges')).toContain('绿色通道 · 残疾人（自行声明，待窗口核验）');
      await expect.poll(() => text(win, 'window-no')).toBe(tickets[1]);
      expect(await text(win, 'window-service')).toBe('综合业务');
      await ws1.keyboard.press('F2');
      await expect.poll(() => text(ws1, 'recall-count')).toBe('1/3');
      await ws1.locator('[data-action=recall]').dblclick();
      await expect.poll(() => text(ws1, 'recall-count')).toBe('2/3');
      await expect.poll(() => idle(ws1)).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(await text(ws1, 'recall-count')).toBe('2/3'); // the double click recalled once
      expect(await events('ticket.recalled', 1)).toBe(2);
      await ws1.keyboard.press('F3');
      await expect.poll(() => text(ws1, 'current-status')).toBe('办理中');
      await screenshot(ws1, 'counter-serving');
      await screenshot(win, 'window-serving');
      await ws1.keyboard.press('F4');
      await expect.poll(() => ws1.locator('[data-testid=current-empty]').count()).toBe(1);

      // 过号, then 挂起 and 恢复 (F7) — the window display drops a suspended number.
      await ws1.keyboard.press('F1');
      await expect.poll(() => text(ws1, 'current-no')).toBe(tickets[0]);
      await ws1.keyboard.press('F5');
      await expect.poll(() => ws1.locator('[data-testid=current-empty]').count()).toBe(1);
      await ws1.keyboard.press('F1');
      await expect.poll(() => text(ws1, 'current-no')).toBe(tickets[2]);
      await ws1.keyboard.press('F6');
      await expect.poll(() => text(win, 'window-state')).toBe('等待叫号');
      await expect.poll(() => ws1.locator('[data-testid=suspended]').count()).toBe(1);
      await ws1.keyboard.press('F7');
      await expect.poll(() => ws1.locator('[data-testid=suspended]').count()).toBe(0);
      await ws1.keyboard.press('F1');
      await expect.poll(() => text(ws1, 'current-no')).toBe(tickets[2]);
      await ws1.keyboard.press('F4');
      await expect.poll(() => ws1.locator('[data-testid=current-empty]').count()).toBe(1);

      // 转移 to 2号窗口 with the digit of its line in the dialog; counter 2 gets it first.
      await ws2.keyboard.press('F11');
      await expect.poll(() => text(ws2, 'counter-state')).toBe('服务中');
      await ws1.keyboard.press('F1');
      await expect.poll(() => text(ws1, 'current-no')).toBe(tickets[3]);
      await ws1.keyboard.press('F8');
      const targets = await ws1.locator('[data-testid=target]').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')));
      const digit = targets.indexOf('2号窗口（综合）') + 1;
      expect(digit).toBeGreaterThan(0);
      expect(await text(ws1, 'transfer-dialog')).toMatch(/2号窗口（综合） 服务中 · 办理 综合业务、参保登记、异地就医 · 等候 \d+ 人/);
      await ws1.keyboard.press(String(digit));
      await expect.poll(() => ws1.locator('[data-testid=current-empty]').count()).toBe(1);
      await ws2.keyboard.press('F1');
      await expect.poll(() => text(ws2, 'current-no')).toBe(tickets[3]);
      await ws2.keyboard.press('F4');

      // 暂停 / 恢复服务 and 延时服务, followed by the window display.
      await ws1.keyboard.press('F9');
      await expect.poll(() => text(win, 'window-state')).toBe('暂停服务');
      await expect.poll(() => text(ws1, 'counter-state')).toBe('暂停服务');
      await ws1.keyboard.press('F9');
      await expect.poll(() => text(win, 'window-state')).toBe('等待叫号');
      await ws1.keyboard.press('F10');
      await expect.poll(() => ws1.locator('[data-testid=extended]').count()).toBe(1);

      // The network is cut mid-day. A 叫号 reaches the daemon but its reply is lost …
      const calledBefore = await events('ticket.called', 1);
      proxy.set('swallow');
      await ws1.keyboard.press('F1');
      await expect.poll(() => ws1.locator('[data-testid=offline]').count()).toBe(1);
      expect(await text(ws1, 'offline')).toContain('连接中断');
      await expect.poll(() => events('ticket.called', 1)).toBe(calledBefore + 1);
      // … and then nothing gets through while the clerk presses 开始办理 and 办结.
      proxy.set('refuse');
      await ws1.keyboard.press('F3');
      await ws1.keyboard.press('F4');
      await screenshot(ws1, 'counter-offline');
      proxy.set('pass');
      await expect.poll(() => idle(ws1), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => text(ws1, 'fig-completed')).toBe('3');
      expect(await events('ticket.called', 1)).toBe(calledBefore + 1); // not called twice
      expect(await events('ticket.done', 1)).toBe(3);
      expect(await events('ticket.serving', 1)).toBe(2);

      // Ten tickets: the rest through counter 2 by keyboard (call, recall, start, complete).
      for (let i = 5; i < 10; i++) {
        await ws2.keyboard.press('F1');
        await expect.poll(() => text(ws2, 'current-no')).toBe(tickets[i]);
        await ws2.keyboard.press('F2');
        await expect.poll(() => text(ws2, 'recall-count')).toBe('1/3');
        await ws2.keyboard.press('F3');
        await expect.poll(() => text(ws2, 'current-status')).toBe('办理中');
        await ws2.keyboard.press('F4');
        await expect.poll(() => ws2.locator('[data-testid=current-empty]').count()).toBe(1);
      }
      await expect.poll(() => text(ws2, 'fig-completed')).toBe('6');
      expect(await text(ws2, 'fig-recalled')).toBe('5');
      expect(await events('ticket.called', 2)).toBe(6);

      // 呼叫工作人员 at the kiosk: both workstations; the first acknowledges (F12), the second sees who.
      await daemon.post('/api/v1/kiosk/assistance', { screen: 'take' });
      await expect.poll(() => ws1.locator('[data-testid=alert][data-kind=assistance] [data-testid=ack]').count()).toBe(1);
      await expect.poll(() => ws2.locator('[data-testid=alert][data-kind=assistance] [data-testid=ack]').count()).toBe(1);
      await screenshot(ws2, 'counter-alert');
      await ws1.keyboard.press('F12');
      await expect.poll(() => ws2.locator('[data-testid=alert][data-kind=assistance] [data-testid=ack]').count()).toBe(0);
      expect(await text(ws2, 'acked')).toBe('已由张三（1号窗口）确认');
      await screenshot(ws1, 'counter-day-end');
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  }, 180_000);
});

async function countEvents(api: string, type: string, counterNo: number): Promise<number> {
  const res = await fetch(`${api}/api/v1/reports/queue`, { headers: await consoleLogin(api) });
  const report = (await res.json()) as { counters: Record<string, number | string>[] };
  const row = report.counters.find((c) => c.key === String(counterNo))!;
  const field = { 'ticket.called': 'called', 'ticket.recalled': 'recalled', 'ticket.done': 'completed' }[type];
  if (field) return Number(row[field]);
  // Not a report figure: count the event rows in the hall event stream's replay.
  const events = await fetch(`${api}/api/v1/events?lastEventId=0`, { headers: { authorization: 'Bearer dev-hall-server-token-0001' } });
  const reader = events.body!.getReader();
  let text = '';
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    const r = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((ok) => setTimeout(() => ok({ done: true, value: undefined }), 300)),
    ]);
    if (r.done) break;
    text += new TextDecoder().decode(r.value);
  }
  await reader.cancel();
  return text.split('\n\n').filter((b) => b.includes(`event: ${type}\n`) && b.includes(`"counterNo":${counterNo},`)).length;
}
