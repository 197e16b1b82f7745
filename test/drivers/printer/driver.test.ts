import { afterEach, describe, expect, it } from 'vitest';
import { memoryLink } from '../../../drivers/common/memory-transport.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';
import { cut, doc, text } from '../../../drivers/printer/document.ts';
import { PrinterDriver } from '../../../drivers/printer/driver.ts';
import { resolvePrinterProfile } from '../../../drivers/printer/profiles.ts';
import { sampleQueueTicket } from '../../../drivers/printer/samples.ts';
import { PrinterSimulator, RECEIPTS_KEPT } from '../../../drivers/printer/simulator.ts';

const profile = resolvePrinterProfile('generic-80');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(simOptions: ConstructorParameters<typeof PrinterSimulator>[1] = {}) {
  const link = memoryLink({ label: 'printer', reopenDelayMs: 50 });
  const sim = new PrinterSimulator(link.device, simOptions);
  cleanups.push(() => sim.close());
  const driver = new PrinterDriver({
    transport: link.host,
    baudRate: 115200,
    profile,
    pollIntervalMs: 0, // tests drive status explicitly through refreshStatus()
    statusTimeoutMs: 500,
    settleMs: 0,
  });
  const events: DeviceStatus[] = [];
  driver.on('status', (s) => events.push(s));
  cleanups.push(() => driver.stop());
  await driver.start();
  return { sim, driver, events };
}

function waitForState(driver: PrinterDriver, state: DeviceStatus['state']): Promise<DeviceStatus> {
  if (driver.status().state === state) return Promise.resolve(driver.status());
  return new Promise((resolve) => {
    const on = (s: DeviceStatus): void => {
      if (s.state !== state) return;
      driver.off('status', on);
      resolve(s);
    };
    driver.on('status', on);
  });
}

