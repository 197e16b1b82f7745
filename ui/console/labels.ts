import type { DeviceKind, DeviceStatus, SimulatorAction } from './api.ts';

export const DEVICE_LABELS: Readonly<Record<DeviceKind, string>> = {
  idcard: '身份证阅读器',
  scanner: '扫码器',
  printer: '打印机',
  dispenser: '出票器',
};

export const STATE_LABELS: Readonly<Record<string, string>> = {
  ready: '正常',
  busy: '忙',
  fault: '故障',
  disconnected: '未连接',
  off: '未启用',
};

export const CARD_TYPES: Readonly<Record<string, string>> = {
  resident: '居民身份证',
  'hk-mo-tw-permit': '港澳台居民居住证',
  'foreign-permanent-2017': '外国人永久居留身份证（2017版）',
  'foreign-permanent-2023': '外国人永久居留身份证（2023版）',
};

/** The simulator's sample cards (drivers/idcard/sample-cards.ts), fictional people. */
export const FIXTURE_LABELS: Readonly<Record<string, string>> = {
  elder: '老年人（1950年生，绿色通道）',
  adult: '成年人（1996年生）',
  expired: '已过期证件',
  hkPermit: '港澳台居民居住证',
  foreigner2017: '外国人永久居留证（2017版）',
  foreigner2023: '外国人永久居留证（2023版）',
};

/** Short button labels; an action not listed here shows its own description. */
const ACTION_LABELS: Readonly<Record<string, string>> = {
  'insert-card': '放入身份证',
  'remove-card': '取走身份证',
  'fail-next-read': '下次读卡失败',
  'hang-next-read': '下次读卡无应答',
  'sam-fault': '安全模块故障',
  'sam-ok': '安全模块恢复',
  'set-silent': '设置不应答',
  scan: '扫码',
  'paper-out': '缺纸',
  'paper-near-end': '纸将用尽',
  'paper-low': '纸将用尽',
  'paper-ok': '装纸',
  'paper-out-after': '打印若干行后缺纸',
  'cover-open': '开盖',
  'cover-close': '合盖',
  offline: '离线',
  online: '恢复在线',
  'cutter-error': '切刀卡住',
  'cutter-ok': '切刀恢复',
  clear: '清除已打印票据',
  'take-ticket': '取走票据',
  jam: '卡纸',
  'clear-jam': '排除卡纸',
  unplug: '拔出',
  replug: '插回',
};

export function actionLabel(action: SimulatorAction): string {
  return ACTION_LABELS[action.name] ?? (action.description.replace(/（[^）]*）$/, '').trim() || action.name);
}

/**
 * The parameter an action needs. The simulators list only a name and a description, so the few
 * actions with arguments are known here; the card fixtures are also read from the description.
 */
export type ActionParam =
  | { readonly name: string; readonly kind: 'choice'; readonly label: string; readonly options: readonly { value: string; label: string }[] }
  | { readonly name: string; readonly kind: 'text'; readonly label: string }
  | { readonly name: string; readonly kind: 'count'; readonly label: string }
  | { readonly name: string; readonly kind: 'flag'; readonly label: string };

export function actionParam(kind: DeviceKind, action: SimulatorAction): ActionParam | null {
  const key = `${kind}/${action.name}`;
  if (key === 'idcard/insert-card') {
    const listed = /fixture[：:]\s*([A-Za-z0-9、,，\s]+)/.exec(action.description)?.[1];
    const names = listed ? listed.split(/[、,，\s]+/).filter(Boolean) : Object.keys(FIXTURE_LABELS);
    return { name: 'fixture', kind: 'choice', label: '样例证件', options: names.map((n) => ({ value: n, label: FIXTURE_LABELS[n] ?? n })) };
  }
  if (key === 'idcard/set-silent') return { name: 'silent', kind: 'flag', label: '不应答' };
  if (key === 'scanner/scan') return { name: 'text', kind: 'text', label: '条码内容' };
  if (key === 'printer/paper-out-after') return { name: 'lines', kind: 'count', label: '行数' };
  return null;
}

/** 状态 text with the device's own message: the fault, why it is disconnected, or its warnings. */
export function statusDetail(status: DeviceStatus): string {
  const parts: string[] = [];
  if (status.message) parts.push(status.message);
  if (status.reason) parts.push(status.reason);
  if (status.state === 'busy' && status.task) parts.push(status.task);
  for (const w of status.warnings ?? []) parts.push(w.message);
  return parts.join('；');
}
