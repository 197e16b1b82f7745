import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLink, type MemoryLink } from '../../../drivers/common/memory-transport.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';
import { DispenserDriver, DispenserSimulator } from '../../../drivers/dispenser/index.ts';

/** Resolve when the driver's status satisfies `pred` (now or later). The limit only stops a hang. */
function statusMatching(driver: DispenserDriver, pred: (s: DeviceStatus) => boolean, limitMs = 10_000): Promise<DeviceStatus> {
  if (pred(driver.status())) return Promise.resolve(driver.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      driver.off('status', onStatus);
      reject(new Error(`status never matched; last: ${JSON.stringify(driver.status())}`));
    }, limitMs);
    const onStatus = (s: DeviceStatus): void => {
      if (!pred(s)) return;
      clearTimeout(timer);
      driver.off('status', onStatus);
      resolve(s);
    };
    driver.on('status', onStatus);
  });
}

const isReady = (s: DeviceStatus): boolean => s.state === 'ready' && s.warnings.length === 0;

function fastDriver(link: MemoryLink, extra: Partial<ConstructorParameters<typeof DispenserDriver>[0]> = {}): DispenserDriver {
  return new DispenserDriver({
    transport: link.host,
    pollIntervalMs: 20,
    replyTimeoutMs: 1000,
    arrivalTimeoutMs: 2000,
    retractTimeoutMs: 2000,
    ...extra,
  });
}

