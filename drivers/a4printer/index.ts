export * from './codec.ts';
export type * from './types.ts';
export { A4_PRINTER_MESSAGES, type A4PrinterMessageCode } from './messages.ts';
export { classifyReasons, snapshotToStatus } from './status-map.ts';
export { A4PrinterDriver, resolvePrinterTarget } from './driver.ts';
export { IppPrinterSimulator, A4_SIMULATOR_ACTIONS, countPdfPages } from './simulator.ts';
