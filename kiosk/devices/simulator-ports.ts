import { PtyPort } from '../../drivers/common/pty.ts';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import { DispenserSimulator } from '../../drivers/dispenser/index.ts';
import { IdCardSimulator } from '../../drivers/idcard/index.ts';
import { PrinterSimulator, type Receipt } from '../../drivers/printer/index.ts';
import { ScannerSimulator } from '../../drivers/scanner/index.ts';

/** The devices a simulator port can stand for: the four on a serial link. */
export type SimulatorPortKind = 'idcard' | 'scanner' | 'printer' | 'dispenser';
export const SIMULATOR_PORT_KINDS: readonly SimulatorPortKind[] = ['idcard', 'scanner', 'printer', 'dispenser'];

/** At most this many simulator ports at once (each holds a pty pair). */
export const MAX_SIMULATOR_PORTS = 8;

export interface SimulatorPortView {
  readonly id: number;
  readonly kind: SimulatorPortKind;
  /** The path a driver opens (a link to the pty's /dev/pts/N slave), as it opens /dev/ttyUSB0. */
  readonly path: string;
  /** The simulator's state (paper, card, plugged ...), as on the simulator panel. */
  readonly state: Record<string, unknown>;
}

interface Entry {
  readonly id: number;
  readonly kind: SimulatorPortKind;
  readonly port: PtyPort;
  readonly sim: SimulatorControl;
}

/**
 * Simulated devices on real ptys (drivers/common/pty.ts), made from the technician console on a
 * development or training terminal: each is a device simulator on the master side of a pty pair,
 * and its `path` is a serial port like any other, which a driver in `hardware` mode opens through
 * the serialport binding. Device discovery lists them, so a technician can rehearse assigning
 * ports without hardware; the in-memory simulators (`mode: "simulator"`) stay the default.
 */
export class SimulatorPorts {
  #entries: Entry[] = [];
  #nextId = 1;

  async open(kind: SimulatorPortKind): Promise<SimulatorPortView> {
    if (this.#entries.length >= MAX_SIMULATOR_PORTS) throw new Error(`最多同时创建 ${MAX_SIMULATOR_PORTS} 个模拟串口`);
    const port = await PtyPort.open();
    const sim = attach(kind, port);
    const entry: Entry = { id: this.#nextId++, kind, port, sim };
    this.#entries.push(entry);
    return view(entry);
  }

  list(): SimulatorPortView[] {
    return this.#entries.map(view);
  }

  /** The simulator on a port by its path (tests read what the simulated printer printed). */
  byPath(path: string): SimulatorControl | undefined {
    return this.#entries.find((e) => e.port.hostPath === path)?.sim;
  }

  /** The last receipt of a simulated printer port. */
  lastReceipt(id: number): Receipt | undefined {
    const e = this.#entries.find((x) => x.id === id);
    return e && e.sim instanceof PrinterSimulator ? e.sim.lastReceipt() : undefined;
  }

  async close(id: number): Promise<boolean> {
    const i = this.#entries.findIndex((e) => e.id === id);
    if (i < 0) return false;
    const [e] = this.#entries.splice(i, 1);
    await e!.sim.close();
    await e!.port.close();
    return true;
  }

  async closeAll(): Promise<void> {
    const all = this.#entries;
    this.#entries = [];
    for (const e of all) {
      await e.sim.close();
      await e.port.close();
    }
  }
}

function attach(kind: SimulatorPortKind, port: PtyPort): SimulatorControl {
  switch (kind) {
    case 'idcard':
      return new IdCardSimulator(port);
    case 'scanner':
      return new ScannerSimulator(port, { terminator: 'cr' });
    case 'printer':
      return new PrinterSimulator(port);
    case 'dispenser':
      return new DispenserSimulator(port);
  }
}

function view(e: Entry): SimulatorPortView {
  return { id: e.id, kind: e.kind, path: e.port.hostPath, state: e.sim.state() };
}
