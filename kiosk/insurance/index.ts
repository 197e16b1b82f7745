export { createInsuranceBackend } from './factory.ts';
export type { CreateInsuranceOptions } from './factory.ts';
export { InsuranceService } from './service.ts';
export type { Connected, InsuranceServiceOptions } from './service.ts';
export { CircuitBreaker } from './breaker.ts';
export type { BreakerOptions, BreakerState } from './breaker.ts';
export type {
  DictionaryEntry,
  EVoucherIdentity,
  InsuranceBackend,
  InsuranceHealth,
  InsuranceLookup,
  InsuranceRecord,
  InsuranceRecordView,
  InsuranceStatus,
  InsuredPerson,
  PaymentMonth,
  PaymentStatus,
  PersonQuery,
} from './types.ts';
