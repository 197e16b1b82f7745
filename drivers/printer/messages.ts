/** Chinese texts for printer status and print results, keyed by stable English codes. */
export const PRINTER_MESSAGES = {
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
} as const;

export type PrinterMessageCode = keyof typeof PRINTER_MESSAGES;
