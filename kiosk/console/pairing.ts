import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.ts';

/**
 * Pairing a hall device with a short code instead of typing its token. A hall-admin asks the
 * console for a code for one device (a counter's workstation or evaluator, a call display or
 * window display, another kiosk); the device's own page takes the 6 digits (输入配对码) and gets
 * that device's scoped credential back once.
 *
 * - Codes: 6 decimal digits from crypto.randomInt, unique among the open ones, valid for
 *   CODE_TTL_MS (5 min), used once (a right code is consumed, whatever happens next).
 * - Guessing: a client address gets ADDRESS_FREE_FAILURES wrong codes, then it is locked for
 *   1 min, doubling to 15 min; and after TOTAL_FAILURES wrong codes from anywhere every open code is
 *   withdrawn (the admin makes a new one). With at most MAX_OPEN codes open, a guesser's chance
 *   before the withdrawal is at most TOTAL_FAILURES × MAX_OPEN / 10^6 = 1 in 10 000.
 * - Kept in memory only (a restart withdraws every code); neither the codes nor the credentials
 *   are logged or stored — the audit trail records who issued a code for what, and which pairing
 *   was used, by its id.
 */
export const CODE_TTL_MS = 5 * 60_000;
export const MAX_OPEN = 5;
export const ADDRESS_FREE_FAILURES = 5;
export const TOTAL_FAILURES = 20;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 15 * 60_000;

/** What a device pairs as. */
export const PAIRING_DEVICES = ['counter', 'evaluator', 'window', 'display', 'kiosk'] as const;
export type PairingDevice = (typeof PAIRING_DEVICES)[number];

export const PAIRING_DEVICE_LABELS: Record<PairingDevice, string> = {
  counter: '窗口工作台',
  evaluator: '窗口评价器',
  window: '窗口显示屏',
  display: '叫号屏',
  kiosk: '其他自助终端',
};

/** Which credential a device of each kind receives. */
export function credentialKindOf(device: PairingDevice): 'counter' | 'hall-server' | 'terminal' {
  return device === 'counter' || device === 'evaluator' ? 'counter' : device === 'kiosk' ? 'terminal' : 'hall-server';
}

export interface PairingTarget {
  readonly device: PairingDevice;
  /** The counter, for a workstation, evaluator or window display. */
  readonly counterNo: number | null;
  /** Fingerprint of the credential handed over (kiosk/console/hall-settings.ts `fingerprint`). */
  readonly credential: string;
}

export interface OpenPairing extends PairingTarget {
  readonly id: number;
  readonly issuedBy: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type ClaimResult =
  | { readonly ok: true; readonly pairing: OpenPairing }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAfterMs: number }
  | { readonly ok: false; readonly reason: 'wrong'; readonly withdrawn: number };

interface Failures {
  count: number;
  lockedUntil: number;
}

export class PairingCodes {
  readonly #clock: Clock;
  readonly #open = new Map<string, OpenPairing>();
  readonly #byAddress = new Map<string, Failures>();
  #failures = 0;
  #nextId = 1;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  #sweep(now: number): void {
    for (const [code, p] of this.#open) if (p.expiresAt <= now) this.#open.delete(code);
    if (this.#byAddress.size > 10_000) for (const [a, f] of this.#byAddress) if (f.lockedUntil < now) this.#byAddress.delete(a);
  }

  /** A new code for `target`; the oldest open code is withdrawn when MAX_OPEN are open. */
  issue(target: PairingTarget, issuedBy: string): { code: string; pairing: OpenPairing } {
    const now = this.#clock();
    this.#sweep(now);
    while (this.#open.size >= MAX_OPEN) this.#open.delete(this.#open.keys().next().value!);
    let code: string;
    do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (this.#open.has(code));
    const pairing: OpenPairing = { ...target, id: this.#nextId++, issuedBy, issuedAt: now, expiresAt: now + CODE_TTL_MS };
    this.#open.set(code, pairing);
    return { code, pairing };
  }

  /** The open codes' pairings (not the codes), oldest first. */
  list(): OpenPairing[] {
    this.#sweep(this.#clock());
    return [...this.#open.values()];
  }

  /** Withdraws one open code by its pairing id; false when none is open. */
  cancel(id: number): boolean {
    for (const [code, p] of this.#open) if (p.id === id) return this.#open.delete(code);
    return false;
  }

  /**
   * A device presents `code` for `device` from `address`. A right code for another kind of device
   * counts as wrong (and stays open: the right device may still use it).
   */
  claim(code: string, device: PairingDevice, address: string): ClaimResult {
    const now = this.#clock();
    this.#sweep(now);
    const f = this.#byAddress.get(address);
    if (f && f.lockedUntil > now) return { ok: false, reason: 'locked', retryAfterMs: f.lockedUntil - now };
    const pairing = this.#open.get(code);
    if (pairing && pairing.device === device) {
      this.#open.delete(code);
      this.#byAddress.delete(address);
      return { ok: true, pairing };
    }
    const failures = f ?? { count: 0, lockedUntil: 0 };
    failures.count += 1;
    if (failures.count >= ADDRESS_FREE_FAILURES) {
      failures.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(10, failures.count - ADDRESS_FREE_FAILURES));
    }
    this.#byAddress.set(address, failures);
    this.#failures += 1;
    let withdrawn = 0;
    if (this.#failures >= TOTAL_FAILURES) {
      withdrawn = this.#open.size;
      this.#open.clear();
      this.#failures = 0;
    }
    return { ok: false, reason: 'wrong', withdrawn };
  }
}