describe('PrinterDriver over a memory link with the simulated printer', () => {
  it('comes up ready and prints a ticket the simulator reproduces', async () => {
    const { sim, driver } = await setup();
    expect(driver.status()).toEqual({ state: 'ready', warnings: [] });
    const result = await driver.print(sampleQueueTicket());
    expect(result).toMatchObject({ ok: true, warnings: [] });
    const receipt = sim.lastReceipt();
    expect(receipt).toMatchObject({ cut: true, complete: true });
    expect(receipt?.lines.map((l) => l.text)).toContain('A012');
    expect(receipt?.lines.find((l) => l.text === 'A012')).toMatchObject({ bold: true, align: 'center', size: { width: 4, height: 4 } });
    expect(receipt?.qrCodes).toEqual(['https://example.invalid/q/A012?d=20250314']);
    expect(driver.status().state).toBe('ready');
  });

  it('refuses a job when paper is out, sends none of it, and reports 打印机缺纸', async () => {
    const { sim, driver, events } = await setup();
    await sim.act('paper-out');
    const before = sim.bytesReceived;
    const result = await driver.print(sampleQueueTicket());
    expect(result).toEqual({ ok: false, code: 'paper-out', message: '打印机缺纸', phase: 'precheck' });
    expect(sim.bytesReceived - before).toBe(4 * 3); // only DLE EOT 1..4
    expect(sim.receipts()).toHaveLength(0);
    expect(events.at(-1)).toEqual({ state: 'fault', code: 'paper-out', message: '打印机缺纸' });
    await sim.act('paper-ok');
    expect(await driver.refreshStatus()).toEqual({ state: 'ready', warnings: [] });
  });

  it('detects paper running out mid-job; the simulator keeps an incomplete receipt', async () => {
    const { sim, driver } = await setup();
    await sim.act('paper-out-after', { lines: 3 });
    const result = await driver.print(sampleQueueTicket());
    expect(result).toMatchObject({ ok: false, code: 'paper-out-mid-job', phase: 'postcheck', message: '打印中途缺纸，票据不完整' });
    const receipt = sim.lastReceipt();
    expect(receipt).toMatchObject({ complete: false, cut: false });
    expect(receipt?.lines).toHaveLength(3);
    expect(receipt?.qrCodes).toEqual([]);
    expect(driver.status()).toMatchObject({ state: 'fault', code: 'paper-out' });
  });

  it('keeps only the last RECEIPTS_KEPT receipts of a day of printing (issue 18), and counts them all', async () => {
    const { sim, driver } = await setup();
    const total = RECEIPTS_KEPT + 5;
    for (let i = 1; i <= total; i++) expect(await driver.print(doc(text(`T${i}`), cut()))).toMatchObject({ ok: true });
    const kept = sim.receipts();
    expect(kept).toHaveLength(RECEIPTS_KEPT);
    expect(kept[0]?.lines[0]?.text).toBe('T6');
    expect(sim.lastReceipt()?.lines[0]?.text).toBe(`T${total}`);
    expect(sim.state()).toMatchObject({ receiptsPrinted: total, receipts: RECEIPTS_KEPT });
  });

  it('refuses with cover-open and reports 打印机盖未关好', async () => {
    const { sim, driver } = await setup();
    await sim.act('cover-open');
    expect(await driver.print(doc(text('x'), cut()))).toMatchObject({ ok: false, code: 'cover-open', message: '打印机盖未关好' });
    await sim.act('cover-close');
    expect(await driver.print(doc(text('x'), cut()))).toMatchObject({ ok: true });
  });

  it('prints with a near-end warning', async () => {
    const { sim, driver } = await setup();
    await sim.act('paper-near-end');
    expect(await driver.print(doc(text('x'), cut()))).toEqual({
      ok: true,
      bytes: expect.any(Number),
      warnings: [{ code: 'paper-near-end', message: '纸将用尽' }],
    });
  });

  it('reports a fault that appears during the job as interrupted-mid-job', async () => {
    const { sim, driver } = await setup();
    // The blade jams as it cuts: the simulator processes the cut before the post-job DLE EOT.
    sim.once('receipt', () => void sim.act('cutter-error'));
    const result = await driver.print(doc(text('x'), cut()));
    expect(result).toEqual({ ok: false, code: 'interrupted-mid-job', message: '打印中途出错，票据可能不完整（切刀故障）', phase: 'postcheck' });
    expect(driver.status()).toMatchObject({ state: 'fault', code: 'cutter-error', message: '切刀故障' });
  });

  it('unplug → disconnected → replug → ready, with status events only on change', async () => {
    const { sim, driver, events } = await setup();
    await driver.refreshStatus();
    await driver.refreshStatus();
    expect(events).toEqual([{ state: 'ready', warnings: [] }]);
    const gone = waitForState(driver, 'disconnected');
    await sim.unplug();
    expect(await gone).toEqual({ state: 'disconnected', reason: '打印机未连接' });
    expect(await driver.print(doc(text('x'), cut()))).toMatchObject({ ok: false, code: 'disconnected', phase: 'precheck' });
    const back = waitForState(driver, 'ready');
    await sim.replug();
    await back;
    expect(events.map((e) => e.state)).toEqual(['ready', 'disconnected', 'ready']);
    expect(await driver.print(doc(text('再次打印'), cut()))).toMatchObject({ ok: true });
    expect(sim.lastReceipt()?.lines[0]?.text).toBe('再次打印');
  });

  it('rejects an invalid document without touching the device', async () => {
    const { sim, driver } = await setup();
    const before = sim.bytesReceived;
    expect(await driver.print(doc({ kind: 'feed', lines: 999 }))).toMatchObject({ ok: false, code: 'invalid-document', phase: 'precheck' });
    expect(sim.bytesReceived).toBe(before);
  });

  it('prints the test page', async () => {
    const { sim, driver } = await setup();
    expect(await driver.printTestPage()).toMatchObject({ ok: true });
    expect(sim.lastReceipt()?.lines[0]).toMatchObject({ text: '打印测试页', bold: true });
  });
});

describe('PrinterDriver against a silent port', () => {
  it('times out status replies: fault no-response, and print refuses without hanging', async () => {
    const link = memoryLink(); // nothing answers on the device end
    const driver = new PrinterDriver({ transport: link.host, profile, pollIntervalMs: 0, statusTimeoutMs: 100, settleMs: 0 });
    cleanups.push(() => driver.stop());
    await driver.start();
    expect(driver.status()).toEqual({ state: 'fault', code: 'no-response', message: '打印机无响应' });
    expect(await driver.print(doc(text('x')))).toMatchObject({ ok: false, code: 'no-response', phase: 'precheck' });
  });

  it('is disconnected when the device is absent', async () => {
    const driver = new PrinterDriver({ transport: memoryLink({ plugged: false }).host, profile, pollIntervalMs: 0 });
    cleanups.push(() => driver.stop());
    await driver.start();
    expect(driver.status().state).toBe('disconnected');
    expect(await driver.print(doc(text('x')))).toMatchObject({ ok: false, code: 'disconnected' });
  });
});
