/** Chinese status texts for the citizen's screen and the technician console. Codes stay English. */
export const DispenserText = {
  notStarted: '票据出口未启动',
  disconnected: '票据出口未连接',
  noReply: '票据出口无应答',
  jam: '票据卡纸，请联系工作人员处理',
  paperOut: '票纸已用完，请联系工作人员',
  paperLow: '票纸将用尽',
  coverOpen: '打印机盖未关闭',
  cutter: '切刀故障，请联系工作人员',
  hardware: '票据打印机硬件故障',
  busy: '正在出票，请稍候',
  noTicket: '票据未送达出口',
  retractFailed: '票据回收失败',
  stopped: '票据出口已停止',
} as const;
