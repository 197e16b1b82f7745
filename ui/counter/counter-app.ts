import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { PRIORITY_LABELS, isPriorityReason } from '../labels.ts';
import { ApiError, CounterApi, type Alert, type Badge, type QueuedAction, type Workstation } from './api.ts';
import { ACTION_BY_KEY, KEYS, type KeyAction } from './keys.ts';
import { styles } from './styles.ts';
import '../pairing-entry.ts';
import type { PairedDetail } from '../pairing-entry.ts';

const TOKEN_KEY = 'hall-kiosk.counter.token';
const SOUND_KEY = 'hall-kiosk.counter.sound';
const POLL_MS = 15_000;
const STATE_TEXT = { open: '服务中', paused: '暂停服务', closed: '未开放' } as const;
const LABELS: Record<KeyAction, string> = {
  'call-next': '叫号',
  recall: '重呼',
  start: '开始办理',
  complete: '办结',
  'no-show': '过号',
  suspend: '挂起',
  resume: '恢复挂起',
  transfer: '转移',
  pause: '暂停服务',
  extended: '延时服务',
  open: '开窗',
  ack: '确认提醒',
};

interface Target {
  readonly label: string;
  readonly detail: string;
  readonly body: { serviceCode?: string; counterNo?: number };
}

/**
 * The counter workstation (窗口工作台, /counter.html): set up once per device with the counter's
 * token, the clerk signs in (the evaluator's staff list and PIN), then runs the window with the
 * buttons or the function keys F1–F12 of a hardware caller. Live over the hall event stream; while
 * the daemon cannot be reached it says so, keeps the pressed actions in a queue with their
 * idempotency keys and sends them when the connection is back, so nothing is lost or done twice.
 */
export class CounterApp extends LitElement {
  static override styles = styles;
  static override properties = {
    ws: { state: true },
    alerts: { state: true },
    online: { state: true },
    queued: { state: true },
    retrying: { state: true },
    error: { state: true },
    notice: { state: true },
    setup: { state: true },
    transferOpen: { state: true },
    sound: { state: true },
  };

  declare ws: Workstation | null;
  declare alerts: readonly Alert[];
  declare online: boolean;
  declare queued: readonly QueuedAction[];
  declare retrying: boolean;
  declare error: string;
  declare notice: string;
  declare setup: boolean;
  declare transferOpen: boolean;
  declare sound: boolean;
  #api: CounterApi | null = null;
  #stop: (() => void) | null = null;
  #poll: ReturnType<typeof setInterval> | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #refreshing = false;
  #again = false;
  #keydown = (e: KeyboardEvent) => this.#onKey(e);

  constructor() {
    super();
    this.ws = null;
    this.alerts = [];
    this.online = false;
    this.queued = [];
    this.retrying = false;
    this.error = '';
    this.notice = '';
    this.setup = true;
    this.transferOpen = false;
    this.sound = localStorage.getItem(SOUND_KEY) === 'on';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.#keydown);
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) void this.#start(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.#keydown);
    this.#stop?.();
    if (this.#poll) clearInterval(this.#poll);
  }

