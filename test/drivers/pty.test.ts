/**
 * The pty tier: each driver over a real pseudo-terminal (node-pty's in-process openpty, no
 * socat) through SerialTransport, so the serialport binding is in the loop as in a hall. The
 * driver unit tests run on in-memory links; this file checks one round trip per device, and
 * that an unplugged pty is seen as a vanished port and reconnected.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PtyPort } from '../../drivers/common/pty.ts';
import { SerialTransport } from '../../drivers/common/serial-transport.ts';
import type { DeviceStatus } from '../../drivers/common/status.ts';
import { DispenserDriver, DispenserSimulator } from '../../drivers/dispenser/index.ts';
import { IdCardReaderDriver, IdCardSimulator, SAMPLE_CARDS, type IdCard } from '../../drivers/idcard/index.ts';
import { PrinterDriver, PrinterSimulator, resolvePrinterProfile, sampleQueueTicket } from '../../drivers/printer/index.ts';
import { ScannerDriver, ScannerSimulator, type ScanEvent } from '../../drivers/scanner/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pty(baudRate: number): Promise<{ port: PtyPort; transport: SerialTransport }> {
  const port = await PtyPort.open();
  cleanups.push(() => port.close());
  return { port, transport: new SerialTransport({ path: port.hostPath, baudRate, reconnectIntervalMs: 50 }) };
}

type Driver = { status(): DeviceStatus; on(e: 'status', l: (s: DeviceStatus) => void): unknown; off(e: 'status', l: (s: DeviceStatus) => void): unknown };

/** Resolves with the first status (current included) in `state`; the limit only stops a hang. */
function state(driver: Driver, wanted: DeviceStatus['state']): Promise<DeviceStatus> {
  if (driver.status().state === wanted) return Promise.resolve(driver.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${wanted}' within 10 s; last ${JSON.stringify(driver.status())}`)), 10_000);
    const on = (s: DeviceStatus): void => {
      if (s.state !== wanted) return;
      clearTimeout(timer);
      driver.off('status', on);
      resolve(s);
    };
    driver.on('status', on);
  });
}

describe('drivers over a real pty (node-pty, serialport)', () => {
  it('the hostPath is a link to a /dev/pts slave', async () => {
    const { port } = await pty(115200);
    const { readlinkSync } = await import('node:fs');
    expect(readlinkSync(port.hostPath)).toMatch(/^\/dev\/pts\/\d+$/);
  });

  it('idcard: reads a card (1295-byte reply frame through the tty)', async () => {
    const { port, transport } = await pty(115200);
    const sim = new IdCardSimulator(port);
    const driver = new IdCardReaderDriver({ transport, pollIntervalMs: 50 });
    cleanups.push(() => driver.stop());
    await driver.start();
    await state(driver, 'ready');
    const card = once(driver, 'card', { signal: AbortSignal.timeout(10_000) }) as Promise<[IdCard]>;
    sim.insertCard('elder');
    expect((await card)[0]).toEqual(SAMPLE_CARDS.elder);
  });

  it('scanner: a CRLF scan with every control byte class, then unplug → disconnected → replug → ready', async () => {
    const { port, transport } = await pty(9600);
    const sim = new ScannerSimulator(port, { terminator: 'crlf', aimPrefix: ']Q1' });
    const driver = new ScannerDriver({ mode: 'serial', transport });
    cleanups.push(() => driver.stop());
    await driver.start();
    await state(driver, 'ready');
    // ^C, ^Q, ^S, ^Z and DEL would be eaten by a cooked tty: the pair must be raw end to end.
    const text = 'A\x03B\x11C\x13D\x1aE\x7fF';
    const got = once(driver, 'scan', { signal: AbortSignal.timeout(10_000) }) as Promise<[ScanEvent]>;
    await sim.scan({ text });
    expect((await got)[0]).toMatchObject({ text, aim: ']Q1' });

    const down = state(driver, 'disconnected');
    await sim.unplug();
    await down;
    const up = state(driver, 'ready');
    await sim.replug();
    await up;
    const again = once(driver, 'scan', { signal: AbortSignal.timeout(10_000) }) as Promise<[ScanEvent]>;
    await sim.scan({ text: 'after-replug' });
    expect((await again)[0].text).toBe('after-replug');
  });

  it('printer: prints a ticket the simulator reproduces, DLE EOT answered through the tty', async () => {
    const { port, transport } = await pty(115200);
    const sim = new PrinterSimulator(port);
    const driver = new PrinterDriver({ transport, baudRate: 115200, profile: resolvePrinterProfile('generic-80'), pollIntervalMs: 0, settleMs: 0 });
    cleanups.push(() => driver.stop());
    await driver.start();
    expect(driver.status()).toEqual({ state: 'ready', warnings: [] });
    expect(await driver.print(sampleQueueTicket())).toMatchObject({ ok: true });
    expect(sim.lastReceipt()).toMatchObject({ cut: true, complete: true, qrCodes: ['https://example.invalid/q/A012?d=20250314'] });
  });

  it('dispenser: present → take → ticket-taken', async () => {
    const { port, transport } = await pty(115200);
    const sim = new DispenserSimulator(port);
    const driver = new DispenserDriver({ transport, pollIntervalMs: 20 });
    cleanups.push(() => driver.stop());
    await driver.start();
    await state(driver, 'ready');
    const atMouth = once(driver, 'ticket-at-mouth', { signal: AbortSignal.timeout(10_000) });
    const result = driver.present({ timeoutMs: 60_000 });
    await atMouth;
    await sim.act('take-ticket');
    expect(await result).toEqual({ outcome: 'taken' });
  });
});
