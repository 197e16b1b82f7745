/**
 * printer-state + printer-state-reasons (RFC 8011 §5.4.11–12) → the device status shown on the
 * banner and in staff alerts. A reason keyword may carry a suffix: "-report" (information only,
 * ignored), "-warning" (the printer keeps working: a warning), "-error" or none (it stops). The
 * most serious condition wins.
 */
import type { DeviceStatus, DeviceWarning } from '../common/status.ts';
import { fault, ready } from '../common/status.ts';
import { A4_PRINTER_MESSAGES, type A4PrinterMessageCode } from './messages.ts';
import type { PrinterSnapshot } from './types.ts';

const REASON_CODES: Readonly<Record<string, A4PrinterMessageCode>> = {
  offline: 'offline',
  shutdown: 'offline',
  'door-open': 'door-open',
  'cover-open': 'door-open',
  'interlock-open': 'door-open',
  'media-jam': 'media-jam',
  'media-empty': 'media-empty',
  'media-needed': 'media-empty',
  'toner-empty': 'toner-empty',
  'marker-supply-empty': 'toner-empty',
  paused: 'paused',
  'moving-to-paused': 'paused',
  'toner-low': 'toner-low',
  'marker-supply-low': 'toner-low',
  'media-low': 'media-low',
};

/** Conditions that are only ever warnings, whatever their suffix. */
const ALWAYS_WARNING = new Set<A4PrinterMessageCode>(['toner-low', 'media-low']);
/** Most serious first. */
const FAULT_ORDER: readonly A4PrinterMessageCode[] = ['offline', 'door-open', 'media-jam', 'media-empty', 'toner-empty', 'paused'];

export interface ReasonSet {
  readonly faults: readonly A4PrinterMessageCode[];
  readonly warnings: readonly A4PrinterMessageCode[];
}

export function classifyReasons(reasons: readonly string[]): ReasonSet {
  const faults = new Set<A4PrinterMessageCode>();
  const warnings = new Set<A4PrinterMessageCode>();
  for (const raw of reasons) {
    const m = /^(.*?)(-report|-warning|-error)?$/.exec(raw.trim().toLowerCase());
    const base = m?.[1] ?? '';
    const suffix = m?.[2] ?? '';
    if (suffix === '-report' && base !== 'offline') continue; // CUPS reports an unreachable device as offline-report
    const code = REASON_CODES[base];
    if (!code) continue;
    if (ALWAYS_WARNING.has(code) || suffix === '-warning') warnings.add(code);
    else faults.add(code);
  }
  return { faults: FAULT_ORDER.filter((c) => faults.has(c)), warnings: [...warnings] };
}

export function snapshotToStatus(s: PrinterSnapshot): DeviceStatus {
  const { faults, warnings } = classifyReasons(s.reasons);
  const first = faults[0];
  if (first) return fault(first, A4_PRINTER_MESSAGES[first]);
  if (s.state === 'stopped') return fault('stopped', A4_PRINTER_MESSAGES.stopped);
  if (!s.acceptingJobs) return fault('not-accepting', A4_PRINTER_MESSAGES['not-accepting']);
  const w: DeviceWarning[] = warnings.map((code) => ({ code, message: A4_PRINTER_MESSAGES[code] }));
  return ready(w);
}
