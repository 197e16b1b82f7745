import type { Identity, KioskInfo, KioskStatus, SelfServiceItem, Ticket, TicketResult } from './types.ts';

export type Screen = 'home' | 'take' | 'checkin' | 'ticket' | 'guides' | 'guide' | 'lookup' | 'evaluate';

/** What screens may use from the shell (<kiosk-app> implements it). */
export interface KioskContext {
  readonly info: KioskInfo | null;
  readonly status: KioskStatus | null;
  readonly identity: Identity | null;
  readonly elder: boolean;
  go(screen: Screen, params?: { guideId?: string; ticket?: Ticket | null }): void;
  back(): void;
  showTicket(result: TicketResult): void;
  toast(message: string, kind?: 'ok' | 'warn' | 'error'): void;
  /** Sets the main prompt read aloud for the current screen. */
  setPrompt(text: string): void;
  refreshSession(): Promise<void>;
  /** Issues a ticket for a service (used by 取号 and by the guide page). */
  takeTicket(serviceCode: string, priorityReason?: string | null): Promise<void>;
  /** True while the idle timeout is taking the kiosk home (an open evaluation counts as 'timeout', not 'skipped'). */
  readonly idleTimedOut: boolean;
  /** A self-service task is finished (ticket 完成): home, with the short self-service evaluation offered once per visit. */
  finishSelfService(item: SelfServiceItem): void;
  /** Offers the short self-service evaluation below the current screen (once per visit) without leaving it. */
  offerSelfEvaluation(item: SelfServiceItem): void;
  /** Closes the self-service evaluation panel (after 跳过 or the thank-you). */
  closeSelfEvaluation(): void;
}

export const PRIORITY_LABELS: Readonly<Record<string, string>> = {
  elderly: '老年人',
  disabled: '残疾人',
  pregnant: '孕妇',
  talent: '高层次人才',
};

export const TICKET_STATUS_LABELS: Readonly<Record<string, string>> = {
  waiting: '等候中',
  called: '正在叫号，请到窗口办理',
  serving: '正在办理',
  done: '已办结',
  completed: '已办结',
  served: '已办结',
  missed: '已过号',
  'no-show': '已过号',
  noshow: '已过号',
  cancelled: '已取消',
  canceled: '已取消',
  expired: '已失效',
};
