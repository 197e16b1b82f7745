import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, PORTRAIT, screenshot, useKioskRig } from '../helpers/browser.ts';

// The hall call display (display.html) in real Chromium against the real daemon: calls made
// through the counter API appear within seconds, a recall highlights again, waiting counts follow,
// announcements queue without interrupting each other, and the screen recovers from a restart.

const HALL_TOKEN = 'dev-hall-server-token-0001';
const FEW_SECONDS = { timeout: 8_000 };

const rig = useKioskRig();

const counter = async (n: number, action: string): Promise<{ ticket?: { displayNo: string } }> => {
  const res = await fetch(`${rig.daemon.api}/api/v1/counters/${n}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer dev-counter-token-000${n}` },
  });
  if (!res.ok) throw new Error(`counter ${n} ${action} → ${res.status} ${await res.text()}`);
  return (await res.json()) as { ticket?: { displayNo: string } };
};
const issue = async (serviceCode: string): Promise<string> => {
  const res = await fetch(`${rig.daemon.api}/api/v1/terminal/tickets`, {
    method: 'POST',
    headers: { authorization: 'Bearer dev-terminal-token-0001', 'content-type': 'application/json' },
    body: JSON.stringify({ serviceCode }),
  });
  return ((await res.json()) as { ticket: { displayNo: string } }).ticket.displayNo;
};

const text = async (page: Page, testid: string): Promise<string> => ((await page.locator(`[data-testid="${testid}"]`).first().textContent()) ?? '').trim();
const waiting = (page: Page, code: string) => text(page, `waiting-${code}`).then((t) => Number(/(\d+)\s*人$/.exec(t)?.[1]));

/** Replaces Web Speech with a recorder that has a Chinese voice and takes 300 ms per utterance. */
const FAKE_SPEECH = `
  window.__spoken = [];
  const synth = {
    speaking: false, pending: false, paused: false,
    getVoices() { return [{ lang: 'zh-CN', name: 'fake-zh', voiceURI: 'fake-zh', default: true, localService: true }]; },
    speak(u) {
      if (this.speaking) window.__spoken.push('OVERLAP');
      this.speaking = true;
      window.__spoken.push(u.text);
      setTimeout(() => { this.speaking = false; if (u.onend) u.onend({}); }, 300);
    },
    cancel() { if (this.speaking) window.__spoken.push('CANCELLED'); },
    resume() {}, pause() {}, addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
`;

async function openDisplay(viewport: typeof LANDSCAPE, query: string, init?: string): Promise<Page> {
  const page = await rig.browser.page(viewport);
  if (init) await page.addInitScript({ content: init });
  await page.goto(`${rig.daemon.url}/display.html${query}`);
  await expect.poll(() => text(page, 'hall'), { timeout: 15_000 }).toBe('示例县医疗保障服务大厅');
  await expect.poll(() => page.locator('[data-testid="offline"]').count(), FEW_SECONDS).toBe(0);
  return page;
}

