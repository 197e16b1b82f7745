/**
 * Preloaded into the daemon (`node --import tsx --import ./test/hall-day/clock-shift.ts kiosk/main.ts`)
 * to give it an offset wall clock without touching product code. The daemon reads time only
 * through `Date.now()` (kiosk/clock.ts `systemClock`), so shifting `Date` shifts the whole daemon.
 *
 * - `HALL_DAY_CLOCK_OFFSET_MS`: initial offset added to the real time (ms).
 * - `HALL_DAY_CLOCK_FILE`: on SIGUSR2 the daemon reads `{"offsetMs": n, "gc": k}` from this file:
 *   a new offset (the "clock stepped forward an hour" fault, the jump to the next morning for the
 *   archive), and, when `gc` changed and the daemon runs with --expose-gc, a full garbage
 *   collection (so memory is compared without garbage waiting to be collected).
 *
 * Timers (setTimeout/setInterval) run on the monotonic clock and are unaffected, as on a real
 * machine whose wall clock is stepped by NTP or by hand.
 *
 * Proposed for the product instead (a one-liner in kiosk/clock.ts):
 *   export const systemClock: Clock = () => Date.now() + Number(process.env.KIOSK_CLOCK_OFFSET_MS ?? 0);
 */
import { readFileSync } from 'node:fs';

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let offset = Number(process.env.HALL_DAY_CLOCK_OFFSET_MS ?? 0) || 0;

class ShiftedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(realNow() + offset);
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return realNow() + offset;
  }
}

globalThis.Date = ShiftedDate as DateConstructor;

const file = process.env.HALL_DAY_CLOCK_FILE;
let lastGc: number | undefined;
if (file) {
  process.on('SIGUSR2', () => {
    try {
      const control = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: number; gc?: number };
      if (typeof control.offsetMs === 'number' && Number.isFinite(control.offsetMs)) offset = control.offsetMs;
      const gc = (globalThis as { gc?: () => void }).gc;
      if (control.gc !== undefined && control.gc !== lastGc && gc) {
        lastGc = control.gc;
        gc();
      }
    } catch {
      // No file: keep the current offset.
    }
  });
}
