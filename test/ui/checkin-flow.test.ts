import { describe, expect, test } from 'vitest';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { openKiosk, screenshot, useKioskRig, waitForPage } from '../helpers/browser.ts';

const HALL_SERVER = { authorization: 'Bearer dev-hall-server-token-0001', 'content-type': 'application/json' };
const LAST_MINUTE = 23 * 60 + 59;

const rig = useKioskRig();

/** Minutes since local midnight in the hall's time zone (the rig.daemon runs on the real clock). */
function hallMinutes(at = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get('hour') * 60 + get('minute');
}

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Books an appointment for the daemon's current business day (which, before the 03:00 reset, is
 * the previous date) with a window from 10 minutes ago to 20 minutes ahead, kept within the day.
 */
async function bookAroundNow(idNumber: string, serviceCode: string): Promise<{ id: number; windowStart: string; windowEnd: string }> {
  const status = (await (await fetch(`${rig.daemon.api}/api/v1/queue/status`, { headers: HALL_SERVER })).json()) as { day: string };
  const now = hallMinutes();
  const start = Math.max(0, Math.min(now - 10, LAST_MINUTE - 1));
  const end = Math.min(LAST_MINUTE, Math.max(now + 20, start + 1));
  const res = await fetch(`${rig.daemon.api}/api/v1/appointments`, {
    method: 'POST',
    headers: HALL_SERVER,
    body: JSON.stringify({ idNumber, serviceCode, day: status.day, windowStart: hhmm(start), windowEnd: hhmm(end) }),
  });
  const body = (await res.json()) as { appointment: { id: number; windowStart: string; windowEnd: string; status: string } };
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.appointment.status).toBe('booked');
  return body.appointment;
}

describe('预约签到 in real Chromium', () => {
  test('elder card with an appointment: check in → 预约 ticket on screen, receipt holds its number', async () => {
    const appointment = await bookAroundNow(SAMPLE_CARDS.elder.idNumber, 'general');
    await rig.daemon.simulate('idcard', 'remove-card');

    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('kiosk-home [data-action="checkin"]');
    await page.locator('kiosk-checkin [data-identity="none"]').waitFor();
    expect(await page.locator('kiosk-checkin [data-action="checkin-id"]').isDisabled()).toBe(true);
    await screenshot(page, 'checkin');

    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('kiosk-checkin [data-identity="present"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-checkin [data-identity="present"]').textContent()).toContain('*');
    await screenshot(page, 'checkin-identified');

    await page.click('kiosk-checkin [data-action="checkin-id"]');
    const no = page.locator('[data-ticket-no]');
    await no.waitFor({ timeout: 15_000 });
    const number = (await no.textContent())!.trim();
    expect(number).toMatch(/^A\d{3}$/);
    expect(await page.locator('[data-service-name]').textContent()).toContain('综合业务');
    const badge = page.locator('kiosk-ticket [data-appointment]');
    await badge.waitFor();
    expect(await badge.textContent()).toContain('预约');
    // An appointment is not a 绿色通道 ticket, even for an elderly citizen.
    expect(await page.locator('kiosk-ticket [data-priority]').count()).toBe(0);
    expect(await page.locator('kiosk-ticket [data-prompt]').textContent()).toContain('签到成功');
    await page.locator('[data-print="ok"]').waitFor();
    await screenshot(page, 'checkin-ticket');

    const receipt = await rig.daemon.lastReceipt();
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('预约号');
    expect(receipt?.text).toContain('综合业务');

    // The booking is now checked in with this ticket.
    const booked = (await (await fetch(`${rig.daemon.api}/api/v1/appointments/${appointment.id}`, { headers: HALL_SERVER })).json()) as {
      appointment: { status: string; ticketId: number };
    };
    expect(booked.appointment.status).toBe('checked-in');

    await page.click('[data-action="done"]');
    await page.locator('kiosk-home').waitFor();
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.close();
  }, 90_000);

  test('adult card without an appointment: a clear Chinese error, and 直接取号 stays offered', async () => {
    // Independent of the test above: no card on the reader, no identity left in the session.
    await rig.daemon.simulate('idcard', 'remove-card');
    await fetch(`${rig.daemon.api}/api/v1/kiosk/session`, { method: 'DELETE' });
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('kiosk-home [data-action="checkin"]');
    await page.locator('kiosk-checkin [data-identity="none"]').waitFor({ timeout: 10_000 });
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await page.locator('kiosk-checkin [data-identity="present"]').waitFor({ timeout: 10_000 });

    await page.click('kiosk-checkin [data-action="checkin-id"]');
    const error = page.locator('kiosk-checkin [data-error]');
    await error.waitFor({ timeout: 15_000 });
    const message = (await error.textContent())!;
    expect(message).toContain('没有查到您今天的预约');
    expect(message).toContain('直接取号');
    expect(message).not.toMatch(/[A-Za-z]/); // no codes or English
    expect(await page.locator('[data-ticket-no]').count()).toBe(0);
    await page.locator('kiosk-checkin [data-action="take"]').waitFor();
    await screenshot(page, 'checkin-no-appointment');

    // Another card on the reader: the message about the previous one goes away.
    await rig.daemon.simulate('idcard', 'remove-card');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'expired' });
    await waitForPage(
      page,
      `!document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-checkin')?.shadowRoot?.querySelector('[data-error]')`,
      10_000,
    );
    expect(await page.locator('kiosk-checkin [data-identity="present"]').count()).toBe(1);
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.click('[data-action="home"]');
    await page.locator('kiosk-home').waitFor();
    await page.close();
  }, 90_000);
});
