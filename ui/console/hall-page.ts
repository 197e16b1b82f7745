/**
 * 大厅与排队 on the technician console (hall-admin only; the daemon refuses a technician with 403):
 * 大厅信息, 业务, 窗口 (add, edit, remove, which services each serves), 凭证 (generated on the
 * daemon, shown once, revocable) and 设备配对 (a 6-digit code the device's page takes instead of a
 * typed token). Every save goes the console's configuration way: the boot schema checks it (each
 * problem names its field in Chinese, shown next to the field), the site file is written with a
 * version, and the daemon restarts gracefully — the console then asks to log in again.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, call } from '../api.ts';
import { hallTime } from '../hall-time.ts';
import type { ApplyReply, HallViewReply, PairingCodeReply } from '../../server/schemas/console-hall.ts';
import { styles } from './styles.ts';
import '../kiosk-qr.ts';

type View = HallViewReply;
type Hall = View['hall'];
type Problem = ApplyReply['problems'][number];

const LEVELS = ['市', '县', '乡镇', '村'] as const;
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'] as const;
const DEVICES = [
  { value: 'counter', label: '窗口工作台' },
  { value: 'evaluator', label: '窗口评价器' },
  { value: 'window', label: '窗口显示屏' },
  { value: 'display', label: '叫号屏' },
  { value: 'kiosk', label: '其他自助终端' },
] as const;
const DEVICE_PAGES: Record<string, string> = {
  counter: '/counter.html',
  evaluator: '/evaluator.html',
  window: '/window.html',
  display: '/display.html',
  kiosk: '其他终端的维护台',
};
const KIND_LABELS: Record<string, string> = { counter: '窗口令牌', 'hall-server': '大厅服务器 / 叫号屏令牌', terminal: '终端令牌' };

const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  call<T>(method, path, body, { base: '/api/v1', timeoutMs: 15_000, technical: true });
const errorText = (err: unknown): string => (err instanceof Error ? err.message : '操作失败，请重试');

export class HallPage extends LitElement {
  static override styles = [
    styles,
    css`
      :host { display: flex; flex-direction: column; gap: 24px; }
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px 18px; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 8px 0; }
      fieldset { border: 1px solid #b8c4d2; border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
      legend { font-weight: bold; }
      .days label, .checks label { flex-direction: row; align-items: center; gap: 4px; font-weight: normal; }
      .days, .checks { display: flex; flex-wrap: wrap; gap: 10px; }
      input[type='checkbox'] { width: 24px; height: 24px; min-height: 24px; }
      .field-error { color: #a61b1b; font-weight: bold; font-size: 17px; }
      table { border-collapse: collapse; width: 100%; font-size: 18px; background: #fff; }
      th, td { border: 1px solid #b8c4d2; padding: 6px 8px; text-align: left; vertical-align: middle; }
      .code { font-size: 64px; font-weight: bold; letter-spacing: 0.25em; font-family: monospace; color: #0b4f9c; }
      .secret { font-family: monospace; font-size: 18px; word-break: break-all; background: #f7f7f7; border: 1px solid #b8c4d2; padding: 8px; user-select: all; }
      .pairing { display: flex; flex-wrap: wrap; gap: 24px; align-items: center; background: #fff; border: 3px solid #0b4f9c; border-radius: 12px; padding: 16px; }
    `,
  ];
  static override properties = {
    view: { state: true },
    problems: { state: true },
    message: { state: true },
    secret: { state: true },
    code: { state: true },
    busy: { state: true },
    draft: { state: true },
    pairDevice: { state: true },
  };
  declare view: View | null;
  declare problems: readonly Problem[];
  declare message: { ok: boolean; text: string } | null;
  /** A credential just made: shown this once. */
  declare secret: ApplyReply['secret'] | null;
  declare code: PairingCodeReply | null;
  declare busy: boolean;
  declare draft: Hall | null;
  declare pairDevice: string;

  constructor() {
    super();
    this.view = null;
    this.problems = [];
    this.message = null;
    this.secret = null;
    this.code = null;
    this.busy = false;
    this.draft = null;
    this.pairDevice = 'counter';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.view = await api<View>('GET', '/console/hall');
      this.draft = structuredClone(this.view.hall);
    } catch (err) {
      this.message = { ok: false, text: errorText(err) };
    }
  }

  /** One change through the configuration way; its outcome (problems next to the fields, or the restart) shown. */
  async #apply(method: string, path: string, body?: unknown): Promise<void> {
    this.busy = true;
    this.message = null;
    this.problems = [];
    try {
      const r = await api<ApplyReply>(method, path, body);
      if (!r.ok) {
        this.problems = r.problems;
        this.message = { ok: false, text: `未保存：${r.problems.map((p) => p.message).join('；')}` };
        return;
      }
      if (r.secret) this.secret = r.secret;
      this.message = {
        ok: true,
        text: `已保存（配置版本 ${r.version}）。${r.restarting ? '终端服务正在重启以使用新配置，约半分钟后请刷新页面并重新登录。' : '重启终端服务后生效。'}`,
      };
    } catch (err) {
      this.message = { ok: false, text: errorText(err) };
    } finally {
      this.busy = false;
    }
  }

  #problemFor(prefix: string): TemplateResult | typeof nothing {
    const mine = this.problems.filter((p) => p.field === prefix || p.field.startsWith(`${prefix}.`) || p.field.startsWith(`${prefix}[`));
    return mine.length ? html`<span class="field-error" role="alert" data-field=${prefix}>${mine.map((p) => p.message).join('；')}</span>` : nothing;
  }

  #text(label: string, field: string, value: string, set: (v: string) => void, testid = field): TemplateResult {
    return html`<label
      >${label}<input data-testid=${`hall-${testid}`} .value=${value} @input=${(e: Event) => set((e.target as HTMLInputElement).value)} />${this.#problemFor(field)}</label
    >`;
  }

  override render(): TemplateResult {
    const v = this.view;
    if (!v || !this.draft) return html`<section><h2>大厅与排队</h2><p class="hint">正在读取…</p>${this.#messageLine()}</section>`;
    return html`${v.canApply ? nothing : html`<p class="warn" role="alert">本机未使用站点配置文件（--config / KIOSK_CONFIG），修改无法保存。</p>`}
      ${this.#messageLine()} ${this.#secretBox()} ${this.#hallForm(this.draft)} ${this.#countersPanel(v)} ${this.#servicesPanel(v)} ${this.#credentialsPanel(v)}
      ${this.#pairingPanel(v)}`;
  }

  #messageLine(): TemplateResult | typeof nothing {
    const m = this.message;
    return m ? html`<p class=${m.ok ? 'ok' : 'error'} role="status" data-testid="hall-result">${m.text}</p>` : nothing;
  }

  #secretBox(): TemplateResult | typeof nothing {
    const s = this.secret;
    if (!s) return nothing;
    return html`<section class="warn" aria-labelledby="secret-title" data-testid="new-secret">
      <h2 id="secret-title">新凭证（只显示这一次）</h2>
      <p>${KIND_LABELS[s.kind] ?? s.kind}${s.counterNo ? `（${s.counterNo} 号窗口）` : ''}，指纹 ${s.fingerprint}。重启后生效；请现在交给设备（或用下方的设备配对，无需抄写）。关闭后无法再次查看。</p>
      <p class="secret" data-testid="new-secret-token">${s.token}</p>
      <button @click=${() => (this.secret = null)}>我已记下，关闭</button>
    </section>`;
  }

  #hallForm(d: Hall): TemplateResult {
    const set = (f: (h: Hall) => void) => {
      const next = structuredClone(d);
      f(next);
      this.draft = next;
    };
    const up = d.upperHall;
    return html`<section aria-labelledby="hall-title" data-testid="hall-settings">
      <h2 id="hall-title">大厅信息</h2>
      <div class="grid">
        ${this.#text('大厅名称', 'hall.name', d.name, (x) => set((h) => (h.name = x)), 'name')}
        ${this.#text('大厅编码', 'hall.code', d.code, (x) => set((h) => (h.code = x)), 'code')}
        <label
          >大厅层级<select data-testid="hall-level" @change=${(e: Event) => set((h) => (h.level = (e.target as HTMLSelectElement).value))}>
            ${LEVELS.map((l) => html`<option ?selected=${l === d.level}>${l}</option>`)}
          </select></label
        >
        ${this.#text('行政区划代码（6 位）', 'hall.regionCode', d.regionCode, (x) => set((h) => (h.regionCode = x)), 'regionCode')}
        ${this.#text('地址', 'hall.address', d.address, (x) => set((h) => (h.address = x)), 'address')}
        ${this.#text('咨询电话', 'hall.phones.consult', d.phones.consult, (x) => set((h) => (h.phones.consult = x)), 'consult')}
        ${this.#text('投诉电话', 'hall.phones.complaint', d.phones.complaint, (x) => set((h) => (h.phones.complaint = x)), 'complaint')}
        ${this.#text('时区', 'hall.timeZone', d.timeZone, (x) => set((h) => (h.timeZone = x)), 'timeZone')}
        ${this.#text('每日清号时间（时:分）', 'hall.dailyResetTime', d.dailyResetTime, (x) => set((h) => (h.dailyResetTime = x)), 'dailyResetTime')}
      </div>
      <fieldset>
        <legend>办公时间</legend>
        ${d.openingHours.map(
          (p, i) => html`<div class="row" data-testid="opening-period">
            <div class="days" role="group" aria-label=${`第 ${i + 1} 段的星期`}>
              ${WEEKDAYS.map(
                (w, k) => html`<label
                  ><input
                    type="checkbox"
                    .checked=${p.weekdays.includes(k + 1)}
                    @change=${(e: Event) =>
                      set((h) => {
                        const days = new Set(h.openingHours[i]!.weekdays);
                        if ((e.target as HTMLInputElement).checked) days.add(k + 1);
                        else days.delete(k + 1);
                        h.openingHours[i]!.weekdays = [...days].sort();
                      })}
                  />周${w}</label
                >`,
              )}
            </div>
            <label>开始<input .value=${p.open} @input=${(e: Event) => set((h) => (h.openingHours[i]!.open = (e.target as HTMLInputElement).value))} /></label>
            <label>结束<input .value=${p.close} @input=${(e: Event) => set((h) => (h.openingHours[i]!.close = (e.target as HTMLInputElement).value))} /></label>
            <button @click=${() => set((h) => h.openingHours.splice(i, 1))}>删除这一段</button>
            ${this.#problemFor(`hall.openingHours[${i}]`)}
          </div>`,
        )}
        <button @click=${() => set((h) => h.openingHours.push({ weekdays: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }))}>添加一段办公时间</button>
        ${this.#problemFor('hall.openingHours')}
      </fieldset>
      <fieldset>
        <legend>上级大厅（本厅不能办理的事项引导至此）</legend>
        <div class="grid">
          ${this.#text('名称', 'hall.upperHall.name', up?.name ?? '', (x) => set((h) => (h.upperHall = { ...(h.upperHall ?? { name: '', level: '市', address: '', phone: '' }), name: x })), 'upper-name')}
          <label
            >层级<select
              @change=${(e: Event) =>
                set(
                  (h) =>
                    (h.upperHall = { ...(h.upperHall ?? { name: '', level: '市', address: '', phone: '' }), level: (e.target as HTMLSelectElement).value }),
                )}
            >
              ${LEVELS.map((l) => html`<option ?selected=${l === (up?.level ?? '市')}>${l}</option>`)}
            </select></label
          >
          ${this.#text('地址', 'hall.upperHall.address', up?.address ?? '', (x) => set((h) => (h.upperHall = { ...(h.upperHall ?? { name: '', level: '市', address: '', phone: '' }), address: x })), 'upper-address')}
          ${this.#text('电话', 'hall.upperHall.phone', up?.phone ?? '', (x) => set((h) => (h.upperHall = { ...(h.upperHall ?? { name: '', level: '市', address: '', phone: '' }), phone: x })), 'upper-phone')}
        </div>
      </fieldset>
      <button class="primary" data-testid="save-hall" ?disabled=${this.busy} @click=${() => void this.#apply('POST', '/console/hall/settings', { hall: this.draft })}>保存大厅信息</button>
    </section>`;
  }

  #countersPanel(v: View): TemplateResult {
    const services = v.services;
    const checks = (prefix: string, selected: readonly string[]) =>
      html`<div class="checks" role="group" aria-label="办理的业务">
        ${services.map((s) => html`<label><input type="checkbox" name=${prefix} value=${s.code} .checked=${selected.includes(s.code)} />${s.name}</label>`)}
      </div>`;
    const picked = (root: Element, prefix: string) => [...root.querySelectorAll<HTMLInputElement>(`input[name="${prefix}"]:checked`)].map((i) => i.value);
    const addCounter = () => {
      const root = this.renderRoot.querySelector('[data-testid="add-counter"]')!;
      const number = Number(root.querySelector<HTMLInputElement>('[data-testid="counter-number"]')!.value);
      const name = root.querySelector<HTMLInputElement>('[data-testid="counter-name"]')!.value.trim();
      void this.#apply('POST', '/console/hall/counters', { number: Number.isInteger(number) ? number : 0, name, services: picked(root, 'new') });
    };
    return html`<section aria-labelledby="counters-title" data-testid="counters">
      <h2 id="counters-title">窗口</h2>
      <table>
        <thead><tr><th>窗口号</th><th>名称</th><th>办理的业务</th><th>操作</th></tr></thead>
        <tbody>
          ${v.counters.map(
            (c) => html`<tr data-testid="counter-row" data-counter=${c.number}>
              <td>${c.number}</td>
              <td><input aria-label=${`${c.number} 号窗口名称`} name="name" .value=${c.name} /></td>
              <td>${checks(`c${c.number}`, c.services)}</td>
              <td>
                <button
                  ?disabled=${this.busy}
                  @click=${(e: Event) => {
                    const row = (e.target as HTMLElement).closest('tr')!;
                    void this.#apply('PUT', `/console/hall/counters/${c.number}`, {
                      name: row.querySelector<HTMLInputElement>('input[name="name"]')!.value.trim(),
                      services: picked(row, `c${c.number}`),
                    });
                  }}
                >
                  保存
                </button>
                <button ?disabled=${this.busy} @click=${() => confirm(`删除 ${c.number} 号窗口？它的令牌随之失效。`) && void this.#apply('DELETE', `/console/hall/counters/${c.number}`)}>删除</button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      <fieldset data-testid="add-counter">
        <legend>新增窗口</legend>
        <div class="row">
          <label>窗口号<input data-testid="counter-number" type="number" min="1" max="999" /></label>
          <label>名称<input data-testid="counter-name" placeholder="例如 7号窗口（异地就医）" /></label>
        </div>
        ${checks('new', [])} ${this.#problemFor('counters')}
        <button class="primary" data-testid="add-counter-button" ?disabled=${this.busy} @click=${addCounter}>新增窗口</button>
      </fieldset>
    </section>`;
  }

  #servicesPanel(v: View): TemplateResult {
    const save = () => {
      const rows = [...this.renderRoot.querySelectorAll<HTMLTableRowElement>('[data-testid="service-row"]')];
      const services = v.services.map((s, i) => {
        const row = rows[i]!;
        const value = (n: string) => row.querySelector<HTMLInputElement>(`input[name="${n}"]`)!.value.trim();
        const group = value('group');
        const { group: _old, ...rest } = s;
        void _old;
        return { ...rest, name: value('name'), prefix: value('prefix'), ...(group ? { group } : {}) };
      });
      const add = this.renderRoot.querySelector('[data-testid="add-service"]')!;
      const nv = (n: string) => add.querySelector<HTMLInputElement>(`input[name="${n}"]`)!.value.trim();
      if (nv('code') || nv('name')) {
        services.push({
          code: nv('code'),
          name: nv('name'),
          prefix: nv('prefix'),
          numberRange: { from: 1, to: 999 },
          averageServiceMinutes: 10,
          priorityReasons: ['elderly', 'disabled', 'pregnant'],
          dailyCap: null,
        });
      }
      void this.#apply('POST', '/console/hall/services', { services });
    };
    return html`<section aria-labelledby="services-title" data-testid="services">
      <h2 id="services-title">业务</h2>
      <table>
        <thead><tr><th>编码</th><th>名称</th><th>号票字母</th><th>取号屏分组</th></tr></thead>
        <tbody>
          ${v.services.map(
            (s) => html`<tr data-testid="service-row">
              <td>${s.code}</td>
              <td><input name="name" aria-label=${`${s.code} 名称`} .value=${s.name} /></td>
              <td><input name="prefix" aria-label=${`${s.code} 号票字母`} size="3" .value=${s.prefix} /></td>
              <td><input name="group" aria-label=${`${s.code} 分组`} .value=${s.group ?? ''} /></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="row" data-testid="add-service">
        <label>新业务编码<input name="code" placeholder="小写字母，如 pension" /></label>
        <label>名称<input name="name" /></label>
        <label>号票字母<input name="prefix" size="3" /></label>
      </div>
      ${this.#problemFor('services')}
      <button class="primary" ?disabled=${this.busy} @click=${save}>保存业务</button>
    </section>`;
  }

  #credentialsPanel(v: View): TemplateResult {
    return html`<section aria-labelledby="credentials-title" data-testid="credentials">
      <h2 id="credentials-title">凭证</h2>
      <p class="hint">令牌在终端上随机生成，只在生成时显示一次；这里只列出指纹。吊销窗口令牌会换成新的令牌，该窗口的设备需要重新配对。</p>
      <table>
        <thead><tr><th>凭证</th><th>类型</th><th>指纹</th><th>操作</th></tr></thead>
        <tbody>
          ${v.credentials.map(
            (c) => html`<tr data-testid="credential-row" data-fingerprint=${c.fingerprint}>
              <td>${c.label}${c.development ? html` <strong>（开发用，上线前须更换）</strong>` : nothing}</td>
              <td>${KIND_LABELS[c.kind]}</td>
              <td><code>${c.fingerprint}</code></td>
              <td>
                ${
                  c.kind === 'counter'
                    ? html`<button ?disabled=${this.busy} @click=${() => void this.#apply('POST', '/console/hall/credentials', { kind: 'counter', counterNo: c.counterNo })}>更换并显示</button>`
                    : nothing
                }
                <button
                  ?disabled=${this.busy}
                  @click=${() => confirm(`吊销“${c.label}”？使用它的设备将无法连接。`) && void this.#apply('DELETE', `/console/hall/credentials/${c.kind}/${c.fingerprint}`)}
                >
                  吊销
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="row">
        <button ?disabled=${this.busy} data-testid="new-hall-server-token" @click=${() => void this.#apply('POST', '/console/hall/credentials', { kind: 'hall-server' })}>生成大厅服务器 / 叫号屏令牌</button>
        <button ?disabled=${this.busy} data-testid="new-terminal-token" @click=${() => void this.#apply('POST', '/console/hall/credentials', { kind: 'terminal' })}>生成终端令牌</button>
      </div>
    </section>`;
  }

  async #pair(): Promise<void> {
    const root = this.renderRoot.querySelector('[data-testid="pairing"]')!;
    const device = this.pairDevice;
    const counter = root.querySelector<HTMLSelectElement>('[data-testid="pair-counter"]');
    const credential = root.querySelector<HTMLSelectElement>('[data-testid="pair-credential"]');
    const body: Record<string, unknown> = { device };
    if (counter) body.counterNo = Number(counter.value);
    if (credential?.value) body.credential = credential.value;
    this.message = null;
    try {
      this.code = await api<PairingCodeReply>('POST', '/console/hall/pairing', body);
    } catch (err) {
      this.message = { ok: false, text: err instanceof ApiError ? err.message : errorText(err) };
    }
  }

  #pairingPanel(v: View): TemplateResult {
    const d = this.pairDevice;
    const needsCounter = d === 'counter' || d === 'evaluator' || d === 'window';
    const kind = d === 'kiosk' ? 'terminal' : d === 'display' || d === 'window' ? 'hall-server' : null;
    const creds = kind ? v.credentials.filter((c) => c.kind === kind) : [];
    const code = this.code;
    return html`<section aria-labelledby="pairing-title" data-testid="pairing">
      <h2 id="pairing-title">设备配对</h2>
      <p class="hint">在要配对的设备上打开它的页面（窗口工作台 /counter.html、评价器 /evaluator.html、窗口显示屏 /window.html、叫号屏 /display.html），在“输入配对码”处输入这里显示的 6 位数字。配对码 5 分钟内有效，只能使用一次。</p>
      <div class="row">
        <label
          >设备类型<select data-testid="pair-device" @change=${(e: Event) => (this.pairDevice = (e.target as HTMLSelectElement).value)}>
            ${DEVICES.map((x) => html`<option value=${x.value} ?selected=${x.value === d}>${x.label}</option>`)}
          </select></label
        >
        ${
          needsCounter
            ? html`<label
              >窗口<select data-testid="pair-counter">
                ${v.counters.map((c) => html`<option value=${c.number}>${c.name}</option>`)}
              </select></label
            >`
            : nothing
        }
        ${
          kind
            ? html`<label
              >交给设备的凭证<select data-testid="pair-credential">
                ${creds.map((c) => html`<option value=${c.fingerprint}>${c.label}（${c.fingerprint}）</option>`)}
              </select></label
            >`
            : nothing
        }
        <button class="primary" data-testid="make-pairing-code" @click=${() => void this.#pair()}>生成配对码</button>
      </div>
      ${
        code
          ? html`<div class="pairing" data-testid="pairing-shown">
            <div>
              <p>请在${DEVICES.find((x) => x.value === code.pairing.device)?.label}${code.pairing.counterNo ? `（${code.pairing.counterNo} 号窗口）` : ''}的页面 ${DEVICE_PAGES[code.pairing.device]} 输入配对码：</p>
              <p class="code" data-testid="pairing-code-shown" aria-label=${`配对码 ${code.code.split('').join(' ')}`}>${code.code}</p>
              <p data-testid="pairing-expires">有效至 ${hallTime(code.pairing.expiresAt, v.hall.timeZone)}（大厅时间，5 分钟内），使用一次后失效。</p>
            </div>
            <kiosk-qr .text=${code.code} label="配对码二维码（扫码枪或摄像头读入）"></kiosk-qr>
            <button @click=${() => void api('DELETE', `/console/hall/pairing/${code.pairing.id}`).then(() => (this.code = null))}>作废</button>
          </div>`
          : nothing
      }
    </section>`;
  }
}

customElements.define('hall-page', HallPage);
