/**
 * 设备设置 on the technician console (technician and hall-admin): 发现设备 (serial ports with their
 * USB ids and serial numbers, HID devices, simulated devices and simulator ports), then for each
 * role — 身份证阅读器, 扫码器, 小票打印机, 出票器, A4 打印机 — the mode, the port or IPP queue, the
 * baud rate, the scanner's transport and the printer's profile with its test receipt's preview;
 * 检查设置 and 应用设置 (the daemon reopens the changed devices without restarting), and each
 * device's live status with its last faults. Talks only to /api/v1/console/devices*.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { Static } from '@sinclair/typebox';
import type { AssignmentSchema, DevicesApplyReply, DevicesPageReply, DiscoveryReply } from '../../server/schemas/console-devices.ts';
import { call } from '../api.ts';
import { hallDateTime } from '../hall-time.ts';
import { STATE_LABELS, statusDetail } from './labels.ts';
import { styles } from './styles.ts';

type Assignment = Static<typeof AssignmentSchema>;
type Role = keyof Assignment;
type RoleDraft = Record<string, string>;

const POLL_MS = 2000;
const ROLES: readonly Role[] = ['idcard', 'scanner', 'printer', 'dispenser', 'a4printer'];
const ROLE_LABELS: Record<Role, string> = {
  idcard: '身份证阅读器',
  scanner: '扫码器',
  printer: '小票打印机',
  dispenser: '出票器（票据出口）',
  a4printer: 'A4 打印机（参保证明）',
};
const SERIAL_MODES: readonly [string, string][] = [
  ['hardware', '硬件（串口）'],
  ['simulator', '模拟设备（内存）'],
  ['off', '未启用'],
];
const A4_MODES: readonly [string, string][] = [
  ['ipp', 'IPP 打印队列'],
  ['simulator', '模拟设备'],
  ['off', '未启用（参保证明用小票打印机打印）'],
];
const SOURCE_LABELS: Record<string, string> = { usb: 'USB 串口', platform: '主板串口', simulator: '模拟串口（pty）' };
const FAULT_STATES: Record<string, string> = { fault: '故障', disconnected: '未连接', warning: '警告' };
const SIM_KINDS: readonly Role[] = ['idcard', 'scanner', 'printer', 'dispenser'];

interface Outcome {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

const api = <T>(method: string, path: string, body?: unknown, blob = false): Promise<T> =>
  call<T>(method, `/api/v1${path}`, body, { base: '', timeoutMs: 15_000, technical: true, blob });
const errorText = (err: unknown): string => (err instanceof Error ? err.message : '操作失败，请重试');

/** The running assignment as the form's strings (one record per role). */
function draftOf(assignment: Record<string, unknown>): Record<Role, RoleDraft> {
  const out = {} as Record<Role, RoleDraft>;
  for (const role of ROLES) {
    const r = (assignment[role] ?? {}) as Record<string, unknown>;
    out[role] = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
  }
  return out;
}

/** The form's strings → the apply body (numbers where the API takes numbers). */
function assignmentOf(draft: Record<Role, RoleDraft>): Assignment {
  const serial = (d: RoleDraft) => ({
    mode: (d.mode ?? 'off') as 'simulator' | 'hardware' | 'off',
    ...(d.path ? { path: d.path } : {}),
    baudRate: Number(d.baudRate ?? 0) || 0,
  });
  const s = draft.scanner;
  const a4 = draft.a4printer;
  return {
    idcard: serial(draft.idcard),
    scanner: {
      ...serial(s),
      transport: s.transport === 'hid-pos' ? 'hid-pos' : 'serial',
      ...(s.vendorId ? { vendorId: Number(s.vendorId) } : {}),
      ...(s.productId ? { productId: Number(s.productId) } : {}),
    },
    printer: { ...serial(draft.printer), profile: draft.printer.profile ?? '' },
    dispenser: serial(draft.dispenser),
    a4printer: { mode: (a4.mode ?? 'off') as 'off' | 'simulator' | 'ipp', target: a4.target ? a4.target : null },
  };
}

