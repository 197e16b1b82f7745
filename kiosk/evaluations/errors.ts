import { KioskError, type ErrorCode } from '../errors.ts';

/** The 好差评 error codes (listed with the others in kiosk/errors.ts). */
export type EvaluationErrorCode = Extract<ErrorCode, `EVALUATION_${string}` | 'STAFF_UNKNOWN' | `CALENDAR_${string}`>;

export function evaluationError(code: EvaluationErrorCode, details: Record<string, unknown> = {}, message?: string): KioskError {
  return new KioskError(code, details, message);
}
