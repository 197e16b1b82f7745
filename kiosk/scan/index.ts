export { classifyScan } from './classify.ts';
export type { ClassifyOptions, ScanClass } from './classify.ts';
export { OpaquePayload } from './opaque-payload.ts';
export { CODE_VERSION, VERIFY_MESSAGES, codeUrl, extractCode, looksLikeOwnCode, signAppointmentCode, signTicketCode, verifyCode } from './ticket-code.ts';
export type {
  AppointmentCodeFields,
  SigningKey,
  SigningKeys,
  TicketCodeFields,
  VerifiedCode,
  VerifyFailureReason,
  VerifyOptions,
  VerifyResult,
} from './ticket-code.ts';
