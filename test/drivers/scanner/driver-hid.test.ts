import { EventEmitter, once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLink } from '../../../drivers/common/memory-transport.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';
import { ScannerDriver } from '../../../drivers/scanner/driver.ts';
import { HidUnavailableError } from '../../../drivers/scanner/hid-open.ts';
import { HidPosTransport, type HidPosTransportOptions } from '../../../drivers/scanner/hid-transport.ts';
import type { HidDeviceHandle, HidOpener, HidTarget, ScanEvent } from '../../../drivers/scanner/types.ts';
import { hidReport, hidReports } from '../../fixtures/scanner/hid-pos-reports.ts';

/**
 * /dev/uhid is not available in the test sandbox, so the HID-POS path is exercised with a fake
 * node-hid handle fed real §4.1 report bytes (the reconnect loop is HidPosTransport's real
 * code), and with the same reports on an in-memory link.
 */
class FakeHid extends EventEmitter implements HidDeviceHandle {
  closed = false;
  features: number[][] = [];
  written: number[][] = [];
  async write(data: number[]): Promise<number> {
    this.written.push(data);
    return data.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  async sendFeatureReport(data: number[]): Promise<number> {
    this.features.push(data);
    return data.length;
  }
}

/** An opener that fails while `present` is false and hands out a new FakeHid each time otherwise. */
function fakeOpener(vendorId = 0x0c2e) {
  const state = { present: true, opened: [] as FakeHid[], targets: [] as HidTarget[], attempts: 0 };
  const open: HidOpener = async (target) => {
    state.attempts++;
    state.targets.push(target);
    if (!state.present) throw new Error('device not present');
    const handle = new FakeHid();
    state.opened.push(handle);
    return { handle, vendorId };
  };
  return { state, open };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function nextStatus(driver: ScannerDriver, state: DeviceStatus['state']): Promise<DeviceStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${state}' status within 5 s`)), 5_000);
    const onStatus = (s: DeviceStatus): void => {
      if (s.state !== state) return;
      clearTimeout(timer);
      driver.off('status', onStatus);
      resolve(s);
    };
    driver.on('status', onStatus);
  });
}

async function startDriver(open: HidOpener, extra: Partial<HidPosTransportOptions> = {}): Promise<ScannerDriver> {
  const transport = new HidPosTransport({ vendorId: 0x0c2e, productId: 0x0b8f, openDevice: open, ...extra });
  const driver = new ScannerDriver({ mode: 'hid-pos', transport });
  cleanups.push(() => driver.stop());
  await driver.start();
  return driver;
}

