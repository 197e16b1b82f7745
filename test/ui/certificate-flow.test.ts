import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { SHOTS, openKiosk, screenshot, useKioskRig } from '../helpers/browser.ts';

// The daemon (and this file's Chromium profile) write their temporary files here, so the privacy
// grep at the end can read every one of them. Set before the rig starts the daemon.
const TMP = mkdtempSync(join(tmpdir(), 'kiosk-cert-tmp-'));
process.env.TMPDIR = TMP;

const rig = useKioskRig();
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface SimPerson {
  key: string;
  name: string;
  certNo: string;
  qr: string;
}

async function insuranceSim(): Promise<string> {
  const { url } = await rig.daemon.get<{ url: string }>('/api/v1/dev/insurance');
  return url;
}

async function simPost(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${await insuranceSim()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
}

async function people(): Promise<SimPerson[]> {
  const res = await fetch(`${await insuranceSim()}/control/people`);
  return (await res.json()) as SimPerson[];
}

async function lastPdfText(): Promise<string> {
  const res = await fetch(`${rig.daemon.api}/api/v1/dev/simulators/a4printer/jobs/last.pdf`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // Outside TMP: the printed certificate carries the full name by design; the grep is about what the daemon keeps.
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, 'certificate-last.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
}

async function startCertificate(page: Page, kind: 'proof' | 'transfer-voucher'): Promise<void> {
  await page.click('[data-action="certificate"]');
  await page.locator(`[data-kind="${kind}"]`).waitFor();
  await page.click(`[data-kind="${kind}"]`);
  await page.locator('[data-step="identify"]').waitFor();
}

describe('参保证明 in real Chromium', () => {
  test('ID card → 个人参保证明 with a 12-month payment table → printed to the IPP simulator, verifiable', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.locator('[data-action="certificate"]').waitFor();
    await screenshot(page, 'certificate-home');
    await startCertificate(page, 'proof');
    await screenshot(page, 'certificate-identify');

    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
    await page.locator('[data-step="confirm"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-masked-name]').textContent()).toBe('张**');
    expect(await page.locator('[data-masked-id]').textContent()).toMatch(/^371\*+0310$/);
    expect(await page.locator('[data-months="12"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('[data-plain-words]').textContent()).toContain('近 12 个月的缴费明细');
    await screenshot(page, 'certificate-confirm');

    await page.click('[data-action="confirm"]');
    await page.locator('[data-preview]').waitFor({ timeout: 15_000 });
    const preview = (await page.locator('[data-preview]').textContent())!;
    expect(preview).toContain('个人参保证明');
    expect(preview).toContain('张**');
    expect(preview).toContain('缴费明细（近12个月');
    expect(preview).not.toContain('张建华');
    expect(preview).not.toContain('371321197804120310');
    const code = (await page.locator('[data-preview-code]').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await screenshot(page, 'certificate-preview');

    await page.click('[data-action="print"]');
    await page.locator('[data-step="done"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-code]').textContent()).toBe(code);
    expect(await page.locator('[data-print="ok"]').textContent()).toContain('请取走您的证明');
    await page.locator('[data-action="read-code"]').waitFor();
    await screenshot(page, 'certificate-done');

    const text = await lastPdfText();
    for (const s of ['个人参保证明', '张建华', '371321197804120310', '职工基本医疗保险', '正常参保', '缴费明细', code, '示例县医疗保障事业管理中心'])
      expect(text).toContain(s);
    // 12 months of the table: each month of the window appears as a row.
    const months = text.match(/\b20\d\d-(0[1-9]|1[0-2])\b(?!-)/g) ?? [];
    expect(new Set(months).size).toBeGreaterThanOrEqual(12);

    // The verification route and page say it is real.
    const v = await rig.daemon.get<{ status: string; summary: { maskedName: string } }>(`/api/v1/verify/${code}`);
    expect(v.status).toBe('valid');
    expect(v.summary.maskedName).toBe('张**');
    const verify = await rig.browser.page();
    await verify.goto(`${rig.daemon.url}/verify/${code.replace(/-/g, '')}`);
    await verify.locator('verify-page [data-status="valid"]').waitFor({ timeout: 10_000 });
    expect(await verify.locator('verify-page [data-masked-name]').textContent()).toBe('张**');
    await screenshot(verify, 'verify-valid');
    await verify.close();

    await page.click('[data-action="finish"]');
    await page.locator('kiosk-home').waitFor();
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.close();
  }, 120_000);

  test('医保电子凭证 from the simulated scanner → 参保凭证 printed', async () => {
    const resident = (await people()).find((p) => p.key === 'resident')!;
    const page = await openKiosk(rig.browser, rig.daemon);
    await startCertificate(page, 'transfer-voucher');
    await rig.daemon.simulate('scanner', 'scan', { text: resident.qr });
    await page.locator('[data-step="confirm"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-source]').textContent()).toContain('医保电子凭证');
    expect(await page.locator('[data-masked-name]').textContent()).toBe('李**');
    await screenshot(page, 'certificate-evoucher-confirm');
    await page.click('[data-action="confirm"]');
    await page.locator('[data-preview]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-preview]').textContent()).toContain('参保凭证');
    await page.click('[data-action="print"]');
    await page.locator('[data-step="done"]').waitFor({ timeout: 20_000 });
    const text = await lastPdfText();
    expect(text).toContain('李秀英');
    expect(text).toContain('城乡居民基本医疗保险');
    await screenshot(page, 'certificate-evoucher-done');
    await page.click('[data-action="finish"]');
    await page.close();
  }, 120_000);

  test('A4 printer out of paper → banner, and the print ends on a screen that says where to go', async () => {
    await rig.daemon.simulate('a4printer', 'media-empty');
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.locator('[data-banner="a4printer"]').waitFor({ timeout: 15_000 });
    await startCertificate(page, 'proof');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
    await page.locator('[data-step="confirm"]').waitFor({ timeout: 10_000 });
    await page.click('[data-action="confirm"]');
    await page.locator('[data-preview]').waitFor({ timeout: 15_000 });
    await page.click('[data-action="print"]');
    await page.locator('[data-step="failed"]').waitFor({ timeout: 20_000 });
    const message = (await page.locator('[data-failure-message]').textContent())!;
    expect(message).toContain('缺纸');
    expect(message).toMatch(/\d+ 号窗口/);
    await page.locator('[data-action="take-ticket"]').waitFor();
    await screenshot(page, 'certificate-printer-empty');
    await rig.daemon.simulate('a4printer', 'media-ok');
    await page.click('[data-action="take-ticket"]');
    await page.locator('kiosk-take').waitFor();
    await page.click('[data-action="home"]');
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.close();
  }, 120_000);

  test('参保信息系统 down (simulator fault) → 参保信息系统暂时无法连接, 请到 N 号窗口 with 取号', async () => {
    await simPost('/control/fault', { kind: 'http-500', target: 'all', times: 50 });
    try {
      const page = await openKiosk(rig.browser, rig.daemon);
      await startCertificate(page, 'proof');
      await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
      await page.locator('[data-step="confirm"]').waitFor({ timeout: 10_000 });
      await page.click('[data-action="confirm"]');
      await page.locator('[data-step="failed"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-failure-message]').textContent()).toMatch(/参保信息系统暂时无法连接，请到 \d+ 号窗口办理/);
      await page.locator('[data-action="take-ticket"]').waitFor();
      await screenshot(page, 'certificate-backend-down');
      await page.click('[data-action="home"]');
      await rig.daemon.simulate('idcard', 'remove-card');
      await page.close();
    } finally {
      await simPost('/control/reset', {});
    }
  }, 120_000);

  test('privacy: no name or ID number of the simulated people in the logs, the database files or temporary files', async () => {
    const secrets = (await people()).flatMap((p) => [p.name, p.certNo, p.qr]);
    const hits: string[] = [];
    const scan = (label: string, bytes: Buffer) => {
      for (const s of secrets) if (bytes.includes(Buffer.from(s, 'utf8'))) hits.push(`${label}: ${s.slice(0, 1)}…`);
    };
    scan('daemon log', Buffer.from(rig.daemon.output(), 'utf8'));
    let files = 0;
    const walk = (dir: string, label: string) => {
      // Chromium creates and deletes files of its profile while we read: a vanished entry is skipped.
      const gone = (err: unknown) => (err as { code?: string }).code === 'ENOENT';
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        if (gone(err)) return;
        throw err;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        // tsx's compile cache holds the source tree (the simulator's sample people among it), not data.
        if (e.isDirectory() && /^tsx-\d+$/.test(e.name)) continue;
        if (e.isDirectory()) walk(p, label);
        else if (e.isFile()) {
          try {
            if (statSync(p).size < 50 * 1024 * 1024) scan(`${label}${p.slice(TMP.length)}`, readFileSync(p));
            files++;
          } catch (err) {
            if (!gone(err)) throw err;
          }
        }
      }
    };
    expect(rig.daemon.dataDir.startsWith(TMP)).toBe(true);
    expect(readdirSync(rig.daemon.dataDir).some((f) => f.endsWith('.db'))).toBe(true);
    walk(TMP, 'temp');
    expect(files).toBeGreaterThan(3);
    expect(hits).toEqual([]);
  }, 60_000);
});
