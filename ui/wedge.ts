/**
 * Keyboard-wedge scan detection for the kiosk UI.
 *
 * A wedge scanner is a USB keyboard (HID boot keyboard, USB HID Usage Tables, Keyboard/Keypad
 * page 0x07): it "types" its decode as key events into the focused element, far faster than a
 * person, and ends with Enter (usage 0x28). The serial and HID-POS scanner modes are drivers
 * (drivers/scanner/); this one is not, because the keys reach the browser, not the daemon.
 *
 * This helper watches `KeyboardEvent.key` values with their timestamps and reports a scan when
 * printable keys arrived less than `maxGapMs` apart and the burst ended in Enter; slower typing
 * is a human. It has no imports so the browser UI can use
 * it as is; pass `event.timeStamp` (or any monotonic milliseconds) as `at`.
 *
 * Limits: a wedge scanner can only type what the host keyboard layout maps (no Chinese text), so
 * e-voucher and our own signed codes should come through HID-POS or serial scanners when possible.
 */

export interface WedgeBurstOptions {
  /** Largest gap between two keys of one scan, ms. Default 40 (scanners: ~1-20 ms; people: >80). */
  maxGapMs?: number;
  /** Fewest characters for a burst to count as a scan. Default 4. */
  minLength?: number;
  /** Key that ends a scan. Default 'Enter'. */
  terminator?: string;
}

export type WedgeVerdict =
  /** A complete scan: the caller should cancel the Enter and clear what the burst typed. */
  | { readonly kind: 'scan'; readonly text: string }
  /** The key may be part of a scan still arriving. */
  | { readonly kind: 'pending' }
  /** Human typing (or a key that is not part of any scan). */
  | { readonly kind: 'human' };

export interface WedgeBurstDetector {
  push(key: string, at: number): WedgeVerdict;
  reset(): void;
}

const PENDING: WedgeVerdict = Object.freeze({ kind: 'pending' });
const HUMAN: WedgeVerdict = Object.freeze({ kind: 'human' });

/** Keys that do not print but a scanner may send between characters (Shift for capitals). */
const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'Unidentified', 'Dead']);

export function wedgeBurstDetector(options: WedgeBurstOptions = {}): WedgeBurstDetector {
  const maxGap = options.maxGapMs ?? 40;
  const minLength = options.minLength ?? 4;
  const terminator = options.terminator ?? 'Enter';
  let buffer = '';
  let last = Number.NEGATIVE_INFINITY;

  const reset = (): void => {
    buffer = '';
    last = Number.NEGATIVE_INFINITY;
  };

  const push = (key: string, at: number): WedgeVerdict => {
    if (MODIFIERS.has(key)) return buffer.length > 0 ? PENDING : HUMAN;
    const gap = at - last;
    const fast = Number.isFinite(gap) && gap >= 0 && gap <= maxGap;

    if (key === terminator) {
      const text = buffer;
      reset();
      return fast && text.length >= minLength ? { kind: 'scan', text } : HUMAN;
    }
    if (key.length !== 1 && [...key].length !== 1) {
      // Arrows, Backspace, Tab...: never part of a scan.
      reset();
      return HUMAN;
    }
    // A slow key starts a new candidate burst; what was buffered was typed by a person.
    buffer = fast ? buffer + key : key;
    last = at;
    return PENDING;
  };

  return { push, reset };
}
