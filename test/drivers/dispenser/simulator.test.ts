import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLink, type MemoryHostTransport } from '../../../drivers/common/memory-transport.ts';
import { decodeFullStatus, DispenserSimulator, type FullStatus } from '../../../drivers/dispenser/index.ts';
import { commands, fullStatusReplies, realtime1Replies, realtime4Replies } from '../../fixtures/dispenser/frames.ts';

/** A bare host end: writes request bytes and collects whatever the simulator answers. */
class Host {
  readonly transport: MemoryHostTransport;
  #rx: number[] = [];
  #waiters: Array<() => void> = [];

  constructor(transport: MemoryHostTransport) {
    this.transport = transport;
    this.transport.on('data', (chunk) => {
      this.#rx.push(...chunk);
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  async start(): Promise<void> {
    const opened = once(this.transport, 'open');
    await this.transport.open();
    if (!this.transport.isOpen) await opened;
  }

  /** Send a request and read exactly `length` reply bytes. */
  async ask(request: Uint8Array, length: number): Promise<number[]> {
    this.#rx = [];
    await this.transport.write(request);
    while (this.#rx.length < length) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.#rx.splice(0, length);
  }

  async fullStatus(): Promise<FullStatus> {
    const r = decodeFullStatus(Uint8Array.from(await this.ask(commands.fullStatus, 6)));
    if (!r.ok) throw new Error('bad reply');
    return r.value;
  }
}

/** Poll until the mouth bit clears; the cap only turns a broken self-timeout into a failure, not a hang. */
async function untilMouthClear(host: Host): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (!(await host.fullStatus()).ticketAtMouth) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('ticket never left the mouth');
}

describe('DispenserSimulator speaks the presenter bytes (§6.1, §6.2, §6.3)', () => {
  let sim: DispenserSimulator;
  let host: Host;

  beforeEach(async () => {
    const link = memoryLink({ label: 'dispenser' });
    sim = new DispenserSimulator(link.device, { timeoutUnitMs: 20 });
    host = new Host(link.host);
    await host.start();
  });

  afterEach(async () => {
    await host.transport.close();
    await sim.close();
  });

  it('answers DLE EOT 20 with the 6-byte reply and the classic one-byte DLE EOT n / GS e 6', async () => {
    expect(await host.ask(commands.fullStatus, 6)).toEqual([...fullStatusReplies.idle]);
    expect(await host.ask(commands.realtime4, 1)).toEqual([realtime4Replies.paperOk]);
    expect(await host.ask(commands.realtime1, 1)).toEqual([realtime1Replies.tornAway]);
    await host.transport.write(commands.present5);
    expect(await host.ask(commands.fullStatus, 6)).toEqual([...fullStatusReplies.ticketAtMouth]);
    expect(await host.ask(commands.realtime1, 1)).toEqual([realtime1Replies.notTornAway]);
    expect((await host.ask(commands.ejectorStatus, 1))[0]! & 0x08).toBe(0x08);
    await sim.act('paper-low');
    expect(await host.ask(commands.realtime4, 1)).toEqual([realtime4Replies.nearEnd]);
  });

  it('holds the ticket after a plain present until taken; GS e 2 retracts it', async () => {
    await host.transport.write(commands.present5);
    expect((await host.fullStatus()).ticketAtMouth).toBe(true);
    expect(sim.state()).toMatchObject({ ticket: 'at-mouth', selfTimeoutArmed: false });
    await host.transport.write(commands.retract);
    expect((await host.fullStatus()).ticketAtMouth).toBe(false);
    expect(sim.state()).toMatchObject({ lastOutcome: 'retracted', retracted: 1 });
  });

  it('retracts by itself when the GS e 32 timeout passes', async () => {
    // t = 25 units of 20 ms in this simulator instance: room for the status query on a loaded machine
    await host.transport.write(Uint8Array.of(0x1d, 0x65, 0x20, 0x05, 0x19));
    expect((await host.fullStatus()).ticketAtMouth).toBe(true);
    expect(sim.state()).toMatchObject({ selfTimeoutArmed: true });
    await untilMouthClear(host);
    expect(sim.state()).toMatchObject({ lastOutcome: 'retracted', retracted: 1, taken: 0 });
  });

  it('ejects by itself when an FS P ... E command times out', async () => {
    await host.transport.write(Uint8Array.of(0x1c, 0x50, 0x05, 0x01, 0x45, 0x19));
    expect((await host.fullStatus()).ticketAtMouth).toBe(true);
    await untilMouthClear(host);
    expect(sim.state()).toMatchObject({ lastOutcome: 'ejected', ejected: 1 });
  });

  it('a jammed presenter neither presents nor retracts, and reports b5 40', async () => {
    await host.transport.write(commands.present5);
    await host.fullStatus();
    await sim.act('jam');
    await host.transport.write(commands.retract);
    const s = await host.fullStatus();
    expect([s.jam, s.ticketAtMouth]).toEqual([true, true]);
    await sim.act('take-ticket');
    await host.transport.write(commands.present5);
    expect(await host.ask(commands.fullStatus, 6)).toEqual([...fullStatusReplies.jam]);
  });

  it('taking the ticket cancels the self-timeout', async () => {
    await host.transport.write(commands.presentWithTimeout5x70);
    await host.fullStatus();
    await sim.act('take-ticket');
    expect(sim.state()).toMatchObject({ ticket: 'none', lastOutcome: 'taken', selfTimeoutArmed: false });
  });

  it('rejects unknown actions and taking a ticket that is not there', async () => {
    await expect(sim.act('fly')).rejects.toThrow(/unknown/);
    await expect(sim.act('take-ticket')).rejects.toThrow(/no ticket/);
  });
});
