/**
 * HTTP client of the technician console, same origin as the daemon (on the kiosk itself, or
 * through SSH port forwarding). The credential is the session cookie POST /api/v1/console/login
 * sets: HttpOnly (no script here can read it), SameSite=Strict, sent by the browser itself; the
 * browser adds the Origin header the daemon checks on every change.
 */
import { ApiError, call } from '../api.ts';
import type {
  AuditEntryReply,
  BackupsReply,
  ConsoleSessionReply,
  LogsReply,
  OperationsReply,
  PaperReply,
  RestoreCheckReply,
} from '../../server/schemas/console.ts';

/** GET /console/operations (server/schemas/console.ts). */
export type Operations = OperationsReply;
export type Backups = BackupsReply;
export type RestoreCheck = RestoreCheckReply;
export type Logs = LogsReply;
export type Paper = PaperReply;

export type DeviceKind = 'idcard' | 'scanner' | 'printer' | 'dispenser';
export const DEVICE_KINDS: readonly DeviceKind[] = ['idcard', 'scanner', 'printer', 'dispenser'];

export interface DeviceStatus {
  readonly state: string;
  readonly code?: string;
  /** Fault text (Chinese). */
  readonly message?: string;
  /** Why a device is disconnected (Chinese). */
  readonly reason?: string;
  /** What a busy device is doing. */
  readonly task?: string;
  readonly warnings?: readonly { readonly code: string; readonly message: string }[];
}

export type Devices = Partial<Record<DeviceKind, DeviceStatus>>;

export interface SimulatorAction {
  readonly name: string;
  /** Chinese description, sometimes naming the action's parameter and its values. */
  readonly description: string;
}

export interface Simulator {
  readonly kind: DeviceKind;
  readonly hostPath: string;
  readonly actions: readonly SimulatorAction[];
  readonly state: Record<string, unknown>;
}

