export { ScannerDriver } from './driver.ts';
export { ScannerSimulator } from './simulator.ts';
export type { ScannerSimulatorOptions, SimulatedScan } from './simulator.ts';
export { DEFAULT_MAX_PAYLOAD_BYTES, HidPosAssembler, LineFramer, decodeScanText, decodeSerialLine, parseHidPosReport } from './codec.ts';
export type { AssembleResult, DecodedScan, FramerOutput, HidPosAssemblerOptions, HidPosReport, HidReportParseOptions, HidReportResult } from './codec.ts';
export { isAimId, symbologyFromAim, symbologyFromHoneywellCodeId } from './symbology.ts';
export { SCANNER_FAULTS, SCANNER_TEXT, type ScannerFaultCode } from './messages.ts';
export { HidPosTransport, type HidPosTransportOptions } from './hid-transport.ts';
export { HID_POS_REPORT_ID, HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER, SCANNER_VENDOR_IDS } from './types.ts';
export type {
  HidDeviceHandle,
  HidOpener,
  HidPosScannerOptions,
  HidTarget,
  ScanError,
  ScanErrorCode,
  ScanEvent,
  ScannerEvents,
  ScannerOptions,
  SerialScannerOptions,
  SerialTerminator,
  SymbologyName,
} from './types.ts';
