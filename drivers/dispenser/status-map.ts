import { fault, ready, type DeviceStatus } from '../common/status.ts';
import { DispenserText } from './messages.ts';
import type { FullStatus } from './types.ts';

/**
 * Map a decoded full status to the shared DeviceStatus (hardware-protocols.md §6.3 item 5).
 * The most serious condition wins: jam, paper out, cover open, cutter, other hardware faults.
 * Paper near end keeps the device ready with a warning. A ticket waiting at the mouth is not a
 * status (the driver reports it as events). b5 `02` (RS-232 error) is ignored: it flags a line
 * error on an earlier byte and the next poll shows whether the link still works [INFERENCE].
 */
export function statusFromFullStatus(s: FullStatus): DeviceStatus {
  if (s.jam) return fault('jam', DispenserText.jam);
  if (s.paperOut) return fault('paper-out', DispenserText.paperOut);
  if (s.coverOpen) return fault('cover-open', DispenserText.coverOpen);
  if (s.cutterError) return fault('cutter', DispenserText.cutter);
  if (s.headTemperature || s.supplyVoltage || s.memoryError) return fault('hardware', DispenserText.hardware);
  return ready(s.paperLow ? [{ code: 'paper-low', message: DispenserText.paperLow }] : []);
}
