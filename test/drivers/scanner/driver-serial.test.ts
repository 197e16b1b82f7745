import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceLogger } from '../../../drivers/common/logger.ts';
import { memoryLink } from '../../../drivers/common/memory-transport.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';
import { ScannerDriver } from '../../../drivers/scanner/driver.ts';
import { ScannerSimulator } from '../../../drivers/scanner/simulator.ts';
import type { ScanError, ScanEvent } from '../../../drivers/scanner/types.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(simOptions: ConstructorParameters<typeof ScannerSimulator>[1] = {}, driverExtra: object = {}) {
  const link = memoryLink({ label: 'scanner' });
  const sim = new ScannerSimulator(link.device, simOptions);
  cleanups.push(() => sim.close());
  const logs: { level: string; obj: object; msg?: string }[] = [];
  const rec = (level: string) => (obj: object, msg?: string) => void logs.push({ level, obj, ...(msg ? { msg } : {}) });
  const logger: DeviceLogger = { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
  const driver = new ScannerDriver({ mode: 'serial', transport: link.host, logger, ...driverExtra });
  cleanups.push(() => driver.stop());
  const statuses: DeviceStatus[] = [];
  driver.on('status', (s) => statuses.push(s));
  await driver.start();
  return { sim, driver, logs, statuses };
}

function nextStatus(driver: ScannerDriver, state: DeviceStatus['state']): Promise<DeviceStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${state}' status within 15 s`)), 15_000); // a hang guard, generous for a loaded CI machine
    const onStatus = (s: DeviceStatus): void => {
      if (s.state !== state) return;
      clearTimeout(timer);
      driver.off('status', onStatus);
      resolve(s);
    };
    driver.on('status', onStatus);
  });
}

const nextScan = (driver: ScannerDriver): Promise<[ScanEvent]> => once(driver, 'scan', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanEvent]>;

describe('ScannerDriver serial mode over a memory link (§4.3)', () => {
  it('becomes ready and delivers a chunked CRLF scan with its AIM symbology', async () => {
    const { sim, driver } = await setup({ terminator: 'crlf', aimPrefix: ']Q1' });
    expect(driver.status().state).toBe('ready');
    const got = nextScan(driver);
    const before = Date.now();
    await sim.act('scan', { text: 'HK1.T.3301~20250314~A023~x.sig', chunks: 4 });
    const [scan] = await got;
    expect(scan).toMatchObject({ text: 'HK1.T.3301~20250314~A023~x.sig', aim: ']Q1', symbology: 'qr' });
    expect(scan.at).toBeGreaterThanOrEqual(before);
  });

  it('decodes GB18030 Chinese payloads and LF terminators', async () => {
    const { sim, driver } = await setup({ terminator: 'lf', encoding: 'gb18030' });
    const got = nextScan(driver);
    await sim.scan({ text: '医保大厅 A023' });
    expect((await got)[0]).toEqual({ text: '医保大厅 A023', at: expect.any(Number) });
  });

  it('goes disconnected when unplugged and reconnects by itself when replugged', async () => {
    const { sim, driver, statuses } = await setup();
    const down = nextStatus(driver, 'disconnected');
    await sim.act('unplug');
    expect((await down).state).toBe('disconnected');
    expect(sim.state()).toMatchObject({ plugged: false });

    const up = nextStatus(driver, 'ready');
    await sim.act('replug');
    await up;
    const got = nextScan(driver);
    await sim.scan({ text: 'after-replug' });
    expect((await got)[0].text).toBe('after-replug');
    expect(statuses.map((s) => s.state)).toEqual(['ready', 'disconnected', 'ready']);
  });

  it('reports an over-long line as scan-error without the payload and keeps working', async () => {
    const { sim, driver } = await setup({}, { maxPayloadBytes: 32 });
    const err = once(driver, 'scan-error', { signal: AbortSignal.timeout(5_000) }) as Promise<[ScanError]>;
    await sim.scan({ text: 'X'.repeat(40) });
    const [e] = await err;
    expect(Object.keys(e).sort()).toEqual(['at', 'code']);
    expect(e.code).toBe('line-too-long');
    const got = nextScan(driver);
    await sim.scan({ text: 'short' });
    expect((await got)[0].text).toBe('short');
  });

  it('with idleFlushMs, takes an unterminated scan as complete after the line goes quiet', async () => {
    const { sim, driver } = await setup({}, { idleFlushMs: 60 });
    const got = nextScan(driver);
    await sim.sendRaw(new TextEncoder().encode(']Q1NO-SUFFIX-123'));
    expect((await got)[0]).toMatchObject({ text: 'NO-SUFFIX-123', symbology: 'qr' });
  });

  it('logs only status changes and never the scanned text', async () => {
    const { sim, driver, logs } = await setup();
    const got = nextScan(driver);
    await sim.scan({ text: 'SECRET-VOUCHER-PAYLOAD' });
    await got;
    expect(JSON.stringify(logs)).not.toContain('SECRET');
    expect(logs.some((l) => l.msg === 'scanner ready')).toBe(true);
  });

  it('reports disconnected when the device is absent, and rejects bad simulator actions', async () => {
    const absent = memoryLink({ plugged: false });
    const driver = new ScannerDriver({ mode: 'serial', transport: absent.host });
    cleanups.push(() => driver.stop());
    await driver.start();
    expect(driver.status()).toEqual({ state: 'disconnected', reason: '扫码器串口未连接，正在重试' });

    const sim = new ScannerSimulator(memoryLink().device);
    cleanups.push(() => sim.close());
    await expect(sim.act('explode')).rejects.toThrow(/没有动作/);
    await expect(sim.act('scan', {})).rejects.toThrow(/text/);
    await expect(sim.act('scan', { text: 'x', aim: 'Q1' })).rejects.toThrow(/aim/);
  });
});