describe('ScannerDriver hid-pos mode (§4.1)', () => {
  it('opens by VID/PID, enables HID mode on Honeywell and reassembles continuation reports', async () => {
    const { state, open } = fakeOpener();
    const driver = await startDriver(open);
    expect(driver.status().state).toBe('ready');
    expect(state.targets[0]).toEqual({ vendorId: 0x0c2e, productId: 0x0b8f });
    expect(state.opened[0]!.features).toEqual([[0xfe, 0x01]]);

    const text = 'https://hall.example/a?c=HK1.A.' + 'q'.repeat(80);
    const got = once(driver, 'scan', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanEvent]>;
    for (const r of hidReports(text, { aim: ']Q1', codeId: 0x73 })) state.opened[0]!.emit('data', Buffer.from(r));
    expect((await got)[0]).toMatchObject({ text, aim: ']Q1', symbology: 'qr' });
  });

  it('does not send the enable report to other vendors and uses AIM only', async () => {
    const { state, open } = fakeOpener(0x05e0);
    const driver = await startDriver(open);
    expect(state.opened[0]!.features).toEqual([]);
    const got = once(driver, 'scan', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanEvent]>;
    state.opened[0]!.emit('data', Buffer.from(hidReport({ payload: '6901234567892', aim: ']E0', zebraOffset: true, codeId: 0x73 })));
    expect((await got)[0]).toMatchObject({ text: '6901234567892', symbology: 'ean-upc' });
  });

  it('goes disconnected on a device error, retries, and is ready again when the device returns', async () => {
    const { state, open } = fakeOpener();
    const driver = await startDriver(open, { retryIntervalMs: 250 });
    const first = state.opened[0]!;
    state.present = false;
    const down = nextStatus(driver, 'disconnected');
    first.emit('error', new Error('could not read from HID device'));
    expect(await down).toMatchObject({ reason: expect.stringContaining('断开') });
    expect(first.closed).toBe(true);

    // Wait for at least one failed retry before the device comes back.
    const attempts = state.attempts;
    while (state.attempts === attempts) await new Promise((r) => setTimeout(r, 50));
    expect(driver.status().state).toBe('disconnected');
    state.present = true;
    await nextStatus(driver, 'ready');
    expect(state.opened.length).toBe(2);

    // Reports from the stale handle are ignored; the new one works.
    const got = once(driver, 'scan', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanEvent]>;
    first.emit('data', Buffer.from(hidReport({ payload: 'stale', aim: ']Q1' })));
    state.opened[1]!.emit('data', Buffer.from(hidReport({ payload: 'fresh', aim: ']Q1' })));
    expect((await got)[0].text).toBe('fresh');
  });

  it('starts disconnected when the scanner is absent, and by path when given', async () => {
    const { state, open } = fakeOpener();
    state.present = false;
    const driver = await startDriver(open, { path: '/dev/hidraw9' });
    expect(driver.status()).toMatchObject({ state: 'disconnected' });
    expect(state.targets[0]).toEqual({ path: '/dev/hidraw9' });
  });

  it('faults without retrying when node-hid cannot load', async () => {
    let attempts = 0;
    const open: HidOpener = async () => {
      attempts++;
      throw new HidUnavailableError('libusb missing');
    };
    const driver = await startDriver(open);
    expect(driver.status()).toEqual({ state: 'fault', code: 'hid-unavailable', message: expect.stringContaining('HID') });
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts).toBe(1);
  });

  it('rejects options without a target', () => {
    expect(() => new HidPosTransport({ vendorId: 1 })).toThrow(TypeError);
  });

  it('writes output reports to the open device and refuses while closed', async () => {
    const { state, open } = fakeOpener();
    const transport = new HidPosTransport({ vendorId: 0x0c2e, productId: 0x0b8f, openDevice: open });
    await expect(transport.write(Uint8Array.of(0xfd))).rejects.toThrow(/not open/);
    await transport.open();
    await transport.write(Uint8Array.of(0xfd, 0x03, 0x16, 0x07, 0x0d)); // Honeywell beep (§4.1)
    expect(state.opened[0]!.written).toEqual([[0xfd, 0x03, 0x16, 0x07, 0x0d]]);
    await transport.close();
  });

  it('reassembles the same reports delivered over an in-memory link, one report per chunk', async () => {
    const link = memoryLink({ label: 'scanner-hid' });
    const driver = new ScannerDriver({ mode: 'hid-pos', transport: link.host });
    cleanups.push(() => driver.stop());
    await driver.start();
    expect(driver.status().state).toBe('ready');
    const text = '医保电子凭证测试 ' + 'z'.repeat(90);
    const got = once(driver, 'scan', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanEvent]>;
    for (const r of hidReports(text, { aim: ']Q1' })) await link.device.write(Uint8Array.from(r));
    expect((await got)[0]).toMatchObject({ text, aim: ']Q1', symbology: 'qr' });
    const down = nextStatus(driver, 'disconnected');
    await link.device.unplug();
    expect(await down).toEqual({ state: 'disconnected', reason: '扫码器已断开，正在重新连接' });
  });

  it('the real node-hid opener reports an absent device as a plain failure (lazy import works)', async () => {
    const { openWithNodeHid } = await import('../../../drivers/scanner/hid-open.ts');
    await expect(openWithNodeHid({ vendorId: 0xfffe, productId: 0xfffe })).rejects.toThrow();
  });
});
