export { NhsaAdapter } from './nhsa-adapter.ts';
export type { NhsaAdapterOptions } from './nhsa-adapter.ts';
export { RestAdapter } from './rest-adapter.ts';
export type { RestAdapterOptions } from './rest-adapter.ts';
export { FAULT_KINDS, FAULT_TARGETS, SIMULATOR_PATHS, startInsuranceSimulator } from './simulator.ts';
export type { FaultSpec, FaultTarget, InsuranceFaultKind, InsuranceSimulator, InsuranceSimulatorOptions, InsuranceSimulatorState } from './simulator.ts';
export { EXPIRED_QR, samplePeople, syntheticIdNumber } from './sample-people.ts';
export type { SimulatedPerson } from './sample-people.ts';
export {
  build1101Input,
  build1901Input,
  build9001Input,
  buildDecodeRequest,
  buildRequest,
  formatDay,
  formatInfTime,
  formatMsgid,
  INF_TIME_PATTERN,
  isNotFoundMessage,
  MSGID_PATTERN,
  normaliseDay,
  parse1101,
  parse1901,
  parseDecodeResponse,
  parseResponse,
  parseSignIn,
  tifHeaders,
  tifSignature,
} from './codec.ts';
export type { CodecError, CodecResult, EnvelopeContext, Parsed1101, ParsedDecode, SignInFields, StatusCodes } from './codec.ts';
export { builtInDictionary, CERT_TYPE_NAMES, DEFAULT_INSU_STATUS_CODES, DICTIONARY_TYPES, INSURANCE_STATUS_NAMES, INSUTYPE_NAMES } from './codes.ts';
export { INSURANCE_MESSAGES, SIMULATOR_MESSAGES } from './messages.ts';
export * as restContract from './rest-contract.ts';
export type * from './types.ts';
