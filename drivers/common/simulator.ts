import type { DeviceKind } from './status.ts';

/**
 * What every device simulator offers the development API and the tests: its current simulated
 * state, a list of actions (insert card, paper out, take ticket, ...) and a way to run them.
 * The daemon mounts `/api/v1/dev/simulators/...` only for devices configured as simulators.
 */
export interface SimulatorAction {
  readonly name: string;
  /** Chinese description for the technician console. */
  readonly description: string;
}

export interface SimulatorControl {
  readonly kind: DeviceKind;
  /**
   * Where the driver is attached: `memory:<kind>` for the in-memory pair the daemon uses, or
   * the pty link path in the pty test tier (DeviceEnd.hostPath).
   */
  readonly hostPath: string;
  readonly actions: readonly SimulatorAction[];
  /** JSON-safe snapshot of the simulated device's state. */
  state(): Record<string, unknown>;
  /** Run an action by name; rejects with a clear Error for an unknown action or bad arguments. */
  act(action: string, args?: Record<string, unknown>): Promise<void>;
  /** Pull the cable: the driver's port vanishes. */
  unplug(): Promise<void>;
  /** Plug it back in on the same path. */
  replug(): Promise<void>;
  close(): Promise<void>;
}