describe('DispenserDriver over a memory link with DispenserSimulator', () => {
  let link: MemoryLink;
  let sim: DispenserSimulator;
  let driver: DispenserDriver;

  beforeEach(async () => {
    link = memoryLink({ label: 'dispenser', reopenDelayMs: 50 });
    sim = new DispenserSimulator(link.device);
    driver = fastDriver(link);
    await driver.start();
    await statusMatching(driver, isReady);
  });

  afterEach(async () => {
    await driver.stop();
    await sim.close();
  });

  it('present -> ticket at mouth -> citizen takes it -> ticket-taken', async () => {
    const events: string[] = [];
    driver.on('ticket-at-mouth', () => events.push('at-mouth'));
    driver.on('ticket-taken', () => events.push('taken'));
    driver.on('ticket-retracted', () => events.push('retracted'));
    const atMouth = once(driver, 'ticket-at-mouth');
    const result = driver.present({ timeoutMs: 60_000 });
    await atMouth;
    expect(sim.state()).toMatchObject({ ticket: 'at-mouth', holdAtBezel: true, presented: 1 });
    await sim.act('take-ticket');
    expect(await result).toEqual({ outcome: 'taken' });
    expect(events).toEqual(['at-mouth', 'taken']);
    expect(sim.state()).toMatchObject({ ticket: 'none', lastOutcome: 'taken', retracted: 0 });
    expect(driver.presenting).toBe(false);
  });

  it('present -> not taken -> driver retracts after its timeout -> ticket-retracted', async () => {
    const events: string[] = [];
    driver.on('ticket-at-mouth', () => events.push('at-mouth'));
    driver.on('ticket-taken', () => events.push('taken'));
    driver.on('ticket-retracted', () => events.push('retracted'));
    const result = await driver.present({ timeoutMs: 150 });
    expect(result).toEqual({ outcome: 'retracted' });
    expect(events).toEqual(['at-mouth', 'retracted']);
    expect(sim.state()).toMatchObject({ ticket: 'none', lastOutcome: 'retracted', retracted: 1, taken: 0 });
  });

  it('refuses a second present while one is in progress', async () => {
    const atMouth = once(driver, 'ticket-at-mouth');
    const first = driver.present({ timeoutMs: 60_000 });
    expect(await driver.present()).toMatchObject({ outcome: 'failed', code: 'busy' });
    await atMouth;
    await sim.act('take-ticket');
    expect(await first).toEqual({ outcome: 'taken' });
  });

  it('jam -> fault with 卡纸; present then fails; clear-jam -> ready', async () => {
    await sim.act('jam');
    const s = await statusMatching(driver, (x) => x.state === 'fault');
    expect(s).toMatchObject({ state: 'fault', code: 'jam' });
    expect(s.state === 'fault' && s.message.includes('卡纸')).toBe(true);
    expect(await driver.present()).toMatchObject({ outcome: 'failed', code: 'jam' });
    expect(sim.state()).toMatchObject({ presented: 0 });
    await sim.act('clear-jam');
    await statusMatching(driver, isReady);
  });

  it('jam after present: the ticket never arrives, present fails with the jam code', async () => {
    await sim.act('jam');
    // present() is called before the driver's next poll has seen the jam, or after: both must fail.
    const result = await driver.present({ timeoutMs: 60_000 });
    expect(result).toMatchObject({ outcome: 'failed', code: 'jam' });
  });

  it('paper low -> ready with warning 票纸将用尽; paper ok -> plain ready', async () => {
    await sim.act('paper-low');
    const s = await statusMatching(driver, (x) => x.state === 'ready' && x.warnings.length > 0);
    expect(s).toEqual({ state: 'ready', warnings: [{ code: 'paper-near-end', message: '票纸将用尽' }] });
    await sim.act('paper-ok');
    await statusMatching(driver, isReady);
    await sim.act('paper-out');
    expect(await statusMatching(driver, (x) => x.state === 'fault')).toMatchObject({ code: 'paper-out' });
  });

  it('unplug -> disconnected (an open presentation fails) -> replug -> ready again', async () => {
    const atMouth = once(driver, 'ticket-at-mouth');
    const result = driver.present({ timeoutMs: 60_000 });
    await atMouth;
    await sim.act('unplug');
    expect(await statusMatching(driver, (x) => x.state === 'disconnected')).toMatchObject({ state: 'disconnected' });
    expect(await result).toMatchObject({ outcome: 'failed', code: 'disconnected' });
    await sim.act('take-ticket'); // the citizen takes it while the cable is out
    await sim.act('replug');
    await statusMatching(driver, isReady);
    expect(await driver.present({ timeoutMs: 100 })).toEqual({ outcome: 'retracted' });
  });

  it('testPresent feeds and cuts a slip, then presents it', async () => {
    const atMouth = once(driver, 'ticket-at-mouth');
    const result = driver.testPresent({ timeoutMs: 60_000 });
    await atMouth;
    expect(sim.state()).toMatchObject({ cuts: 1, ticket: 'at-mouth' });
    await sim.act('take-ticket');
    expect(await result).toEqual({ outcome: 'taken' });
  });

  it('the FS P present command works against the same simulator', async () => {
    await driver.stop();
    driver = fastDriver(link, { presentCommand: 'fs-p' });
    await driver.start();
    await statusMatching(driver, isReady);
    expect(await driver.present({ timeoutMs: 100 })).toEqual({ outcome: 'retracted' });
    expect(sim.state()).toMatchObject({ presented: 1, retracted: 1 });
  });
});

describe('DispenserDriver with a silent device', () => {
  it('reports a no-response fault after missed replies and never hangs a present', async () => {
    const link = memoryLink(); // nothing answers on the device end
    const driver = fastDriver(link, { replyTimeoutMs: 50, maxMissedReplies: 2 });
    try {
      await driver.start();
      expect(driver.status()).toMatchObject({ state: 'disconnected' });
      expect(await driver.present()).toMatchObject({ outcome: 'failed', code: 'disconnected' });
      const s = await statusMatching(driver, (x) => x.state === 'fault');
      expect(s).toEqual({ state: 'fault', code: 'no-response', message: '票据出口无应答' });
      expect(await driver.present()).toEqual({ outcome: 'failed', code: 'no-response', message: '票据出口无应答' });
    } finally {
      await driver.stop();
      await link.device.close();
    }
  });
});
