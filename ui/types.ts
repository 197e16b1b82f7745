/**
 * Shapes of the daemon's kiosk API (`/api/v1/kiosk`), as far as the UI relies on them.
 *
 * Where the daemon has a shared TypeBox schema (server/schemas.ts: Ticket, QueueStatus, the
 * 绿色通道 reasons; kiosk/queue/types.ts: the ticket statuses), the type is derived from it with
 * `Static`, so a status added on the server breaks every `Record<TicketStatus, …>` here until
 * it is handled. These are `import type`: erased by the build, the bundle still only talks HTTP.
 * The other replies are declared by hand below, because their schemas are written inline in the
 * route files (which import the daemon); they name the route they mirror.
 */
import type { PriorityReasonWire, QueueStatusReply, TicketReply } from '../server/schemas.ts';
import type { ChecklistReply, NoticeReply } from '../server/schemas/guides.ts';

/** A ticket as every route sends it (the shared `Ticket` schema). */
export type Ticket = TicketReply;
/** waiting, called, recalled, serving, done, no-show, suspended, cancelled (kiosk/queue/types.ts). */
export type TicketStatus = Ticket['status'];
/** 绿色通道 reasons a ticket request may name (elderly, disabled, pregnant, talent). */
export type PriorityReason = PriorityReasonWire;

export interface OpeningHours {
  weekdays: number[];
  open: string;
  close: string;
}

export interface ServiceInfo {
  code: string;
  name: string;
  prefix: string;
  group: string;
  priorityReasons: string[];
}

export interface KioskInfo {
  hall: {
    name: string;
    level: string;
    timeZone?: string;
    address: string;
    phones: { consult: string; complaint: string };
    openingHours: OpeningHours[];
  };
  services: ServiceInfo[];
  ui: { idleTimeoutSeconds: number };
  features: { guides: boolean; evaluation: boolean; certificate: boolean };
}

export type DeviceKind = 'idcard' | 'scanner' | 'printer' | 'dispenser' | 'a4printer';
export type DeviceState = 'ready' | 'busy' | 'fault' | 'disconnected' | 'off';

export interface DeviceStatus {
  state: DeviceState;
  code?: string;
  message?: string;
  warnings?: { code: string; message: string }[];
}

/** GET /kiosk/status projects these fields of the queue status per service. */
export type ServiceStatus = Pick<QueueStatusReply['services'][number], 'code' | 'name' | 'waiting' | 'estimatedWaitMinutes' | 'openCounters'>;

export interface KioskStatus {
  version: QueueStatusReply['version'];
  services: ServiceStatus[];
  devices: Partial<Record<DeviceKind, DeviceStatus>>;
  /** Opening hours now (kiosk/hall/opening-hours.ts); absent from an older daemon. */
  hall?: HallOpenState;
}

export interface HallOpenState {
  open: boolean;
  nextOpen: { date: string; time: string; today: boolean } | null;
  closesAt: string | null;
  /** A number taken now can still be called before the daily reset. */
  servedThisBusinessDay: boolean;
}

/** What the reader says when no identity is shown (GET /kiosk/session `reader`). */
export interface ReaderNotice {
  code: 'IDCARD_READ_FAILED' | 'IDCARD_REPLACE';
  message: string;
}

export interface Identity {
  maskedName: string;
  maskedId: string;
  age: number | null;
  cardType: string;
  elderly: boolean;
  expired: boolean;
}

export interface PrintResult {
  ok: boolean;
  code?: string;
  message?: string;
}

export interface TicketResult {
  ticket: Ticket;
  existing: boolean;
  counters: { number: number; name: string }[];
  code: string;
  qrText: string;
  print: PrintResult;
}

export interface GuideSummary {
  id: string;
  name: string;
  code: string;
  category: string;
  /** 服务对象 ('个人'/'单位'); the daemon calls it `audience`. */
  object?: string | string[];
  audience?: string[];
  timeLimit: unknown;
  availableHere: boolean;
}

export interface GuideList {
  items: GuideSummary[];
  suggestions: { id: string; name: string }[];
  categories: { id: string; name: string }[];
}

export interface Material {
  id: string;
  name: string;
  originals?: number;
  copies?: number;
  required?: boolean;
  tolerable?: boolean;
  deferrable?: boolean;
  /** Required materials sharing a group are alternatives: any one of them will do. */
  alternativeGroup?: string | null;
  copiesText?: string;
  notes?: string;
}

export interface Availability {
  here: boolean;
  message: string;
  upperHall?: unknown;
}

export interface GuideDetail {
  item: Record<string, unknown> & {
    id: string;
    name: string;
    materials?: Material[];
    /** Pre-formatted rows (label → value) when the daemon provides them. */
    fields?: { label: string; value: unknown }[];
    availability?: Availability;
    promisedDate?: string | null;
    promisedNote?: string | null;
    serviceCode?: string | null;
  };
  availability?: Availability;
  promisedDate?: string | null;
  serviceCode?: string | null;
}

/** POST /kiosk/guides/:id/notice: the checklist verdict (kiosk/guides/checklist.ts) and the print result (server/schemas/guides.ts). */
export type NoticeChecklist = ChecklistReply;
export type NoticeResult = NoticeReply;

export interface ScanResult {
  kind: 'ticket' | 'appointment' | 'insurance-voucher' | 'other' | 'invalid-code';
  ticket?: Ticket;
  message?: string;
  /** Appointment QR text to pass to check-in (daemon field name). */
  appointmentCode?: string;
  /** A verified ticket QR code: the proof a 评价 of that ticket needs. */
  ticketCode?: string;
  ticketId?: number;
  text?: string;
  code?: string;
}

/** GET /kiosk/evaluations/form */
export interface EvaluationForm {
  levels: string[];
  reasons: { version: string; items: { code: string; name: string; requiresText?: boolean }[] };
  windowDays: number;
  timeoutSeconds: number;
}

/** POST /kiosk/evaluations/lookup */
export interface EvaluationLookup {
  ticket: Ticket;
  /** Evaluations already stored for the ticket (0, or 1 when only a 追加评价 is left). */
  evaluations: number;
  canEvaluate: boolean;
  appendOnly: boolean;
}

/** Reply of the kiosk submit routes (only what the screens use). */
export interface EvaluationSubmitted {
  evaluation: { id: number; level: string; bad: boolean; seq: number };
  existing: boolean;
}

/** What a self-service evaluation is about (POST /kiosk/evaluations/self-service). */
export interface SelfServiceItem {
  itemCode: string | null;
  itemName: string;
}
