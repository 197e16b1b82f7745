/**
 * 好差评 vocabulary. Levels are stored by their Chinese name; numeric codes exist only at export,
 * through a per-target mapping (GB/T 39046 Table A.8 vs the deployed provincial interfaces).
 */
export const LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'] as const;
export type Level = (typeof LEVELS)[number];
/** 差评 = 不满意 or 非常不满意 (基本满意 is not a 差评). */
export const BAD_LEVELS: ReadonlySet<Level> = new Set(['不满意', '非常不满意']);
export const isBad = (level: Level): boolean => BAD_LEVELS.has(level);

export const LEVEL_CODE_MAPPINGS: Readonly<Record<'gbt39046' | 'provincial', Readonly<Record<Level, string>>>> = {
  gbt39046: { 非常满意: '1', 满意: '2', 基本满意: '3', 不满意: '4', 非常不满意: '5' },
  provincial: { 非常满意: '5', 满意: '4', 基本满意: '3', 不满意: '2', 非常不满意: '1' },
};

export const CHANNELS = ['counter-evaluator', 'kiosk', 'ticket-qr'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What was evaluated: a counter's service for a ticket, or the kiosk's own self-service. */
export type Subject = 'counter' | 'kiosk';

export const SCREEN_KINDS = ['shown', 'submitted', 'timeout', 'skipped'] as const;
export type ScreenKind = (typeof SCREEN_KINDS)[number];

/**
 * 差评 case life: 待回访 → 核实中 (after 回访) → 整改中 → 待反馈 → 已反馈 → 已办结, with 申诉中 and
 * 误评 (appeal upheld, final). A verification that finds nothing to fix (解释说明) goes straight to
 * 待反馈.
 */
export const CASE_STATUSES = ['pending-contact', 'verifying', 'rectifying', 'feedback-pending', 'fed-back', 'closed', 'appealing', 'misjudged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_NAMES: Readonly<Record<CaseStatus, string>> = {
  'pending-contact': '待回访',
  verifying: '核实中',
  rectifying: '整改中',
  'feedback-pending': '待反馈',
  'fed-back': '已反馈',
  closed: '已办结',
  appealing: '申诉中',
  misjudged: '误评',
};
export const FINAL_CASE_STATUSES: ReadonlySet<CaseStatus> = new Set(['closed', 'misjudged']);

export interface SubmitInput {
  readonly level: Level;
  readonly reasons?: readonly string[] | undefined;
  readonly text?: string | null | undefined;
  /** Mobile number for 回访; stored encrypted, never returned. */
  readonly phone?: string | null | undefined;
  /** Evaluate anonymously even if the ticket carries an identity. */
  readonly anonymous?: boolean | undefined;
  /** Evaluator identity read at the kiosk (HMAC, as on tickets). */
  readonly identityHash?: string | null | undefined;
  /** Client idempotency key: a retried submission returns the stored evaluation. */
  readonly requestId?: string | null | undefined;
}

export interface TicketSubmit extends SubmitInput {
  readonly ticketId: number;
  readonly channel: Channel;
  readonly device: string;
  /** The counter evaluator may only evaluate tickets completed at its counter. */
  readonly counterNo?: number | undefined;
}

export interface KioskSubmit extends SubmitInput {
  readonly device: string;
  readonly itemCode?: string | null | undefined;
  readonly itemName?: string | null | undefined;
}

/** An evaluation as any authorised reader may see it: no identity, no phone. */
export interface EvaluationView {
  readonly id: number;
  readonly uid: string;
  readonly subject: Subject;
  readonly ticketId: number | null;
  readonly displayNo: string | null;
  readonly seq: number;
  readonly parentId: number | null;
  readonly day: string;
  readonly channel: Channel;
  readonly level: Level;
  readonly bad: boolean;
  readonly reasons: readonly string[];
  readonly reasonSetVersion: string;
  readonly text: string | null;
  readonly itemCode: string | null;
  readonly itemName: string | null;
  readonly counterNo: number | null;
  readonly staffId: string | null;
  readonly staffName: string | null;
  readonly anonymous: boolean;
  readonly realName: boolean;
  readonly evaluatedAt: number;
}

export interface CaseView {
  readonly id: number;
  readonly evaluationId: number;
  readonly status: CaseStatus;
  readonly statusName: string;
  readonly realName: boolean;
  readonly openedAt: number;
  readonly openedDay: string;
  readonly contactDue: string | null;
  readonly rectifyDue: string | null;
  readonly deadlineProblem: string | null;
  readonly contactedAt: number | null;
  readonly verifiedAt: number | null;
  readonly substantiated: boolean | null;
  readonly rectifiedAt: number | null;
  readonly feedbackAt: number | null;
  readonly closedAt: number | null;
  readonly overdue: readonly ('contact' | 'rectify')[];
}

export interface SubmitResult {
  readonly evaluation: EvaluationView;
  readonly case: CaseView | null;
  /** True when a retried request returned the stored evaluation. */
  readonly existing: boolean;
}
