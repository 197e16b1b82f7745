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
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';

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
let lastDiag: string | undefined;
if (file) {
  process.on('SIGUSR2', () => {
    try {
      const control = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: number; gc?: number; diag?: string; heapSnapshot?: boolean };
      if (typeof control.offsetMs === 'number' && Number.isFinite(control.offsetMs)) offset = control.offsetMs;
      const gc = (globalThis as { gc?: () => void }).gc;
      if (control.gc !== undefined && control.gc !== lastGc && gc) {
        lastGc = control.gc;
        gc();
      }
      if (control.diag && control.diag !== lastDiag) {
        lastDiag = control.diag;
        writeDiagnostics(control.diag, control.heapSnapshot === true);
      }
    } catch {
      // No file: keep the current offset.
    }
  });
}

/**
 * `diag`: where the memory breakdown goes (JSON, written atomically), so the report can say which
 * part of the resident memory changed: V8 heap per space, external and array buffers, and which
 * CommonJS modules are loaded (the lazy-required packages, drivers/common/lazy-require.ts, show
 * up here the moment they load). With `heapSnapshot`, also a .heapsnapshot next to it.
 */
function writeDiagnostics(path: string, heapSnapshot: boolean): void {
  const cache = createRequire(import.meta.url).cache;
  const packages = new Set<string>();
  for (const key of Object.keys(cache)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key);
    if (m) packages.add(m[1]!);
  }
  const body = {
    memoryUsage: process.memoryUsage(),
    heap: getHeapStatistics(),
    spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size])),
    cjsModules: Object.keys(cache).length,
    packages: [...packages].sort(),
    // Last: writing a snapshot allocates (and keeps resident) tens of MB itself.
    snapshot: heapSnapshot ? writeHeapSnapshot(path.replace(/\.json$/, '') + '.heapsnapshot') : null,
  };
  writeFileSync(`${path}.tmp`, JSON.stringify(body));
  renameSync(`${path}.tmp`, path);
}