export class ConsoleDevices extends LitElement {
  static override styles = [
    styles,
    css`
      :host { min-height: 0; }
      .roles { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; margin: 12px 0; }
      .role { background: #fff; border: 1px solid #b8c4d2; border-radius: 12px; padding: 18px; display: flex; flex-direction: column; gap: 10px; }
      .role h3 { font-size: 22px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
      .role .state { font-size: 20px; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
      table { border-collapse: collapse; width: 100%; font-size: 17px; background: #fff; margin-bottom: 12px; }
      th, td { border: 1px solid #b8c4d2; padding: 4px 8px; text-align: left; vertical-align: top; }
      ul.faults { margin: 0; padding-left: 20px; font-size: 16px; color: #444; }
      figure { margin: 0; background: #f7f7f7; border: 1px solid #b8c4d2; padding: 8px; }
      figure img { display: block; width: 300px; height: auto; image-rendering: pixelated; }
      input.wide { min-width: 320px; }
    `,
  ];
  static override properties = {
    timeZone: { attribute: false },
    page: { state: true },
    discovery: { state: true },
    draft: { state: true },
    busy: { state: true },
    result: { state: true },
    discoveryResult: { state: true },
    printResult: { state: true },
    previewUrl: { state: true },
    simKind: { state: true },
  };

  /** The hall's time zone, for the fault times. */
  declare timeZone: string;
  declare page: DevicesPageReply | null;
  declare discovery: DiscoveryReply | null;
  /** The form: the running assignment at first, then what the technician chose. */
  declare draft: Record<Role, RoleDraft> | null;
  declare busy: string | null;
  declare result: Outcome | null;
  declare discoveryResult: string;
  declare printResult: Outcome | null;
  declare previewUrl: string | null;
  declare simKind: string;

  #timer: ReturnType<typeof setInterval> | null = null;
  #previewProfile = '';

  constructor() {
    super();
    this.timeZone = 'Asia/Shanghai';
    this.page = null;
    this.discovery = null;
    this.draft = null;
    this.busy = null;
    this.result = null;
    this.discoveryResult = '';
    this.printResult = null;
    this.previewUrl = null;
    this.simKind = 'printer';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#refresh().then(() => this.#discover());
    this.#timer = setInterval(() => void this.#refresh(), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
  }

