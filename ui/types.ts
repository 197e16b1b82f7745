/** Shapes of the daemon's kiosk API (`/api/v1/kiosk`), as far as the UI relies on them. */

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

export type DeviceKind = 'idcard' | 'scanner' | 'printer' | 'dispenser';
export type DeviceState = 'ready' | 'busy' | 'fault' | 'disconnected' | 'off';

export interface DeviceStatus {
  state: DeviceState;
  code?: string;
  message?: string;
  warnings?: { code: string; message: string }[];
}

export interface ServiceStatus {
  code: string;
  name: string;
  waiting: number;
  estimatedWaitMinutes: number | null;
  openCounters: number;
}

export interface KioskStatus {
  version: number | string;
  services: ServiceStatus[];
  devices: Partial<Record<DeviceKind, DeviceStatus>>;
}

export interface Identity {
  maskedName: string;
  maskedId: string;
  age: number | null;
  cardType: string;
  elderly: boolean;
  expired: boolean;
}

export interface Ticket {
  id: number | string;
  displayNo: string;
  serviceName: string;
  status: string;
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
  priority: string | boolean | null;
  appointment: unknown;
  printState: string | null;
  /** Business day (YYYY-MM-DD), and the counter that served the ticket (daemon's Ticket schema). */
  day?: string;
  counterNo?: number | null;
  counterName?: string | null;
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

/** The daemon's checklist; the contract's {missing, tolerable, canAccept} and the engine's richer shape are both accepted. */
export interface NoticeChecklist {
  missing?: unknown[];
  tolerable?: unknown[];
  canAccept?: boolean;
  canAcceptNow?: boolean;
  outcome?: string;
  needsCommitment?: boolean;
  blocking?: unknown[];
  deferrable?: unknown[];
}

export interface NoticeResult {
  checklist: NoticeChecklist;
  print: PrintResult;
}

export interface ScanResult {
  kind: 'ticket' | 'appointment' | 'insurance-voucher' | 'other' | 'invalid-code';
  ticket?: Ticket;
  message?: string;
  /** Appointment QR text to pass to check-in (daemon field name). */
  appointmentCode?: string;
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
