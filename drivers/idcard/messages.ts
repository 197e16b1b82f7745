/**
 * Chinese texts for the ID-card reader: the SW3 status table (README.md §1.8 in this folder),
 * the device fault catalogue and the other status texts (convention in ../common/status.ts).
 */
import type { Sw3Code, Sw3Info } from './types.ts';

type Row = readonly [sw3: number, code: Sw3Code, meaning: string, message: string];

const REREAD = '读卡失败，请重新放置身份证';

// meaning: as documented in §1.8 (HslCommunication string table); message: what the UI shows.
const ROWS: readonly Row[] = [
  [0x90, 'ok', '操作成功', '操作成功'],
  [0x91, 'no-content', '证/卡中此项无内容', '证件中无此项内容'],
  [0x9f, 'card-found', '寻找证/卡成功', '已检测到证件'],
  [0x10, 'checksum-error', '接收数据校验和错', '读卡器通信校验错误'],
  [0x11, 'length-error', '接收数据长度错', '读卡器通信长度错误'],
  [0x21, 'command-error', '接收数据命令错', '读卡器不支持该命令'],
  [0x23, 'unauthorized-operation', '越权操作', '读卡器拒绝操作（越权）'],
  [0x24, 'unrecognized-error', '无法识别的错误', '读卡器发生未知错误'],
  [0x31, 'card-auth-sam-failed', '证/卡认证SAM失败', REREAD],
  [0x32, 'sam-auth-card-failed', 'SAM认证证/卡失败', REREAD],
  [0x33, 'info-verify-failed', '信息验证错误', REREAD],
  [0x40, 'unknown-card-type', '无法识别的卡类型', '无法识别的证件类型，请放置有效身份证件'],
  [0x41, 'read-failed', '读证/卡操作失败', '读卡失败，请重新放置'],
  [0x47, 'random-number-failed', '取随机数失败', REREAD],
  [0x60, 'sam-self-test-failed', 'SAM自检失败', '身份证读卡器自检失败，请联系工作人员'],
  [0x66, 'sam-unauthorized', 'SAM未经授权', '身份证读卡器未授权，请联系工作人员'],
  [0x80, 'find-failed', '寻找证/卡失败', '请放置身份证'],
  [0x81, 'select-failed', '选取证/卡失败', '选卡失败，请重新放置身份证'],
];

const SUCCESS: ReadonlySet<Sw3Code> = new Set(['ok', 'no-content', 'card-found']);

export const SW3_TABLE: ReadonlyMap<number, Sw3Info> = new Map(
  ROWS.map(([sw3, code, meaning, message]) => [sw3, Object.freeze({ sw3, code, meaning, message, success: SUCCESS.has(code) })]),
);

/** Look up an SW3 byte; `undefined` for a value §1.8 does not list. */
export function sw3Info(sw3: number): Sw3Info | undefined {
  return SW3_TABLE.get(sw3);
}

export function unknownSw3Message(sw3: number): string {
  return `读卡器返回未知状态码 0x${sw3.toString(16).padStart(2, '0').toUpperCase()}`;
}

const SAM_FAULT = '身份证读卡器安全模块故障，请联系工作人员';

/** Device faults (DeviceStatus code → message): the reader itself, not the card, is unusable. */
export const IDCARD_FAULTS = Object.freeze({
  'sam-self-test-failed': SAM_FAULT,
  'sam-unauthorized': SAM_FAULT,
  'unauthorized-operation': SAM_FAULT,
  'no-response': '身份证读卡器无响应',
} as const);

export type IdCardFaultCode = keyof typeof IDCARD_FAULTS;

/** Other status texts (DeviceStatus reason / task) and link-failure messages. */
export const IDCARD_TEXT = Object.freeze({
  portClosed: '身份证读卡器未连接',
  readingTask: '正在读取身份证',
  timeout: '读卡超时，请重新放置身份证',
  stopped: '身份证读卡器已停止',
  badFrame: '读卡器应答数据损坏，请重新放置身份证',
});
