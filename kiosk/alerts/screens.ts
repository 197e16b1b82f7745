/**
 * Where a kiosk asked for help (呼叫工作人员): a code from this fixed list, never text the page
 * sends, so an assistance request logs and stores a code only (issue 10 item 14). The codes are
 * the citizen UI's screens (ui/router.ts) and the two print failures it reports by itself.
 */
export const ASSISTANCE_SCREENS = {
  home: '首页',
  take: '取号',
  checkin: '预约签到',
  ticket: '号票',
  guides: '办事指南',
  guide: '办事指南',
  lookup: '查询',
  evaluate: '评价',
  'self-evaluate': '评价',
  certificate: '参保证明',
  'insurance-info': '参保信息查询',
  'ticket-print-failed': '号票打印失败',
  'certificate-print-failed': '证明打印失败',
} as const satisfies Record<string, string>;

export type AssistanceScreen = keyof typeof ASSISTANCE_SCREENS;
export const ASSISTANCE_SCREEN_CODES = Object.keys(ASSISTANCE_SCREENS) as AssistanceScreen[];

/** The Chinese name of a screen code (older events may carry other strings: shown as 未知页面). */
export function assistanceScreenName(code: string): string {
  return Object.hasOwn(ASSISTANCE_SCREENS, code) ? ASSISTANCE_SCREENS[code as AssistanceScreen] : '未知页面';
}
