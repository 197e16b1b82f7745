/**
 * Device status shared by every driver. A driver reports exactly one of these at a time
 * and emits a 'status' event only when it changes (drivers log on change, never per poll).
 *
 * `message` is Chinese text fit for the citizen's screen or the technician console;
 * `code` is a stable English identifier for programs and logs.
 */
export type DeviceWarning = { readonly code: string; readonly message: string };

export type DeviceStatus =
  | { readonly state: 'ready'; readonly warnings: readonly DeviceWarning[] }
  | { readonly state: 'busy'; readonly task: string }
  | { readonly state: 'fault'; readonly code: string; readonly message: string }
  | { readonly state: 'disconnected'; readonly reason: string };

export type DeviceKind = 'idcard' | 'scanner' | 'printer' | 'dispenser';

export const READY: DeviceStatus = Object.freeze({ state: 'ready', warnings: Object.freeze([]) });

export function ready(warnings: readonly DeviceWarning[] = []): DeviceStatus {
  return warnings.length === 0 ? READY : { state: 'ready', warnings };
}

export function fault(code: string, message: string): DeviceStatus {
  return { state: 'fault', code, message };
}

export function disconnected(reason: string): DeviceStatus {
  return { state: 'disconnected', reason };
}

/** Structural equality, so drivers can suppress duplicate status events. */
export function sameStatus(a: DeviceStatus, b: DeviceStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
