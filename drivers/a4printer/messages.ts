/** Chinese texts for the A4 printer's status and job results, keyed by stable English codes. */
export const A4_PRINTER_MESSAGES = {
  'media-empty': 'A4 打印机缺纸',
  'media-low': 'A4 打印机纸张将用尽',
  'media-jam': 'A4 打印机卡纸',
  'door-open': 'A4 打印机舱门未关好',
  'toner-low': 'A4 打印机墨粉不足',
  'toner-empty': 'A4 打印机墨粉已用完',
  offline: 'A4 打印机离线',
  paused: 'A4 打印机已暂停',
  stopped: 'A4 打印机已停止工作',
  'not-accepting': 'A4 打印机暂不接受打印任务',
  unreachable: '无法连接 A4 打印机',
  'invalid-response': 'A4 打印机应答有误',
  'not-started': 'A4 打印机尚未启动',
  rejected: 'A4 打印机拒绝了打印任务',
  'invalid-document': '打印内容有误，无法打印',
  'media-empty-mid-job': '打印中途缺纸，证明未打印完整',
  'media-jam-mid-job': '打印中途卡纸，证明未打印完整',
  'interrupted-mid-job': '打印中途出错，证明未打印完整',
  aborted: '打印机中止了打印，证明未打印完整',
  canceled: '打印任务已取消',
  timeout: '打印超时，证明可能未打印完整',
} as const;

export type A4PrinterMessageCode = keyof typeof A4_PRINTER_MESSAGES;
