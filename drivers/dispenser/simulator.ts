import type { SimulatorAction, SimulatorControl } from '../common/simulator.ts';
import type { DeviceEnd } from '../common/transport.ts';
import { encodeEjectorStatus, encodeFullStatus, encodeRealtimeStatus, HostCommandParser, type PresenterCondition } from './command-codec.ts';
import type { DispenserSimulatorOptions, HostCommand, TimeoutAction } from './types.ts';

type Outcome = 'taken' | 'retracted' | 'ejected' | null;

const ACTIONS: readonly SimulatorAction[] = Object.freeze([
  { name: 'take-ticket', description: '市民取走出口处的票据' },
  { name: 'jam', description: '模拟卡纸' },
  { name: 'clear-jam', description: '排除卡纸' },
  { name: 'paper-low', description: '票纸将用尽' },
  { name: 'paper-ok', description: '装满票纸' },
  { name: 'paper-out', description: '票纸用完' },
  { name: 'cover-open', description: '打开打印机盖' },
  { name: 'cover-close', description: '关闭打印机盖' },
  { name: 'unplug', description: '拔出数据线' },
  { name: 'replug', description: '插回数据线' },
]);

/**
 * A kiosk ticket printer's presenter on the device end of a link, speaking the bytes of
 * README.md §6.1/§6.2 in this folder: answers `DLE EOT 20` with `10 0F b3 b4 b5 b6`, classic `DLE EOT 1..4` and `GS e 6`
 * with one byte; obeys `GS e 2/3/5/18/20/32` and `FS P`. State machine per §6.3 item 6:
 * idle -> presented (mouth bit) -> taken (mouth bit clear) or retracted/ejected. When a present
 * command carries a timeout, the simulator retracts (or ejects) by itself once it passes.
 */
export class DispenserSimulator implements SimulatorControl {
  readonly kind = 'dispenser' as const;
  readonly actions = ACTIONS;
  #port: DeviceEnd;
  #parser = new HostCommandParser();
  #unitMs: number;
  #gsAction: TimeoutAction;
  #cond: PresenterCondition = {
    ticketAtMouth: false,
    paperLow: false,
    paperOut: false,
    coverOpen: false,
    motorMoving: false,
    jam: false,
    cutterError: false,
  };
  #holdAtBezel = false;
  #outcome: Outcome = null;
  #counts = { presented: 0, taken: 0, retracted: 0, ejected: 0, cuts: 0, statusRequests: 0 };
  #timer: NodeJS.Timeout | null = null;
  #writes: Promise<void> = Promise.resolve();

  /** Attach the simulated presenter to the device end of a link. */
  constructor(port: DeviceEnd, options: DispenserSimulatorOptions = {}) {
    this.#port = port;
    this.#unitMs = options.timeoutUnitMs ?? 1000;
    this.#gsAction = options.gsTimeoutAction ?? 'retract';
    port.on('data', (chunk) => this.#onData(chunk));
  }

  get hostPath(): string {
    return this.#port.hostPath;
  }

  state(): Record<string, unknown> {
    const c = this.#cond;
    return {
      plugged: this.#port.plugged,
      ticket: c.ticketAtMouth ? 'at-mouth' : 'none',
      lastOutcome: this.#outcome,
      paper: c.paperOut ? 'out' : c.paperLow ? 'low' : 'ok',
      jammed: c.jam,
      coverOpen: c.coverOpen,
      holdAtBezel: this.#holdAtBezel,
      selfTimeoutArmed: this.#timer !== null,
      ...this.#counts,
    };
  }

  async act(action: string, args: Record<string, unknown> = {}): Promise<void> {
    void args;
    const c = this.#cond;
    switch (action) {
      case 'take-ticket':
        if (!c.ticketAtMouth) throw new Error('take-ticket: no ticket at the mouth');
        this.#removeTicket('taken');
        return;
      case 'jam':
        c.jam = true;
        return;
      case 'clear-jam':
        c.jam = false;
        return;
      case 'paper-low':
        c.paperLow = true;
        c.paperOut = false;
        return;
      case 'paper-ok':
        c.paperLow = false;
        c.paperOut = false;
        return;
      case 'paper-out':
        c.paperLow = true;
        c.paperOut = true;
        return;
      case 'cover-open':
        c.coverOpen = true;
        return;
      case 'cover-close':
        c.coverOpen = false;
        return;
      case 'unplug':
        return this.unplug();
      case 'replug':
        return this.replug();
      default:
        throw new Error(`unknown dispenser simulator action: ${action}`);
    }
  }

  async unplug(): Promise<void> {
    this.#parser.reset();
    await this.#port.unplug();
  }

  async replug(): Promise<void> {
    this.#parser.reset();
    await this.#port.replug();
  }

  async close(): Promise<void> {
    this.#clearTimer();
    await this.#writes;
    await this.#port.close();
  }

  #onData(chunk: Buffer): void {
    for (const command of this.#parser.push(chunk)) this.#handle(command);
  }

  #handle(cmd: HostCommand): void {
    const c = this.#cond;
    switch (cmd.kind) {
      case 'full-status':
        this.#counts.statusRequests++;
        this.#send(encodeFullStatus(c));
        return;
      case 'realtime-status':
        this.#send(Uint8Array.of(encodeRealtimeStatus(cmd.n, c)));
        return;
      case 'ejector-status':
        this.#send(Uint8Array.of(encodeEjectorStatus(c)));
        return;
      case 'present':
        this.#present(null);
        return;
      case 'present-timeout':
        this.#present({ after: this.#gsAction, units: cmd.timeout });
        return;
      case 'custom-present':
        this.#present({ after: cmd.action, units: cmd.timeout });
        return;
      case 'retract':
        // A jammed presenter cannot move the ticket.
        if (c.ticketAtMouth && !c.jam) this.#removeTicket('retracted');
        return;
      case 'eject':
        if (c.ticketAtMouth && !c.jam) this.#removeTicket('ejected');
        return;
      case 'hold-at-bezel':
        this.#holdAtBezel = true;
        return;
      case 'continuous-mode':
        this.#holdAtBezel = false;
        return;
      case 'cut':
        this.#counts.cuts++;
        return;
      case 'initialize':
      case 'feed':
      case 'unknown':
        return;
    }
  }

  #present(timeout: { after: TimeoutAction; units: number } | null): void {
    const c = this.#cond;
    if (c.ticketAtMouth || c.jam || c.paperOut || c.coverOpen) return; // nothing can come out
    c.ticketAtMouth = true;
    this.#outcome = null;
    this.#counts.presented++;
    this.#clearTimer();
    if (timeout) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (c.ticketAtMouth && !c.jam) this.#removeTicket(timeout.after === 'eject' ? 'ejected' : 'retracted');
      }, timeout.units * this.#unitMs);
    }
  }

  #removeTicket(outcome: Exclude<Outcome, null>): void {
    this.#cond.ticketAtMouth = false;
    this.#outcome = outcome;
    this.#counts[outcome]++;
    this.#clearTimer();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #send(bytes: Uint8Array): void {
    this.#writes = this.#writes.then(() => this.#port.write(bytes)).catch(() => undefined);
  }
}
