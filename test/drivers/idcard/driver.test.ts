/**
 * IdCardReaderDriver against IdCardSimulator over an in-memory link (the pty tier is
 * test/drivers/pty.test.ts).
 * Waits use generous deadlines only to fail instead of hanging; nothing asserts on elapsed time.
 */
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceLogger } from '../../../drivers/common/logger.ts';
import { memoryLink, type MemoryLink } from '../../../drivers/common/memory-transport.ts';
import type { DeviceStatus } from '../../../drivers/common/status.ts';
import { IdCardReaderDriver } from '../../../drivers/idcard/driver.ts';
import { SAMPLE_CARDS, sampleCardAged } from '../../../drivers/idcard/sample-cards.ts';
import { IdCardSimulator } from '../../../drivers/idcard/simulator.ts';
import type { IdCard, IdCardReaderEvents, IdCardReaderOptions } from '../../../drivers/idcard/types.ts';

const DEADLINE = 8_000;

let link: MemoryLink;
let sim: IdCardSimulator;
let driver: IdCardReaderDriver;
let logs: unknown[];

const recordingLogger: DeviceLogger = {
  debug: (o, m) => void logs.push([o, m]),
  info: (o, m) => void logs.push([o, m]),
  warn: (o, m) => void logs.push([o, m]),
  error: (o, m) => void logs.push([o, m]),
};

function makeDriver(options: Partial<IdCardReaderOptions> = {}): IdCardReaderDriver {
  driver = new IdCardReaderDriver({
    transport: link.host,
    pollIntervalMs: 50,
    commandTimeoutMs: 400,
    logger: recordingLogger,
    ...options,
  });
  return driver;
}

function next<K extends keyof IdCardReaderEvents>(event: K): Promise<IdCardReaderEvents[K]> {
  return once(driver as never, event, { signal: AbortSignal.timeout(DEADLINE) }) as Promise<IdCardReaderEvents[K]>;
}

/** Resolve once the driver reports a status matching `predicate` (current status included). */
function statusWhere(predicate: (s: DeviceStatus) => boolean): Promise<DeviceStatus> {
  if (predicate(driver.status())) return Promise.resolve(driver.status());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      driver.off('status', onStatus);
      reject(new Error(`status never matched; last ${JSON.stringify(driver.status())}`));
    }, DEADLINE);
    const onStatus = (s: DeviceStatus) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      driver.off('status', onStatus);
      resolve(s);
    };
    driver.on('status', onStatus);
  });
}

