/**
 * HTTP client of the technician console: the admin's HTTP Basic credentials on every request,
 * same origin as the daemon (on the kiosk itself, or through SSH port forwarding).
 */

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

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const TIMEOUT_MS = 15_000;

/** The value of an `Authorization: Basic` header for a user and password (UTF-8). */
export function basicToken(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export class ConsoleApi {
  readonly token: string;
  #base: string;

  constructor(token: string, base = '') {
    this.token = token;
    this.#base = base;
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
    const res = await this.#fetch('GET', `/api/v1/dev/simulators/printer/receipts/last.png?t=${Date.now()}`);
    if (res.status === 400 || res.status === 404) return null;
    if (!res.ok) throw await toError(res);
    return res.blob();
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(method, path, body);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as T;
  }

  async #fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Basic ${this.token}`,
          accept: 'application/json, image/png',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch {
      throw controller.signal.aborted ? new ApiError(0, 'TIMEOUT', '服务响应超时') : new ApiError(0, 'NETWORK', '无法连接终端服务，请检查服务是否在运行');
    } finally {
      clearTimeout(timer);
    }
  }
}

async function toError(res: Response): Promise<ApiError> {
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const message = json.error?.message;
  return new ApiError(res.status, json.error?.code ?? `HTTP_${res.status}`, message && /[\u4e00-\u9fff]/.test(message) ? message : message ? `操作失败：${message}` : `操作失败（HTTP ${res.status}）`);
}