  async #refresh(): Promise<void> {
    try {
      this.page = await api<DevicesPageReply>('GET', '/console/devices');
      if (!this.draft) this.draft = draftOf(this.page.assignment);
      await this.#preview();
    } catch {
      // The console's own poll reports a lost connection or an expired login.
    }
  }

  async #discover(): Promise<void> {
    try {
      this.discovery = await api<DiscoveryReply>('GET', '/console/devices/discovery');
      const d = this.discovery;
      this.discoveryResult = `发现 ${d.serialPorts.length} 个串口、${d.hidDevices.length} 个 HID 设备`;
    } catch (err) {
      this.discoveryResult = `发现设备失败：${errorText(err)}`;
    }
  }

  /** The test receipt's preview of the profile chosen in the form (fetched again when it changes). */
  async #preview(force = false): Promise<void> {
    const profile = this.draft?.printer.profile ?? '';
    if (!profile || (profile === this.#previewProfile && !force)) return;
    this.#previewProfile = profile;
    try {
      const png = await api<Blob>('GET', `/console/devices/printer/preview.png?profile=${encodeURIComponent(profile)}`, undefined, true);
      if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = URL.createObjectURL(png);
    } catch {
      this.previewUrl = null;
    }
  }

  #set(role: Role, field: string, value: string): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, [role]: { ...this.draft[role], [field]: value } };
    this.result = null;
    if (role === 'printer' && field === 'profile') void this.#preview();
  }

  async #run(id: string, work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = id;
    try {
      await work();
    } finally {
      this.busy = null;
    }
  }

  #submit(apply: boolean): Promise<void> {
    return this.#run(apply ? 'apply' : 'check', async () => {
      if (!this.draft) return;
      try {
        const body = { assignment: assignmentOf(this.draft) };
        if (!apply) {
          const r = await api<{ ok: boolean; problems: { message: string }[] }>('POST', '/console/devices/check', body);
          this.result = r.ok ? { ok: true, lines: ['检查通过：这些设置符合启动时的配置校验'] } : { ok: false, lines: r.problems.map((p) => p.message) };
          return;
        }
        const r = await api<DevicesApplyReply>('POST', '/console/devices/apply', body);
        if (!r.ok) {
          this.result = { ok: false, lines: r.problems.map((p) => p.message) };
          return;
        }
        const names = (r.changed ?? []).map((k) => ROLE_LABELS[k as Role] ?? k).join('、');
        const head =
          r.how === 'unchanged'
            ? '设置没有变化'
            : r.how === 'restart'
              ? `已保存（${names}），终端服务正在重启；请稍候刷新本页面`
              : `已应用（${names}）：设备已重新打开，无需重启${r.saved ? '；已保存到站点配置' : ''}`;
        this.result = { ok: true, lines: [head, ...(r.warnings ?? [])] };
        await this.#refresh();
      } catch (err) {
        this.result = { ok: false, lines: [errorText(err)] };
      }
    });
  }

  #testPrint(): Promise<void> {
    return this.#run('test-print', async () => {
      try {
        const r = await api<{ ok: boolean; code?: string; message?: string }>('POST', '/admin/devices/printer/test-print', {});
        this.printResult = r.ok ? { ok: true, lines: ['测试小票已打印'] } : { ok: false, lines: [`打印失败：${r.message ?? r.code ?? '原因不明'}`] };
      } catch (err) {
        this.printResult = { ok: false, lines: [errorText(err)] };
      }
      await this.#discover();
    });
  }

  #newSimulatorPort(): Promise<void> {
    return this.#run('sim-port', async () => {
      try {
        const r = await api<{ port: { path: string } }>('POST', '/console/devices/simulator-ports', { kind: this.simKind });
        this.discoveryResult = `已新建模拟串口 ${r.port.path}（${ROLE_LABELS[this.simKind as Role] ?? this.simKind}）`;
      } catch (err) {
        this.discoveryResult = `新建模拟串口失败：${errorText(err)}`;
        return;
      }
      const note = this.discoveryResult;
      await this.#discover();
      this.discoveryResult = note;
    });
  }

  #removeSimulatorPort(id: number): Promise<void> {
    return this.#run(`sim-${id}`, async () => {
      await api('DELETE', `/console/devices/simulator-ports/${id}`).catch(() => undefined);
      await this.#discover();
    });
  }

  // ---- render ---------------------------------------------------------------------------------

  override render(): TemplateResult {
    return html`<section aria-labelledby="device-setup-title" data-testid="device-setup">
      <h2 id="device-setup-title">设备设置</h2>
      <p class="hint">先按“发现设备”，再为每台设备选择串口（或 IPP 打印队列）、波特率和型号，按“检查设置”，最后按“应用设置”：改动的设备会重新打开，不必重启终端服务。</p>
      ${this.#discoveryPanel()}
      ${this.draft && this.page ? html`<div class="roles">${ROLES.map((r) => this.#role(r))}</div>` : html`<p class="hint">正在读取…</p>`}
      <div class="row">
        <button data-testid="devices-check" ?disabled=${this.busy !== null || !this.draft} @click=${() => void this.#submit(false)}>检查设置</button>
        <button class="primary" data-testid="devices-apply" ?disabled=${this.busy !== null || !this.draft} @click=${() => void this.#submit(true)}>
          ${this.busy === 'apply' ? '正在应用…' : '应用设置'}
        </button>
      </div>
      ${
        this.result
          ? html`<ul data-testid="devices-result" role="status" class=${this.result.ok ? 'ok' : 'error'}>${this.result.lines.map((l) => html`<li>${l}</li>`)}</ul>`
          : nothing
      }
      ${this.page && !this.page.siteFile ? html`<p class="warn">本机未使用站点配置文件：设置在重启终端服务后恢复原样。</p>` : nothing}
    </section>`;
  }

  #discoveryPanel(): TemplateResult {
    const d = this.discovery;
    return html`<div class="row">
        <button data-testid="discover" ?disabled=${this.busy !== null} @click=${() => void this.#run('discover', () => this.#discover())}>发现设备</button>
        <span role="status" data-testid="discovery-result">${this.discoveryResult}</span>
      </div>
      ${d?.problems.length ? html`<p class="warn" data-testid="discovery-problems">${d.problems.join('；')}</p>` : nothing}
      ${
        d
          ? html`<table data-testid="serial-ports">
              <caption class="hint">串口</caption>
              <thead><tr><th scope="col">路径</th><th scope="col">设备节点</th><th scope="col">USB 厂商:产品</th><th scope="col">序列号</th><th scope="col">制造商</th><th scope="col">类型</th></tr></thead>
              <tbody>
                ${
                  d.serialPorts.length
                    ? d.serialPorts.map(
                        (p) => html`<tr data-port=${p.path}>
                          <td>${p.path}</td><td>${p.node}</td><td>${p.vendorId ? `${p.vendorId}:${p.productId ?? ''}` : '—'}</td>
                          <td>${p.serialNumber ?? '—'}</td><td>${p.manufacturer ?? '—'}</td>
                          <td>${SOURCE_LABELS[p.source] ?? p.source}${p.simulates ? `：${ROLE_LABELS[p.simulates as Role] ?? p.simulates}${this.#simFacts(p.path)}` : ''}</td>
                        </tr>`,
                      )
                    : html`<tr><td colspan="6">未发现串口</td></tr>`
                }
              </tbody>
            </table>
            <table data-testid="hid-devices">
              <caption class="hint">HID 设备（扫码器用 HID POS 方式时选择）</caption>
              <thead><tr><th scope="col">厂商:产品</th><th scope="col">名称</th><th scope="col">序列号</th><th scope="col">用途</th></tr></thead>
              <tbody>
                ${
                  d.hidDevices.length
                    ? d.hidDevices.map(
                        (h) =>
                          html`<tr><td>${h.vendorId}:${h.productId}</td><td>${[h.manufacturer, h.product].filter(Boolean).join(' ') || '—'}</td><td>${h.serialNumber ?? '—'}</td><td>${h.posScanner ? 'HID POS 扫码器' : '其他'}</td></tr>`,
                      )
                    : html`<tr><td colspan="4">未发现 HID 设备</td></tr>`
                }
              </tbody>
            </table>`
          : nothing
      }
      ${
        this.page?.simulatorPortsAllowed
          ? html`<div class="row" data-testid="simulator-ports">
              <label>模拟串口（演练用，真实的伪终端）<select data-testid="sim-kind" .value=${this.simKind} @change=${(e: Event) => (this.simKind = (e.target as HTMLSelectElement).value)}>
                ${SIM_KINDS.map((k) => html`<option value=${k} ?selected=${k === this.simKind}>${ROLE_LABELS[k]}</option>`)}
              </select></label>
              <button data-testid="sim-port-new" ?disabled=${this.busy !== null} @click=${() => void this.#newSimulatorPort()}>新建模拟串口</button>
              ${(d?.simulatorPorts ?? []).map(
                (
                  p,
                ) => html`<button data-testid="sim-port-remove" title=${p.path} ?disabled=${this.busy !== null} @click=${() => void this.#removeSimulatorPort(p.id)}>
                  删除 ${p.path.split('/').slice(-2).join('/')}
                </button>`,
              )}
            </div>`
          : nothing
      }`;
  }

  #simFacts(path: string): string {
    const state = this.discovery?.simulatorPorts.find((p) => p.path === path)?.state;
    return typeof state?.receiptsPrinted === 'number' ? `（已打印 ${state.receiptsPrinted} 张）` : '';
  }

  #role(role: Role): TemplateResult {
    const d = this.draft![role];
    const page = this.page!;
    const status = page.status[role as keyof typeof page.status];
    const state = status?.state ?? 'unknown';
    const faults = page.faults[role] ?? [];
    const select = (field: string, label: string, options: readonly [string, string][]) => {
      const value = d[field] ?? '';
      const known = options.some(([v]) => v === value);
      return html`<label>${label}<select data-testid=${`${field}-${role}`} .value=${value} @change=${(e: Event) => this.#set(role, field, (e.target as HTMLSelectElement).value)}>
        ${!known ? html`<option value=${value} selected>${value || '（请选择）'}</option>` : nothing}
        ${options.map(([v, l]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`)}
      </select></label>`;
    };
    const ports: [string, string][] = (this.discovery?.serialPorts ?? []).map((p) => [
      p.path,
      `${p.path}${p.vendorId ? `（${p.vendorId}:${p.productId ?? ''}${p.serialNumber ? ` ${p.serialNumber}` : ''}）` : p.simulates ? `（模拟${ROLE_LABELS[p.simulates as Role] ?? p.simulates}）` : ''}`,
    ]);
    const bauds: [string, string][] = page.baudRates.map((b) => [String(b), String(b)]);
    const hardware = d.mode === 'hardware';
    const hidPos = role === 'scanner' && d.transport === 'hid-pos';
    return html`<article class="role" data-role=${role} aria-labelledby=${`role-${role}`}>
      <h3 id=${`role-${role}`}>${ROLE_LABELS[role]}
        <span class="state ${state}" data-testid=${`dev-state-${role}`} data-state=${state}>${STATE_LABELS[state] ?? state}</span></h3>
      ${status ? html`<p class="detail">${statusDetail(status)}</p>` : nothing}
      ${
        role === 'a4printer'
          ? html`${select('mode', '方式', A4_MODES)}
            ${d.mode === 'ipp' ? html`<label>IPP 打印队列地址<input class="wide" data-testid="target-a4printer" .value=${d.target ?? ''} placeholder="ipp://打印服务器:631/printers/A4" @input=${(e: Event) => this.#set(role, 'target', (e.target as HTMLInputElement).value)} /></label>` : nothing}`
          : html`${select('mode', '方式', SERIAL_MODES)}
            ${
              role === 'scanner' && hardware
                ? select('transport', '连接方式', [
                    ['serial', '串口（USB 虚拟串口）'],
                    ['hid-pos', 'HID POS'],
                  ])
                : nothing
            }
            ${hardware && !hidPos ? html`<div class="row">${select('path', '串口', ports)}${select('baudRate', '波特率', bauds)}</div>` : nothing}
            ${hardware && hidPos ? this.#hidChoice(d) : nothing}`
      }
      ${role === 'printer' ? this.#printerExtras(d) : nothing}
      ${
        faults.length
          ? html`<details data-testid=${`faults-${role}`}><summary>最近故障（${faults.length}）</summary><ul class="faults">
              ${faults.map((f) => html`<li>${hallDateTime(f.at, this.timeZone)} ${FAULT_STATES[f.state] ?? f.state}：${f.message}</li>`)}
            </ul></details>`
          : html`<p class="hint">最近无故障</p>`
      }
    </article>`;
  }

  #hidChoice(d: RoleDraft): TemplateResult {
    const hid = this.discovery?.hidDevices ?? [];
    const value = d.vendorId && d.productId ? `${d.vendorId}:${d.productId}` : '';
    return html`<label>HID POS 扫码器<select data-testid="hid-scanner" .value=${value} @change=${(e: Event) => {
      const [v, p] = (e.target as HTMLSelectElement).value.split(':');
      if (this.draft) this.draft = { ...this.draft, scanner: { ...this.draft.scanner, vendorId: v ?? '', productId: p ?? '' } };
    }}>
      <option value="" ?selected=${!value}>（请选择）</option>
      ${hid.map((h) => {
        const v = `${h.vendorIdNumber}:${h.productIdNumber}`;
        return html`<option value=${v} ?selected=${v === value}>${h.vendorId}:${h.productId} ${h.product ?? ''}${h.posScanner ? '（HID POS）' : ''}</option>`;
      })}
    </select></label>`;
  }

  #printerExtras(d: RoleDraft): TemplateResult {
    const profiles: [string, string][] = (this.page?.profiles ?? []).map((p) => [p.name, `${p.label}（${p.paperWidthMm}mm，每行 ${p.charsPerLine} 字）`]);
    const value = d.profile ?? '';
    return html`<label>打印机型号<select data-testid="profile-printer" .value=${value} @change=${(e: Event) => this.#set('printer', 'profile', (e.target as HTMLSelectElement).value)}>
        ${profiles.map(([v, l]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`)}
      </select></label>
      ${this.previewUrl ? html`<figure><img src=${this.previewUrl} alt="测试小票预览" data-testid="test-receipt-preview" /><figcaption class="hint">测试小票预览（所选型号）</figcaption></figure>` : nothing}
      <button data-testid="devices-test-print" ?disabled=${this.busy !== null} @click=${() => void this.#testPrint()}>打印测试小票</button>
      ${
        this.printResult
          ? html`<p role="status" data-testid="devices-test-print-result" class=${this.printResult.ok ? 'ok' : 'error'}>${this.printResult.lines.join('；')}</p>`
          : nothing
      }`;
  }
}

customElements.define('console-devices', ConsoleDevices);

declare global {
  interface HTMLElementTagNameMap {
    'console-devices': ConsoleDevices;
  }
}
