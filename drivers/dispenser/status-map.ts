import { faultFrom, ready, warningFrom, type DeviceStatus } from '../common/status.ts';
import { DISPENSER_FAULTS } from './messages.ts';
import type { FullStatus } from './types.ts';

/**
 * Map a decoded full status to the shared DeviceStatus (README.md §6.3 item 5 in this folder).
 * The most serious condition wins: jam, paper out, cover open, cutter, other hardware faults.
 * Paper near end keeps the device ready with a warning. A ticket waiting at the mouth is not a
 * status (the driver reports it as events). b5 `02` (RS-232 error) is ignored: it flags a line
 * error on an earlier byte and the next poll shows whether the link still works [INFERENCE].
 */
export function statusFromFullStatus(s: FullStatus): DeviceStatus {
  if (s.jam) return faultFrom(DISPENSER_FAULTS, 'jam');
  if (s.paperOut) return faultFrom(DISPENSER_FAULTS, 'paper-out');
  if (s.coverOpen) return faultFrom(DISPENSER_FAULTS, 'cover-open');
  if (s.cutterError) return faultFrom(DISPENSER_FAULTS, 'cutter-error');
  if (s.headTemperature || s.supplyVoltage || s.memoryError) return faultFrom(DISPENSER_FAULTS, 'hardware');
  return ready(s.paperLow ? [warningFrom(DISPENSER_FAULTS, 'paper-near-end')] : []);
}