/** Await a condition on the simulator side (checked every 10 ms, fails after DEADLINE). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition never became true');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const isReady = (s: DeviceStatus) => s.state === 'ready';

beforeEach(async () => {
  logs = [];
  link = memoryLink({ label: 'idcard', reopenDelayMs: 100 });
  sim = new IdCardSimulator(link.device);
});

afterEach(async () => {
  await driver?.stop();
  await sim.close();
});

describe('IdCardReaderDriver over a memory link', () => {
  it('starts disconnected-free: SAM check then ready', async () => {
    makeDriver();
    expect(driver.status().state).toBe('disconnected');
    await driver.start();
    await statusWhere(isReady);
  });

  it('reads an inserted card, then reports its removal', async () => {
    makeDriver();
    await driver.start();
    await statusWhere(isReady);
    const card = next('card');
    sim.insertCard('adult');
    const [read] = await card;
    expect(read).toEqual(SAMPLE_CARDS.adult);
    expect('photo' in read).toBe(false);
    expect(driver.cardPresent).toBe(true);
    expect(driver.status()).toEqual({ state: 'ready', warnings: [] });

    const removed = next('removed');
    await sim.act('remove-card');
    await removed;
    expect(driver.cardPresent).toBe(false);
  });

  it.each(['elder', 'hkPermit', 'foreigner2017', 'foreigner2023'] as const)('reads the %s sample', async (fixture) => {
    makeDriver();
    await driver.start();
    const card = next('card');
    await sim.act('insert-card', { fixture });
    expect((await card)[0]).toEqual(SAMPLE_CARDS[fixture]);
  });

  it('reads a custom card (a person aged 70 today) and keeps the photo when asked', async () => {
    makeDriver({ includePhoto: true });
    await driver.start();
    const person = sampleCardAged(70);
    const card = next('card');
    sim.insertCard(person);
    const [read] = await card;
    const { photo, ...rest } = read as IdCard & { photo: Uint8Array };
    expect(rest).toEqual(person);
    expect(photo.length).toBe(1024);
    expect(Array.from(photo.subarray(0, 4))).toEqual([0x57, 0x4c, 0x66, 0x00]);
  });

  it('a failed read emits read-error; lifting and replacing the card reads it', async () => {
    makeDriver();
    await driver.start();
    await statusWhere(isReady);
    await sim.act('fail-next-read');
    const failed = next('read-error');
    sim.insertCard('elder');
    expect((await failed)[0]).toEqual({ code: 'read-failed', message: '读卡失败，请重新放置' });
    expect(driver.cardPresent).toBe(false);

    const card = next('card');
    sim.removeCard();
    sim.insertCard('elder');
    expect((await card)[0].idNumber).toBe(SAMPLE_CARDS.elder.idNumber);
  });

  it('a card replaced between polls is reported removed, then read again', async () => {
    makeDriver();
    await driver.start();
    const first = next('card');
    sim.insertCard('adult');
    await first;
    const removed = next('removed');
    const second = next('card');
    sim.insertCard('elder'); // a new card in the same spot: fresh again (find answers 9F)
    await removed;
    expect((await second)[0].name).toBe('张三');
  });

  it('SAM self-test failure is a fault; recovery returns to ready', async () => {
    await sim.act('sam-fault');
    makeDriver();
    await driver.start();
    expect(await statusWhere((s) => s.state === 'fault')).toEqual({
      state: 'fault',
      code: 'sam-self-test-failed',
      message: '身份证读卡器安全模块故障，请联系工作人员',
    });
    await sim.act('sam-ok');
    await statusWhere(isReady);
  });

  it('a silent reader times out into a no-reply fault instead of hanging', async () => {
    makeDriver({ commandTimeoutMs: 150 });
    await driver.start();
    await statusWhere(isReady);
    await sim.act('set-silent', { silent: true });
    expect(await statusWhere((s) => s.state === 'fault')).toEqual({ state: 'fault', code: 'no-response', message: '身份证读卡器无响应' });
    await sim.act('set-silent', { silent: false });
    await statusWhere(isReady);
  });

  it('unplug → disconnected (card removed) → replug → ready and the card is read again', async () => {
    makeDriver();
    await driver.start();
    const card = next('card');
    sim.insertCard('adult');
    await card;

    const removed = next('removed');
    await sim.unplug();
    expect(await statusWhere((s) => s.state === 'disconnected')).toEqual({ state: 'disconnected', reason: '身份证读卡器未连接' });
    await removed;

    const again = next('card');
    await sim.replug();
    await statusWhere(isReady);
    expect((await again)[0]).toEqual(SAMPLE_CARDS.adult);
  });

  it('unplugged mid-read: no card event, disconnected, then reconnects and reads', async () => {
    makeDriver({ commandTimeoutMs: 5_000 });
    await driver.start();
    await statusWhere(isReady);
    let cards = 0;
    driver.on('card', () => cards++);
    await sim.act('hang-next-read');
    sim.insertCard('adult');
    await until(() => sim.state()['hungReads'] === 1); // the driver now waits for the 30 01 reply
    expect(driver.status()).toEqual({ state: 'busy', task: '正在读取身份证' });
    await sim.unplug();
    await statusWhere((s) => s.state === 'disconnected');
    expect(cards).toBe(0);
    const card = next('card');
    await sim.replug();
    await statusWhere(isReady);
    expect((await card)[0].name).toBe('李四');
  });

  it('starting before the device exists connects once it appears', async () => {
    await sim.unplug();
    makeDriver();
    await driver.start();
    expect(driver.status().state).toBe('disconnected');
    await sim.replug();
    await statusWhere(isReady);
  });

  it('readOnce reads without emitting card; a card already read must be lifted first', async () => {
    makeDriver({ pollIntervalMs: 60_000 });
    let emitted = 0;
    driver.on('card', () => emitted++);
    await driver.start();
    await statusWhere(isReady);
    expect(await driver.readOnce()).toEqual({ ok: false, code: 'find-failed', message: '请放置身份证' });
    sim.insertCard('hkPermit');
    expect(await driver.readOnce()).toEqual({ ok: true, card: SAMPLE_CARDS.hkPermit });
    expect(await driver.readOnce()).toMatchObject({ ok: false, code: 'find-failed' });
    expect(emitted).toBe(0);
  });

  it('stop() resolves while an exchange is pending and leaves the port closed', async () => {
    makeDriver({ commandTimeoutMs: 10_000 });
    await driver.start();
    await statusWhere(isReady);
    await sim.act('set-silent', { silent: true });
    const seen = sim.commandCount;
    await until(() => sim.commandCount > seen); // the driver is now waiting on a reply that never comes
    await driver.stop();
    expect(driver.status()).toEqual({ state: 'disconnected', reason: '身份证读卡器已停止' });
    expect(await driver.readOnce()).toMatchObject({ ok: false, code: 'disconnected' });
  });

  it('never logs card content', async () => {
    makeDriver();
    await driver.start();
    const card = next('card');
    sim.insertCard('elder');
    await card;
    await sim.unplug();
    await statusWhere((s) => s.state === 'disconnected');
    const text = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['张三', '11010119500315003X', '东城区示例', '19500315']) expect(text).not.toContain(secret);
  });

  it('rejects bad options', () => {
    expect(() => new IdCardReaderDriver({} as IdCardReaderOptions)).toThrow(TypeError);
    expect(() => new IdCardReaderDriver({ transport: link.host, pollIntervalMs: 0 })).toThrow(TypeError);
  });
});

describe('IdCardSimulator control surface', () => {
  it('lists actions, reports state and rejects unknown actions or fixtures', async () => {
    expect(sim.kind).toBe('idcard');
    expect(sim.actions.map((a) => a.name)).toEqual([
      'insert-card',
      'remove-card',
      'fail-next-read',
      'corrupt-next-read',
      'hang-next-read',
      'sam-fault',
      'sam-ok',
      'set-silent',
      'unplug',
      'replug',
    ]);
    await sim.act('insert-card', { fixture: 'elder' });
    expect(sim.state()).toMatchObject({ plugged: true, card: { fixture: 'elder', type: 'resident', phase: 'fresh' } });
    await expect(sim.act('insert-card', { fixture: 'nobody' })).rejects.toThrow(/unknown fixture/);
    await expect(sim.act('explode')).rejects.toThrow(/unknown action/);
    await expect(sim.act('set-silent', {})).rejects.toThrow(/boolean/);
    await sim.act('unplug');
    expect(sim.state()).toMatchObject({ plugged: false });
    makeDriver(); // afterEach stops it
  });
});
