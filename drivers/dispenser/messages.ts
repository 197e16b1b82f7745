/**
 * Chinese texts for the ticket presenter ("dispenser"): the fault catalogue (status faults,
 * warnings and present() failure codes) and the other status texts (convention in
 * ../common/status.ts). Codes stay English and match the printer's for the same condition.
 */
export const DISPENSER_FAULTS = Object.freeze({
  jam: '票据卡纸，请联系工作人员处理',
  'paper-out': '票纸已用完，请联系工作人员',
  'paper-near-end': '票纸将用尽',
  'cover-open': '打印机盖未关闭',
  'cutter-error': '切刀故障，请联系工作人员',
  hardware: '票据打印机硬件故障',
  'no-response': '票据出口无应答',
  // present() failures
  busy: '正在出票，请稍候',
  'no-ticket': '票据未送达出口',
  'retract-failed': '票据回收失败',
  disconnected: '票据出口未连接',
  stopped: '票据出口已停止',
} as const);

export type DispenserFaultCode = keyof typeof DISPENSER_FAULTS;

export const DISPENSER_TEXT = Object.freeze({
  notStarted: '票据出口未启动',
  disconnected: '票据出口未连接',
  stopped: '票据出口已停止',
});
