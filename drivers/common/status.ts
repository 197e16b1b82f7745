/**
 * Device status shared by every driver. A driver reports exactly one of these at a time
 * and emits a 'status' event only when it changes (drivers log on change, never per poll).
 *
 * The fault and message convention of the four drivers:
 * - `code` (of a fault or a warning) is a stable kebab-case English identifier for programs and
 *   logs; one condition has one code on every device (`paper-out`, `paper-near-end`,
 *   `cover-open`, `cutter-error`, `no-response`, ...).
 * - `message` / `reason` is Chinese text fit for the citizen's screen or the technician console.
 *   It comes from the device's `messages.ts`, which exports `<DEVICE>_FAULTS` (fault and warning
 *   code → message) and `<DEVICE>_TEXT` (disconnected reasons and other texts).
 * - Drivers build faults and warnings with `faultFrom` / `warningFrom` from that catalogue, so a code
 *   without a Chinese message cannot be emitted.
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

/** A fault whose message is the catalogue's text for `code`. */
export function faultFrom<C extends string>(catalogue: Readonly<Record<C, string>>, code: C): DeviceStatus {
  return fault(code, catalogue[code]);
}

/** A warning whose message is the catalogue's text for `code`. */
export function warningFrom<C extends string>(catalogue: Readonly<Record<C, string>>, code: C): DeviceWarning {
  return { code, message: catalogue[code] };
}

export function disconnected(reason: string): DeviceStatus {
  return { state: 'disconnected', reason };
}

/** Structural equality, so drivers can suppress duplicate status events. */
export function sameStatus(a: DeviceStatus, b: DeviceStatus): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
