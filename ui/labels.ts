import type { PriorityReason, TicketStatus } from './types.ts';

/**
 * Chinese names of the daemon's enums. Each is a `Record` over the type derived from the server's
 * schema, so a reason or status added there fails to compile here until it has a name.
 */
export const PRIORITY_LABELS: Readonly<Record<PriorityReason, string>> = {
  elderly: '老年人',
  disabled: '残疾人',
  pregnant: '孕妇',
  talent: '高层次人才',
};

/** What 排队查询 says about a ticket's status. */
export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  waiting: '等候中',
  called: '正在叫号，请到窗口办理',
  recalled: '正在叫号，请到窗口办理',
  serving: '正在办理',
  done: '已办结',
  'no-show': '已过号',
  suspended: '暂停办理，请在等候区留意叫号',
  cancelled: '已取消',
};

export function isPriorityReason(value: string): value is PriorityReason {
  return Object.hasOwn(PRIORITY_LABELS, value);
}