describe('call display in real Chromium', () => {
  let landscape: Page;

  test('shows a call made at a counter, highlights a recall again, follows waiting counts', async () => {
    landscape = await openDisplay(LANDSCAPE, `?token=${HALL_TOKEN}&speech=off`);
    // The token is kept for the next start and leaves the address bar.
    expect(await landscape.evaluate('localStorage.getItem("hall-kiosk.display.token")')).toBe(HALL_TOKEN);
    expect(await landscape.evaluate('location.search')).toBe('?speech=off');
    expect(await landscape.locator('[data-testid="welcome"]').count()).toBe(1);
    expect(await landscape.locator('[data-testid="counter-1"]').getAttribute('data-state')).toBe('closed');

    const first = await issue('general');
    await issue('general');
    await expect.poll(() => waiting(landscape, 'general'), FEW_SECONDS).toBe(2);

    await counter(1, 'open');
    await expect.poll(() => landscape.locator('[data-testid="counter-1"]').getAttribute('data-state'), FEW_SECONDS).toBe('open');
    const called = await counter(1, 'call-next');
    expect(called.ticket?.displayNo).toBe(first);
    await expect.poll(() => text(landscape, 'current-no'), FEW_SECONDS).toBe(first);
    expect(await text(landscape, 'current-counter')).toBe('1号窗口（综合）');
    expect(await landscape.locator('[data-testid="call"]').getAttribute('aria-label')).toBe(`请 ${first} 号 到 1号窗口（综合） 办理`);
    await expect.poll(() => waiting(landscape, 'general'), FEW_SECONDS).toBe(1);
    expect(await text(landscape, 'recent-call')).toContain(first);
    expect(await text(landscape, 'counter-1')).toContain(first);
    expect(await landscape.locator('[data-testid="recall"]').count()).toBe(0);
    const flashBefore = Number(await landscape.locator('[data-testid="call"]').getAttribute('data-flash'));

    await counter(1, 'recall');
    await landscape.locator('[data-testid="recall"]').waitFor(FEW_SECONDS);
    expect(await text(landscape, 'current-no')).toBe(first);
    expect(Number(await landscape.locator('[data-testid="call"]').getAttribute('data-flash'))).toBeGreaterThan(flashBefore);
    expect(await landscape.locator('[data-testid="call"]').getAttribute('class')).toContain('flash');
    // One line per ticket in the recent list, however often it was called.
    expect(await landscape.locator('[data-testid="recent-call"]').count()).toBe(1);
    await screenshot(landscape, 'display');

    // A second screen, portrait, started later: the same state from the snapshot, token from localStorage.
    const portrait = await openDisplay(PORTRAIT, '?speech=off');
    expect(await text(portrait, 'current-no')).toBe(first);
    expect(await waiting(portrait, 'general')).toBe(1);
    await screenshot(portrait, 'display');
    await portrait.close();
  });

  test('announces each call twice with its counter, queued: a new call never interrupts the one being spoken', async () => {
    const page = await openDisplay(LANDSCAPE, '', FAKE_SPEECH);
    expect(await page.locator('[data-testid="current"]').getAttribute('data-voice')).toBe('browser');
    await counter(1, 'complete');
    const a = (await counter(1, 'call-next')).ticket!.displayNo;
    const b = await issue('general');
    await counter(3, 'open');
    expect((await counter(3, 'call-next')).ticket!.displayNo).toBe(b);
    await expect.poll(() => text(page, 'current-no'), FEW_SECONDS).toBe(b);
    expect(await text(page, 'current-counter')).toBe('3号窗口（报销）');

    const said = (no: string, counterWord: string) =>
      `请 ${[...no].map((c) => '零一二三四五六七八九'[Number(c)] ?? c).join(' ')} 号 到 ${counterWord} 号窗口办理`;
    await expect.poll(() => page.evaluate('window.__spoken.length'), { timeout: 20_000 }).toBe(4);
    expect(await page.evaluate('window.__spoken')).toEqual([said(a, '一'), said(a, '一'), said(b, '三'), said(b, '三')]);
    expect(said(a, '一')).toMatch(/^请 A 零 零 \S 号 到 一 号窗口办理$/);
    await page.close();
  });

  test('says 连接中断，正在重连 while the daemon is down and comes back with current data by itself', async () => {
    await rig.daemon.halt();
    await expect.poll(() => text(landscape, 'offline'), FEW_SECONDS).toContain('连接中断，正在重连');
    await screenshot(landscape, 'display-offline');
    await rig.daemon.resume();
    await expect.poll(() => landscape.locator('[data-testid="offline"]').count(), { timeout: 45_000 }).toBe(0);

    const next = await issue('general');
    await expect.poll(() => waiting(landscape, 'general'), FEW_SECONDS).toBe(1);
    await counter(1, 'complete');
    await counter(1, 'call-next');
    await expect.poll(() => text(landscape, 'current-no'), FEW_SECONDS).toBe(next);
    await expect.poll(() => waiting(landscape, 'general'), FEW_SECONDS).toBe(0);
  });
});