  async #start(token: string): Promise<void> {
    let counterNo: number;
    try {
      counterNo = await CounterApi.identify(token);
    } catch (err) {
      this.setup = true;
      this.error = err instanceof ApiError && (err.status === 401 || err.status === 403) ? '令牌无效，请联系技术人员' : '无法连接服务，请检查网络';
      return;
    }
    localStorage.setItem(TOKEN_KEY, token);
    const api = new CounterApi(token, counterNo);
    this.#api = api;
    this.setup = false;
    this.error = '';
    api.onQueue = (q, retrying) => {
      this.queued = [...q];
      this.retrying = retrying;
    };
    api.onDone = (a) => {
      this.notice = `${a.label}：已完成`;
      this.#refresh();
    };
    api.onFailed = (a, err) => {
      this.error = `${a.label}：${err.message}`;
      this.#refresh();
    };
    this.queued = [...api.queue];
    void api.pump(); // actions left from before a reload
    this.#stop = api.follow(
      (type) => this.#onEvent(type),
      (up) => {
        this.online = up;
        if (up) this.#refresh();
      },
    );
    this.#poll = setInterval(() => this.#refresh(), POLL_MS);
    this.#refresh();
  }

  #onEvent(type: string): void {
    if (type === 'alert.raised' && this.sound && this.ws?.staff) beep();
    this.#refresh();
  }

  /** Doorbell and fetch: any event re-reads the snapshot (at most one request in flight). */
  #refresh(): void {
    if (this.#refreshTimer) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      void this.#load();
    }, 30);
  }

  async #load(): Promise<void> {
    if (!this.#api) return;
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = true;
    try {
      const [ws, alerts] = await Promise.all([this.#api.workstation(), this.#api.alerts()]);
      this.ws = ws;
      this.alerts = alerts.alerts;
    } catch {
      // The banner shows the connection; the next event or poll retries.
    } finally {
      this.#refreshing = false;
      if (this.#again) {
        this.#again = false;
        this.#refresh();
      }
    }
  }

  // ---- actions ----------------------------------------------------------------------------------

  #enabled(a: KeyAction): boolean {
    const ws = this.ws;
    if (!ws?.staff) return false;
    const cur = ws.current;
    const state = ws.counter.state;
    // While actions wait to be sent (or the link is down) this screen does not know the state the
    // daemon will be in: ticket keys are queued anyway, in order; one the daemon refuses is shown.
    const unsure = this.queued.length > 0 || !this.online;
    if (unsure && ['call-next', 'recall', 'start', 'complete', 'no-show', 'suspend'].includes(a)) return true;
    switch (a) {
      case 'call-next':
        return state === 'open' && !cur && ws.waiting.count > 0;
      case 'recall':
        return !!cur && (cur.status === 'called' || cur.status === 'recalled') && cur.recallCount < ws.recallLimit;
      case 'start':
        return !!cur && (cur.status === 'called' || cur.status === 'recalled');
      case 'complete':
      case 'suspend':
      case 'transfer':
        return !!cur;
      case 'no-show':
        return !!cur && (cur.status === 'called' || cur.status === 'recalled');
      case 'resume':
        return ws.suspended.length > 0;
      case 'pause':
        return (state === 'open' && !cur) || state === 'paused';
      case 'extended':
        return true;
      case 'open':
        return state === 'closed' || ((state === 'open' || state === 'paused') && !cur);
      case 'ack':
        return this.alerts.some((x) => !x.acknowledged);
    }
  }

  #press(a: KeyAction): void {
    const ws = this.ws;
    const api = this.#api;
    if (!ws || !api || !this.#enabled(a)) return;
    this.error = '';
    this.notice = '';
    const base = `/counters/${ws.counter.number}`;
    switch (a) {
      case 'transfer':
        this.transferOpen = true;
        return;
      case 'resume':
        api.enqueue('resume', `/tickets/${ws.suspended[0]!.id}/resume`, {}, `恢复 ${ws.suspended[0]!.displayNo}`);
        return;
      case 'pause':
        api.enqueue('pause', `${base}/${ws.counter.state === 'paused' ? 'resume' : 'pause'}`, {}, ws.counter.state === 'paused' ? '恢复服务' : '暂停服务');
        return;
      case 'open':
        api.enqueue('open', `${base}/${ws.counter.state === 'closed' ? 'open' : 'close'}`, {}, ws.counter.state === 'closed' ? '开窗' : '关窗');
        return;
      case 'extended':
        api.enqueue('extended', `${base}/extended`, { on: !ws.counter.extended }, ws.counter.extended ? '结束延时服务' : '延时服务');
        return;
      case 'ack': {
        const open = [...this.alerts].reverse().find((x) => !x.acknowledged);
        if (open) this.#ack(open);
        return;
      }
      default:
        api.enqueue(a, `${base}/${a}`, {}, LABELS[a]);
    }
  }

  #ack(alert: Alert): void {
    this.#api?.enqueue(`ack-${alert.id}`, `/alerts/${alert.id}/acknowledge`, {}, `确认提醒「${alert.kindName}」`);
  }

  #transfer(t: Target): void {
    this.transferOpen = false;
    this.#api?.enqueue('transfer', `/counters/${this.ws!.counter.number}/transfer`, t.body, `转移到${t.label}`);
  }

  #targets(): Target[] {
    const ws = this.ws;
    if (!ws) return [];
    const services = ws.targets.services
      .filter((s) => s.code !== ws.current?.serviceCode)
      .map((s) => ({
        label: s.name,
        detail: `等候 ${s.waiting} 人 · ${s.counters.map((c) => c.name).join('、') || '无窗口办理'}`,
        body: { serviceCode: s.code },
      }));
    const counters = ws.targets.counters.map((c) => ({
      label: c.name,
      detail: `${STATE_TEXT[c.state as keyof typeof STATE_TEXT] ?? c.state} · 办理 ${c.services.map((s) => s.name).join('、')} · 等候 ${c.waiting} 人`,
      body: {
        counterNo: c.number,
        ...(ws.current && !c.services.some((s) => s.code === ws.current!.serviceCode) ? { serviceCode: c.services[0]!.code } : {}),
      },
    }));
    return [...services, ...counters];
  }

  #onKey(e: KeyboardEvent): void {
    if (this.transferOpen) {
      const targets = this.#targets();
      if (e.key === 'Escape') {
        this.transferOpen = false;
        e.preventDefault();
        return;
      }
      const n = Number(e.key);
      if (Number.isInteger(n) && n >= 1 && n <= Math.min(9, targets.length)) {
        e.preventDefault();
        this.#transfer(targets[n - 1]!);
        return;
      }
    }
    const action = ACTION_BY_KEY[e.key];
    if (!action) return;
    e.preventDefault(); // F1 help, F5 reload, F11 full screen… belong to the caller here
    if (e.repeat) return;
    this.#press(action);
  }

  async #signIn(): Promise<void> {
    const root = this.renderRoot;
    const staffId = ((root.querySelector('[data-testid=staff-id]') as HTMLInputElement | HTMLSelectElement | null)?.value ?? '').trim();
    const pin = ((root.querySelector('[data-testid=staff-pin]') as HTMLInputElement | null)?.value ?? '').trim();
    const staffName = ((root.querySelector('[data-testid=staff-name]') as HTMLInputElement | null)?.value ?? '').trim();
    if (!staffId) {
      this.error = '请输入工号';
      return;
    }
    try {
      await this.#api!.signIn({ staffId, ...(pin ? { pin } : {}), ...(staffName ? { staffName } : {}) });
      this.error = '';
      await this.#load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : '签到失败';
    }
  }

  async #signOut(): Promise<void> {
    try {
      await this.#api!.signOut();
      await this.#load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : '签退失败';
    }
  }

  // ---- render -----------------------------------------------------------------------------------

  override render(): TemplateResult {
    if (this.setup) return this.#setup();
    const ws = this.ws;
    if (!ws) return html`<p class="muted" data-testid="loading">正在连接…</p>`;
    // Landmarks: counter.html puts the element in <main>.
    return html`
      ${this.#bar(ws)}
      ${ws.staff ? this.#main(ws) : this.#signInForm(ws)}
      ${this.transferOpen ? this.#transferDialog() : nothing}
    `;
  }

  #setup(): TemplateResult {
    return html`<div class="center" data-testid="setup">
      <h1>窗口工作台设置</h1>
      <p class="muted">请大厅管理员在维护台生成配对码后在此输入，或输入本窗口的令牌（每台设备设置一次）</p>
      <pairing-entry device="counter" @paired=${(e: CustomEvent<PairedDetail>) => void this.#start(e.detail.token)}></pairing-entry>
      <input type="password" data-testid="token" aria-label="窗口令牌" @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.#saveToken()} />
      <button class="primary" data-testid="save-token" @click=${() => this.#saveToken()}>保存</button>
      <div class="error" role="alert">${this.error}</div>
    </div>`;
  }

  #saveToken(): void {
    void this.#start((this.renderRoot.querySelector('[data-testid=token]') as HTMLInputElement).value.trim());
  }

  #bar(ws: Workstation): TemplateResult {
    const down = !this.online || this.retrying;
    return html`<div class="bar">
      ${
        ws.staff
          ? html`<h1 class="name" data-testid="counter-name">${ws.counter.name}</h1>`
          : html`<span class="name" data-testid="counter-name">${ws.counter.name}</span>`
      }
      <span class="state ${ws.counter.state}" data-testid="counter-state">${STATE_TEXT[ws.counter.state]}</span>
      ${ws.counter.extended ? html`<span class="ext" data-testid="extended">延时服务</span>` : nothing}
      <span class="grow"></span>
      ${
        down
          ? html`<span class="offline" role="alert" data-testid="offline">连接中断，正在重连…${this.queued.length ? `（${this.queued.length} 项操作待发送，恢复后自动完成）` : ''}</span>`
          : this.queued.length
            ? html`<span class="muted" data-testid="sending">正在发送 ${this.queued.length} 项操作…</span>`
            : nothing
      }
      <label class="muted"><input type="checkbox" data-testid="sound" .checked=${this.sound} @change=${(e: Event) => {
        this.sound = (e.target as HTMLInputElement).checked;
        localStorage.setItem(SOUND_KEY, this.sound ? 'on' : 'off');
      }} /> 提示音</label>
      ${
        ws.staff
          ? html`<span data-testid="staff">工作人员：${ws.staff.staffName}（工号 ${ws.staff.staffId}）</span><button data-testid="sign-out" @click=${() => void this.#signOut()}>签退</button>`
          : nothing
      }
    </div>`;
  }

  #signInForm(ws: Workstation): TemplateResult {
    const list = ws.staffList;
    return html`<div class="center" data-testid="sign-in">
      <h1>工作人员签到</h1>
      <p class="muted">签到后，本窗口的评价将记在您名下</p>
      ${
        list.length
          ? html`<label>工作人员 <select data-testid="staff-id">${list.map((s) => html`<option value=${s.staffId}>${s.staffName}（${s.staffId}）</option>`)}</select></label>`
          : html`<label>工号 <input data-testid="staff-id" maxlength="32" /></label><label>姓名 <input data-testid="staff-name" maxlength="30" /></label>`
      }
      <label>密码 <input type="password" inputmode="numeric" data-testid="staff-pin" maxlength="12" @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.#signIn()} /></label>
      <button class="primary" data-testid="sign-in-button" @click=${() => void this.#signIn()}>签到</button>
      <div class="error" role="alert" data-testid="error">${this.error}</div>
    </div>`;
  }

  #main(ws: Workstation): TemplateResult {
    return html`<div class="grid">
      <div>
        ${this.#current(ws)}
        ${this.#actions(ws)}
        <div class="error" role="alert" data-testid="error">${this.error}</div>
        <div class="ok" role="status" data-testid="notice">${this.notice}</div>
        ${this.#waiting(ws)}
      </div>
      <div>
        ${this.#alerts()}
        ${this.#side(ws)}
      </div>
    </div>`;
  }

  #current(ws: Workstation): TemplateResult {
    const t = ws.current;
    if (!t) {
      return html`<section data-testid="current"><h2>当前号</h2>
        <div class="sub" data-testid="current-empty">${ws.counter.state === 'open' ? (ws.waiting.count ? `有 ${ws.waiting.count} 人等候，按 F1 叫号` : '暂无等候') : ws.counter.state === 'paused' ? '暂停服务中（F9 恢复）' : '窗口未开放（F11 开窗）'}</div>
      </section>`;
    }
    return html`<section data-testid="current"><h2>当前号</h2>
      <div class="no" data-testid="current-no">${t.displayNo}</div>
      <div class="sub"><span data-testid="current-service">${t.serviceName}</span> · 已等候 <span data-testid="current-waited">${t.waitedMinutes}</span> 分钟 ·
        <span data-testid="current-status">${t.status === 'serving' ? '办理中' : '已叫号'}</span> · 重呼 <span data-testid="recall-count">${t.recallCount}/${ws.recallLimit}</span>
        ${t.transferredFrom ? html` · 由「${t.transferredFrom}」转来` : nothing}</div>
      <div data-testid="badges">${t.badges.map(badge)}</div>
      ${
        t.checklist
          ? html`<div data-testid="checklist"><h2>一次性告知（群众已勾选）</h2><ul>${t.checklist.map((c) => html`<li>${c.checked ? '☑' : '☐'} ${c.name}</li>`)}</ul></div>`
          : nothing
      }
    </section>`;
  }

  #actions(ws: Workstation): TemplateResult {
    const pending = new Set(this.queued.map((q) => q.action));
    const label = (a: KeyAction): string => {
      if (a === 'pause') return ws.counter.state === 'paused' ? '恢复服务' : '暂停服务';
      if (a === 'open') return ws.counter.state === 'closed' ? '开窗' : '关窗';
      if (a === 'extended') return ws.counter.extended ? '结束延时' : '延时服务';
      return LABELS[a];
    };
    return html`<section data-testid="actions"><div class="actions">
      ${(Object.keys(KEYS) as KeyAction[]).map(
        (
          a,
        ) => html`<button class="${a === 'call-next' ? 'primary' : ''} ${pending.has(a) ? 'pending' : ''}" data-action=${a} ?disabled=${!this.#enabled(a) || pending.has(a)} @click=${() => this.#press(a)}>
          ${label(a)}<span class="key">${KEYS[a]}</span></button>`,
      )}
    </div></section>`;
  }

  #waiting(ws: Workstation): TemplateResult {
    return html`<section data-testid="waiting"><h2>等候队列 · <span data-testid="waiting-count">${ws.waiting.count}</span> 人 · 最长等候 <span data-testid="longest-wait">${ws.waiting.longestWaitMinutes}</span> 分钟</h2>
      <div class="muted">${ws.counter.services.map((s) => `${s.name} ${s.waiting} 人`).join(' · ')}</div>
      <table>${ws.waiting.tickets
        .slice(0, 12)
        .map(
          (t) =>
            html`<tr data-testid="waiting-row"><td><b>${t.displayNo}</b></td><td>${t.serviceName}</td><td>${t.waitedMinutes} 分钟</td><td>${t.badges.map(badge)}${t.assignedHere ? html`<span class="badge appointment">指定本窗口</span>` : nothing}</td></tr>`,
        )}</table>
    </section>`;
  }

  #alerts(): TemplateResult {
    return html`<section data-testid="alerts"><h2>工作人员提醒（F12 确认最早一条）</h2>
      ${
        this.alerts.length
          ? this.alerts.slice(0, 10).map(
              (a) => html`<div class="alert ${a.acknowledged ? '' : 'open'}" data-testid="alert" data-alert=${a.id} data-kind=${a.kind}>
              <span class="msg">【${a.kindName}】${a.message}</span>
              ${
                a.acknowledged
                  ? html`<span class="muted" data-testid="acked">已由${a.acknowledged.staffName ?? ''}${a.acknowledged.counterNo ? `（${a.acknowledged.counterNo}号窗口）` : ''}确认</span>`
                  : html`<button data-testid="ack" @click=${() => this.#ack(a)}>我去处理</button>`
              }
            </div>`,
            )
          : html`<p class="muted">暂无提醒</p>`
      }
    </section>`;
  }

  #side(ws: Workstation): TemplateResult {
    const f = ws.today;
    return html`
      ${
        ws.suspended.length
          ? html`<section data-testid="suspended"><h2>挂起的号（F7 恢复第一个）</h2>${ws.suspended.map(
              (t) =>
                html`<div>${t.displayNo} ${t.serviceName} <button data-testid="resume-${t.displayNo}" @click=${() => this.#api?.enqueue(`resume-${t.id}`, `/tickets/${t.id}/resume`, {}, `恢复 ${t.displayNo}`)}>恢复</button></div>`,
            )}</section>`
          : nothing
      }
      ${
        ws.noShows.length
          ? html`<section data-testid="no-shows"><h2>过号（可重新排队 ${ws.requeueLimit} 次）</h2>${ws.noShows
              .slice(0, 6)
              .map(
                (t) =>
                  html`<div>${t.displayNo} ${t.serviceName} ${
                    t.requeueCount < ws.requeueLimit
                      ? html`<button data-testid="requeue-${t.displayNo}" @click=${() => this.#api?.enqueue(`requeue-${t.id}`, `/tickets/${t.id}/requeue`, {}, `${t.displayNo} 过号重排`)}>重新排队</button>`
                      : html`<span class="muted">已重排</span>`
                  }</div>`,
              )}</section>`
          : nothing
      }
      <section data-testid="today"><h2>本窗口今日</h2>
        ${
          f
            ? html`<div class="figures">
              <span>叫号<b data-testid="fig-called">${f.called}</b></span><span>办结<b data-testid="fig-completed">${f.completed}</b></span>
              <span>过号<b data-testid="fig-no-show">${f.noShow}</b></span><span>重呼<b data-testid="fig-recalled">${f.recalled}</b></span>
              <span>挂起<b>${f.suspended}</b></span><span>转出<b>${f.transferredOut}</b></span><span>转入<b>${f.transferredIn}</b></span>
              <span>办理中位数<b>${f.serviceMedianMinutes ?? '—'} 分</b></span>
            </div>`
            : nothing
        }
      </section>
      <section data-testid="last-evaluation"><h2>最近一次评价</h2>
        ${ws.lastEvaluation ? html`<span class=${ws.lastEvaluation.bad ? 'error' : 'ok'}>${ws.lastEvaluation.displayNo ?? ''} ${ws.lastEvaluation.level}</span>` : html`<span class="muted">今日暂无评价</span>`}
      </section>`;
  }

  #transferDialog(): TemplateResult {
    const targets = this.#targets();
    return html`<div class="dialog" role="dialog" aria-label="转移" data-testid="transfer-dialog"><div>
      <h2>转移 ${this.ws?.current?.displayNo ?? ''}：按数字键选择，Esc 取消</h2>
      ${targets
        .slice(0, 9)
        .map(
          (t, i) =>
            html`<button class="target" data-testid="target" data-target=${t.label} @click=${() => this.#transfer(t)}><span class="n">${i + 1}</span>${t.label} <span class="muted">${t.detail}</span></button>`,
        )}
      <button data-testid="transfer-cancel" @click=${() => (this.transferOpen = false)}>取消（Esc）</button>
    </div></div>`;
  }
}

function badge(b: Badge): TemplateResult {
  if (b.kind === 'appointment') return html`<span class="badge appointment" data-badge="appointment">预约</span>`;
  const reason = b.reason && isPriorityReason(b.reason) ? PRIORITY_LABELS[b.reason] : (b.reason ?? '');
  return html`<span class="badge ${b.verified ? '' : 'unverified'}" data-badge=${b.verified ? 'priority' : 'unverified'}>绿色通道 · ${reason}${b.verified ? '' : '（自行声明，待窗口核验）'}</span>`;
}

/** A short two-tone chime (optional, per device): no audio file to load. */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.connect(gain).connect(ctx.destination);
    gain.gain.value = 0.15;
    osc.frequency.setValueAtTime(880, ctx.currentTime);
    osc.frequency.setValueAtTime(660, ctx.currentTime + 0.15);
    osc.start();
    osc.stop(ctx.currentTime + 0.3);
    osc.onended = () => void ctx.close();
  } catch {
    /* no audio device */
  }
}

customElements.define('counter-app', CounterApp);
