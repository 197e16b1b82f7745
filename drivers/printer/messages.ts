/**
 * Chinese texts for the receipt printer, keyed by stable English codes (convention in
 * ../common/status.ts): device faults and warnings, and the codes a print job can fail with.
 */
export const PRINTER_FAULTS = Object.freeze({
  'paper-out': '打印机缺纸',
  'paper-near-end': '纸将用尽',
  'cover-open': '打印机盖未关好',
  'cutter-error': '切刀故障',
  offline: '打印机离线',
  'unrecoverable-error': '打印机故障，请联系工作人员',
  'auto-recoverable-error': '打印头过热，请稍候',
  'no-response': '打印机无响应',
  disconnected: '打印机未连接',
  'paper-out-mid-job': '打印中途缺纸，票据不完整',
  'interrupted-mid-job': '打印中途出错，票据可能不完整',
  'write-failed': '打印数据发送失败',
  'invalid-document': '打印内容有误，无法打印',
  stopped: '打印机已停止工作',
} as const);

export type PrinterMessageCode = keyof typeof PRINTER_FAULTS;

export const PRINTER_TEXT = Object.freeze({
  disconnected: PRINTER_FAULTS.disconnected,
});
