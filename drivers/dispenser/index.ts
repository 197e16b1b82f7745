export * from './types.ts';
export {
  buildContinuousMode,
  buildCustomPresent,
  buildEject,
  buildEjectorStatusRequest,
  buildFeedAndCut,
  buildFullStatusRequest,
  buildHoldAtBezel,
  buildPresent,
  buildPresentWithTimeout,
  buildRealtimeStatusRequest,
  buildRetract,
  decodeEjectorStatus,
  decodeFullStatus,
  decodeRealtimeStatus,
  deriveFlags,
  FullStatusFramer,
  type RealtimeStatus,
} from './codec.ts';
export { DispenserDriver, DEFAULT_PRESENT_TIMEOUT_MS, MAX_PRESENT_TIMEOUT_MS } from './driver.ts';
export { DispenserSimulator } from './simulator.ts';
export { DISPENSER_FAULTS, DISPENSER_TEXT, type DispenserFaultCode } from './messages.ts';
export { statusFromFullStatus } from './status-map.ts';