export interface TestResult {
  readonly ok: boolean;
  readonly cardType?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface LastReceipt {
  readonly text: string;
}

export { ApiError };

const TIMEOUT_MS = 15_000;

export type ConsoleRole = ConsoleSessionReply['role'];
export type ConsoleSession = ConsoleSessionReply;
export const ROLE_LABELS: Record<ConsoleRole, string> = { technician: '技术人员', 'hall-admin': '大厅管理员' };

export type AuditEntry = AuditEntryReply;

const json = <T>(method: string, path: string, body?: unknown): Promise<T> => call<T>(method, path, body, { base: '', timeoutMs: TIMEOUT_MS, technical: true });

/** Logs in; the daemon sets the session cookie. Wrong credentials: ApiError 401 用户名或密码错误. */
export function login(user: string, password: string): Promise<ConsoleSession> {
  return json('POST', '/api/v1/console/login', { user, password });
}

/** The session this browser holds, or null (none, logged out or expired). */
export async function currentSession(): Promise<ConsoleSession | null> {
  try {
    return await json<ConsoleSession>('GET', '/api/v1/console/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  await json('POST', '/api/v1/console/logout', {}).catch(() => undefined);
}

export interface ConsoleAlert {
  readonly id: number;
  readonly raisedAt: number;
  readonly kindName: string;
  readonly message: string;
  readonly counterNo: number | null;
  readonly acknowledged: { readonly at: number; readonly counterNo: number | null; readonly staffName: string | null } | null;
}

export class ConsoleApi {
  readonly session: ConsoleSession;
  #base: string;

  constructor(session: ConsoleSession, base = '') {
    this.session = session;
    this.#base = base;
  }

  /** The running configuration without secrets (hall-admin only). */
  config(): Promise<{
    config: Record<string, unknown>;
    hidden: string[];
    developmentSecrets: string[];
    siteFile: string | null;
    lastRollback: { at: number; reason: string } | null;
  }> {
    return this.#json('GET', '/api/v1/console/config');
  }

  /** Checks a change against the boot schema; problems name their field in Chinese. */
  checkConfig(patch: unknown): Promise<{ ok: boolean; problems: { field: string; message: string }[] }> {
    return this.#json('POST', '/api/v1/console/config/check', { patch });
  }

  /** Writes the change to the site file and restarts the daemon (after the same check). */
  applyConfig(patch: unknown): Promise<{ ok: boolean; problems: { field: string; message: string }[]; restarting?: boolean }> {
    return this.#json('POST', '/api/v1/console/config/apply', { patch });
  }

  /** 运行状态 (technician and hall-admin). */
  operations(): Promise<Operations> {
    return this.#json('GET', '/api/v1/console/operations');
  }

  /** Backups, the staged restore and the last restore's outcome (hall-admin only). */
  backups(): Promise<Backups> {
    return this.#json('GET', '/api/v1/console/backups');
  }

  backupNow(): Promise<{ backup: Backups['backups'][number] }> {
    return this.#json('POST', '/api/v1/console/backups', {});
  }

  /** The confirmation step of a restore: checks the backup, writes nothing. */
  checkRestore(name: string): Promise<RestoreCheck> {
    return this.#json('POST', '/api/v1/console/backups/restore/check', { name });
  }

  /** Stages the checked backup for the next start and restarts the daemon. */
  restore(name: string, digest: string): Promise<{ ok: boolean; backup: string; restarting: boolean }> {
    return this.#json('POST', '/api/v1/console/backups/restore', { name, digest });
  }

  /** The log tail (newest last), filtered by lowest level and device. */
  logs(q: { level?: string; device?: string; limit?: number } = {}): Promise<Logs> {
    const params = new URLSearchParams();
    if (q.level) params.set('level', q.level);
    if (q.device) params.set('device', q.device);
    params.set('limit', String(q.limit ?? 200));
    return this.#json('GET', `/api/v1/console/logs?${params.toString()}`);
  }

  paper(): Promise<Paper> {
    return this.#json('GET', '/api/v1/console/paper');
  }

  rollChanged(): Promise<Paper> {
    return this.#json('POST', '/api/v1/console/paper/roll-changed', {});
  }

  /** The audit trail (hall-admin only). */
  async audit(limit = 50): Promise<AuditEntry[]> {
    return (await this.#json<{ entries: AuditEntry[] }>('GET', `/api/v1/console/audit?limit=${limit}`)).entries;
  }

  devices(): Promise<Devices> {
    return this.#json('GET', '/api/v1/devices');
  }

  testPrint(): Promise<TestResult> {
    return this.#json('POST', '/api/v1/admin/devices/printer/test-print', {});
  }

  testRead(): Promise<TestResult> {
    return this.#json('POST', '/api/v1/admin/devices/idcard/test-read', {});
  }

  /** The simulators, or null when this daemon has none (the dev API is not mounted: 404). */
  async simulators(): Promise<Simulator[] | null> {
    try {
      return await this.#json<Simulator[]>('GET', '/api/v1/dev/simulators');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  act(kind: DeviceKind, action: string, args: Record<string, unknown> = {}): Promise<{ state: Record<string, unknown> }> {
    return this.#json('POST', `/api/v1/dev/simulators/${encodeURIComponent(kind)}/actions/${encodeURIComponent(action)}`, args);
  }

  /** The simulated printer's last receipt as text, or null when it has printed nothing yet. */
  async lastReceipt(): Promise<LastReceipt | null> {
    try {
      return await this.#json<LastReceipt>('GET', '/api/v1/dev/simulators/printer/receipts/last');
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) return null;
      throw err;
    }
  }

  /**
   * The last receipt rendered as PNG. Fetched with the credentials (an <img src> cannot send
   * them) and a cache-busting query, so the image always shows the newest receipt.
   */
  async lastReceiptPng(): Promise<Blob | null> {
    try {
      return await this.#json<Blob>('GET', `/api/v1/dev/simulators/printer/receipts/last.png?t=${Date.now()}`, undefined, true);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 404)) return null;
      throw err;
    }
  }

  /** Today's staff alerts (kiosk/alerts), newest first; [] where this daemon holds no queue. */
  async alerts(): Promise<ConsoleAlert[]> {
    try {
      return (await this.#json<{ alerts: ConsoleAlert[] }>('GET', '/api/v1/alerts')).alerts;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }

  acknowledge(id: number): Promise<{ alert: ConsoleAlert }> {
    return this.#json('POST', `/api/v1/alerts/${id}/acknowledge`, { by: '技术人员' });
  }

  #json<T>(method: string, path: string, body?: unknown, blob = false): Promise<T> {
    return call<T>(method, path, body, {
      base: this.#base,
      timeoutMs: TIMEOUT_MS,
      technical: true,
      blob,
    });
  }
}
