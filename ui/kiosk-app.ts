import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { wedgeBurstDetector } from './wedge.ts';
import { API_BASE, ApiError, del, errorText, get, post, postIdempotent, requestId } from './api.ts';
import { hallDate, hallTime } from './hall-time.ts';
import type { KioskContext, Screen } from './context.ts';
import { speak, stopSpeaking } from './speech.ts';
import { shared } from './styles.ts';
import type { DeviceKind, Identity, KioskInfo, KioskStatus, ScanResult, SelfServiceItem, Ticket, TicketResult } from './types.ts';
import './kiosk-home.ts';
import './kiosk-take.ts';
import './kiosk-checkin.ts';
import './kiosk-ticket.ts';
import { forgetGuideSearch } from './kiosk-guides.ts';
import './kiosk-guide-item.ts';
import './kiosk-lookup.ts';
import './kiosk-evaluate.ts';
import './kiosk-self-evaluate.ts';

const STATUS_POLL_MS = 10_000;
const OFFLINE_RETRY_MS = 2_000;
const SESSION_POLL_MS = 3_000;
/** Screens that read the inserted ID card; elsewhere no identity is held in memory. */
const IDENTITY_SCREENS: ReadonlySet<Screen> = new Set<Screen>(['take', 'checkin', 'guide']);

const PROMPTS: Readonly<Record<Screen, string>> = {
  home: '您好，欢迎您！请问您需要办理什么业务？请点击屏幕上的按钮。',
  take: '请选择您要办理的业务。插入身份证可以识别身份，老年人可走绿色通道。',
  checkin: '请将预约二维码对准扫码口，或插入身份证后点击使用身份证签到。',
  ticket: '取号成功。请把您的号票拿好，留意叫号。',
  guides: '请输入或选择您要查询的事项。',
  guide: '请查看办事指南，勾选您已经备齐的材料。',
  lookup: '请将号票上的二维码对准扫码口，或输入号码查询。',
  evaluate: '请将号票上的二维码对准扫码口，或输入号票上的号码，对窗口服务进行评价。',
};

const DEVICE_BANNERS: Readonly<Record<DeviceKind, string>> = {
  printer: '打印机暂时无法打印，取号后号码会显示在屏幕上，请记下号码或用手机拍下二维码。',
  idcard: '身份证读卡器暂时不可用，您仍可直接取号。',
  scanner: '扫码器暂时不可用，预约签到请使用身份证或到窗口办理。',
  dispenser: '号票出票口暂时不可用，请以屏幕上显示的号码为准。',
};

/**
 * The kiosk shell: header (hall, clock, 长辈模式, 朗读, 呼叫工作人员), device banners, the current
 * screen, idle handling, live updates (SSE + polling) and the 系统维护中 overlay while the daemon
 * is unreachable. Screens get the shell as their `ctx` (KioskContext).
 */
export class KioskApp extends LitElement implements KioskContext {
  static override properties = {
    info: { state: true },
    status: { state: true },
    identity: { state: true },
    elder: { state: true },
    screen: { state: true },
    ticketResult: { state: true },
    lookupTicket: { state: true },
    guideId: { state: true },
    offline: { state: true },
    toastMessage: { state: true },
    toastKind: { state: true },
    idleLeft: { state: true },
    now: { state: true },
    busy: { state: true },
    selfEvaluation: { state: true },
  };

  declare info: KioskInfo | null;
  declare status: KioskStatus | null;
  declare identity: Identity | null;
  declare elder: boolean;
  declare screen: Screen;
  declare ticketResult: TicketResult | null;
  declare lookupTicket: Ticket | null;
  declare guideId: string | null;
  declare offline: boolean;
  declare toastMessage: string;
  declare toastKind: 'ok' | 'warn' | 'error';
  /** Seconds left before returning home, while the 还需要更多时间吗 prompt is up; null otherwise. */
  declare idleLeft: number | null;
  declare now: Date;
  declare busy: boolean;
  /** The self-service task the short evaluation panel asks about; null when it is closed. */
  declare selfEvaluation: SelfServiceItem | null;

  #prompt = PROMPTS.home;
  #history: Screen[] = [];
  #lastActivity = Date.now();
  #timers: number[] = [];
  #statusTimer = 0;
  #toastTimer = 0;
  #events: EventSource | null = null;
  #eventsRetry = 0;
  #statusDebounce = 0;
  #wedge = wedgeBurstDetector();
  #alerted = new Set<string>();
  /** The self-service evaluation was already offered during this visit (reset at home). */
  #selfEvaluationOffered = false;
  #idleTimedOut = false;

  constructor() {
    super();
    this.info = null;
    this.status = null;
    this.identity = null;
    this.elder = false;
    this.screen = 'home';
    this.ticketResult = null;
    this.lookupTicket = null;
    this.guideId = null;
    this.offline = false;
    this.toastMessage = '';
    this.toastKind = 'ok';
    this.idleLeft = null;
    this.now = new Date();
    this.busy = false;
    this.selfEvaluation = null;
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; height: 100%; color: var(--text); }
      header { display: flex; align-items: center; gap: 0.6rem; padding: 0.5rem 1rem; background: var(--blue); color: #fff; flex-wrap: wrap; }
      header .hall { flex: 1 1 12rem; min-width: 0; }
      header h1 { font-size: 1.15rem; }
      header .clock { font-size: 0.9rem; }
      header button { border-color: #fff; background: transparent; color: #fff; }
      header button[aria-pressed='true'] { background: #fff; color: var(--blue); }
      header button.assist { background: #fff; color: var(--red); border-color: #fff; font-weight: bold; }
      nav { display: flex; gap: 0.6rem; padding: 0.5rem 1rem 0; }
      .banners { padding: 0.4rem 1rem 0; display: flex; flex-direction: column; gap: 0.4rem; }
      main { flex: 1; overflow-y: auto; padding: 0.6rem 1rem 1rem; }
      footer { padding: 0.3rem 1rem; font-size: 0.8rem; color: var(--muted); background: #e7edf4; }
      .overlay { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.6); display: flex; align-items: center; justify-content: center; z-index: 10; }
      .dialog { background: #fff; border-radius: 0.6rem; padding: 1.5rem; max-width: 90vw; width: 30rem; display: flex; flex-direction: column; gap: 1rem; text-align: center; }
      .dialog .big { font-size: 1.6rem; font-weight: bold; }
      .self-eval { border-top: 3px solid var(--blue); background: var(--blue-light); padding: 0.6rem 1rem; }
      /* Keeps toasts off the self-service evaluation panel's buttons. */
      .toast.raised { bottom: auto; top: 40%; }
      .toast { position: fixed; left: 50%; bottom: 2.5rem; transform: translateX(-50%); z-index: 11; max-width: 90vw; font-size: 1.05rem; box-shadow: 0 0.2rem 0.8rem rgba(0,0,0,0.3); }
      input.wedge { position: absolute; left: -9999px; width: 1px; height: 1px; opacity: 0; }
    `,
  ];

  // ---- KioskContext ---------------------------------------------------------------------------

  go(screen: Screen, params: { guideId?: string; ticket?: Ticket | null } = {}): void {
    // Going anywhere else closes the self-service evaluation panel (recorded as skipped).
    if (screen !== this.screen) this.selfEvaluation = null;
    if (screen === 'home') {
      this.#history = [];
      this.#selfEvaluationOffered = false;
    }
    else if (screen !== this.screen) this.#history.push(this.screen);
    if (params.guideId !== undefined) this.guideId = params.guideId;
    if (params.ticket !== undefined) this.lookupTicket = params.ticket;
    this.screen = screen;
    this.#prompt = PROMPTS[screen];
    if (IDENTITY_SCREENS.has(screen)) void this.refreshSession();
    else if (screen !== 'ticket') this.identity = null;
    if (screen === 'home') {
      forgetGuideSearch();
      void this.#endSession();
    }
  }

  back(): void {
    const prev = this.#history.pop();
    if (!prev || prev === 'ticket') this.go('home');
    else {
      this.screen = prev;
      this.#prompt = PROMPTS[prev];
    }
  }

  showTicket(result: TicketResult): void {
    this.ticketResult = result;
    this.go('ticket');
    const t = result.ticket;
    const done = t.appointment ? (result.existing ? '您已签到。' : '预约签到成功。') : result.existing ? '您已取过号。' : '取号成功。';
    this.#prompt = `${done}您的号码是 ${spellNo(t.displayNo)}，${
      t.peopleAhead != null ? `前面还有 ${t.peopleAhead} 人。` : ''
    }${result.print.ok ? '请取走号票，' : '号票暂时无法打印，请记下屏幕上的号码，'}留意叫号。请把您的证件和单据拿好。`;
    if (this.elder) void speak(this.#prompt);
    if (!result.print.ok) this.#alertStaff(`print-failed:${t.id}`, 'ticket-print-failed');
  }

  toast(message: string, kind: 'ok' | 'warn' | 'error' = 'ok'): void {
    this.toastMessage = message;
    this.toastKind = kind;
    clearTimeout(this.#toastTimer);
    this.#toastTimer = window.setTimeout(() => (this.toastMessage = ''), 6000);
  }

  setPrompt(text: string): void {
    this.#prompt = text;
  }

  get prompt(): string {
    return this.#prompt;
  }

  get idleTimedOut(): boolean {
    return this.#idleTimedOut;
  }

  finishSelfService(item: SelfServiceItem): void {
    const offer = !this.#selfEvaluationOffered;
    this.go('home');
    // On home the panel ends the visit: the next citizen's task may offer it again.
    if (offer && this.info?.features.evaluation) this.selfEvaluation = item;
  }

  offerSelfEvaluation(item: SelfServiceItem): void {
    if (this.#selfEvaluationOffered || !this.info?.features.evaluation) return;
    this.#selfEvaluationOffered = true;
    this.selfEvaluation = item;
  }

  closeSelfEvaluation(): void {
    this.selfEvaluation = null;
  }

  async refreshSession(): Promise<void> {
    try {
      const { identity } = await get<{ identity: Identity | null }>('/session', { timeoutMs: 4000 });
      // Identity only matters (and is only kept) on the screens that use it.
      this.identity = IDENTITY_SCREENS.has(this.screen) ? identity : null;
    } catch {
      /* the status poll reports connectivity; keep what we have */
    }
  }

  async takeTicket(serviceCode: string, priorityReason: string | null = null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const result = await postIdempotent<TicketResult>(
        '/tickets',
        { serviceCode, priorityReason, useIdentity: this.identity !== null, requestId: requestId() },
        { timeoutMs: 15_000 },
      );
      this.showTicket(result);
    } catch (e) {
      this.toast(errorText(e), 'error');
    } finally {
      this.busy = false;
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const) window.addEventListener(type, this.#onActivity, { capture: true, passive: true });
    window.addEventListener('keydown', this.#onKey, { capture: true });
    this.#timers.push(window.setInterval(() => this.#tick(), 1000));
    this.#timers.push(window.setInterval(() => {
      if (IDENTITY_SCREENS.has(this.screen)) void this.refreshSession();
    }, SESSION_POLL_MS));
    void this.#boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const) window.removeEventListener(type, this.#onActivity, { capture: true });
    window.removeEventListener('keydown', this.#onKey, { capture: true });
    this.#timers.forEach((t) => clearInterval(t));
    clearTimeout(this.#statusTimer);
    this.#events?.close();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Screens removed by the idle reset have read it in their disconnectedCallback by now.
    this.#idleTimedOut = false;
    if (changed.has('elder')) document.documentElement.classList.toggle('elder', this.elder);
    if (changed.has('screen')) {
      const main = this.renderRoot.querySelector('main');
      if (main) main.scrollTop = 0;
      if (this.elder && this.screen !== 'ticket') void speak(this.#prompt);
      this.#focusWedge();
    }
  }

  async #boot(): Promise<void> {
    try {
      this.info = await get<KioskInfo>('/info', { timeoutMs: 5000 });
      this.offline = false;
      this.#connectEvents();
      await this.#pollStatus();
    } catch {
      this.offline = true;
      this.#statusTimer = window.setTimeout(() => void this.#boot(), OFFLINE_RETRY_MS);
    }
  }

  async #pollStatus(): Promise<void> {
    clearTimeout(this.#statusTimer);
    try {
      this.status = await get<KioskStatus>('/status', { timeoutMs: 5000 });
      if (this.offline) {
        this.offline = false;
        void this.#boot();
        return;
      }
    } catch (e) {
      if (e instanceof ApiError && e.unreachable) this.offline = true;
    }
    this.#statusTimer = window.setTimeout(() => void this.#pollStatus(), this.offline ? OFFLINE_RETRY_MS : STATUS_POLL_MS);
  }

  /**
   * At most one status refresh per 300 ms. A throttle, not a debounce: in a busy hall events arrive
   * faster than that all day, and a debounce would never fire.
   */
  #scheduleStatus(): void {
    if (this.#statusDebounce) return;
    this.#statusDebounce = window.setTimeout(() => {
      this.#statusDebounce = 0;
      void this.#pollStatus();
    }, 300);
  }

  #connectEvents(): void {
    this.#events?.close();
    clearTimeout(this.#eventsRetry);
    const es = new EventSource(`${API_BASE}/events`);
    this.#events = es;
    es.addEventListener('session', () => {
      if (IDENTITY_SCREENS.has(this.screen)) void this.refreshSession();
    });
    es.addEventListener('session-rejected', (ev) => {
      try {
        const { message } = JSON.parse((ev as MessageEvent<string>).data) as { message?: string };
        if (message && IDENTITY_SCREENS.has(this.screen)) this.toast(message, 'warn');
      } catch {
        /* ignore malformed events */
      }
    });
    for (const type of ['queue', 'device', 'ticket-taken']) es.addEventListener(type, () => this.#scheduleStatus());
    es.addEventListener('scan', (ev) => {
      try {
        const data = JSON.parse((ev as MessageEvent<string>).data) as ScanResult & { scan?: ScanResult };
        void this.#handleScan(data.scan ?? data, data.text ?? data.code ?? null);
      } catch {
        /* ignore malformed events */
      }
    });
    es.onerror = () => {
      // EventSource retries by itself while the stream is merely interrupted; when it gives up
      // (daemon down, 404) reconnect later ourselves.
      if (es.readyState === EventSource.CLOSED) {
        this.#scheduleStatus();
        this.#eventsRetry = window.setTimeout(() => this.#connectEvents(), 5000);
      }
    };
  }

  // ---- idle ------------------------------------------------------------------------------------

  /** Any touch or key restarts the idle clock; the prompt closes on the next tick (not mid-tap). */
  #onActivity = (): void => {
    this.#lastActivity = Date.now();
  };

  #moreTime(): void {
    this.#lastActivity = Date.now();
    this.idleLeft = null;
  }

  #tick(): void {
    this.now = new Date();
    const timeout = this.info?.ui.idleTimeoutSeconds ?? 90;
    const needsWatch = this.screen !== 'home' || this.identity !== null || this.ticketResult !== null || this.elder || this.selfEvaluation !== null;
    if (!needsWatch) {
      this.idleLeft = null;
      return;
    }
    const warn = Math.min(30, Math.max(5, Math.floor(timeout / 3)));
    const idle = (Date.now() - this.#lastActivity) / 1000;
    if (idle >= timeout) void this.resetToHome(true);
    else if (idle < timeout - warn) this.idleLeft = null;
    else {
      const left = Math.ceil(timeout - idle);
      if (this.idleLeft === null) void speak('还需要更多时间吗？');
      this.idleLeft = left;
    }
  }

  /**
   * Back to the welcome screen with nothing of the last citizen left in memory or the DOM.
   * `timedOut`: the idle timeout, not the citizen, ended the visit (open evaluations → 'timeout').
   */
  async resetToHome(timedOut = false): Promise<void> {
    this.#idleTimedOut = timedOut;
    stopSpeaking();
    this.idleLeft = null;
    this.identity = null;
    this.ticketResult = null;
    this.lookupTicket = null;
    this.guideId = null;
    this.selfEvaluation = null;
    this.toastMessage = '';
    this.elder = false;
    this.#wedge.reset();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input.wedge');
    if (input) input.value = '';
    this.#lastActivity = Date.now();
    this.go('home');
  }

  async #endSession(): Promise<void> {
    this.identity = null;
    this.ticketResult = null;
    this.lookupTicket = null;
    try {
      await del('/session', { timeoutMs: 4000 });
    } catch {
      /* nothing to clear, or offline: the daemon clears sessions on its side too */
    }
  }

  // ---- scanning --------------------------------------------------------------------------------

  #onKey = (ev: KeyboardEvent): void => {
    const verdict = this.#wedge.push(ev.key, ev.timeStamp);
    if (verdict.kind !== 'scan') return;
    ev.preventDefault();
    ev.stopPropagation();
    // Remove what the burst typed into whatever field had the focus.
    const target = ev.composedPath()[0];
    if (target instanceof HTMLInputElement && target.value.endsWith(verdict.text)) {
      target.value = target.value.slice(0, -verdict.text.length);
      target.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    void this.#scanned(verdict.text);
  };

  async #scanned(text: string): Promise<void> {
    try {
      const result = await post<ScanResult>('/scan', { text });
      await this.#handleScan(result, text);
    } catch (e) {
      this.toast(errorText(e), 'error');
    }
  }

  async #handleScan(result: ScanResult, text: string | null): Promise<void> {
    this.#moreTime();
    switch (result.kind) {
      case 'ticket': {
        // On the 评价 screen a scanned ticket is the one to evaluate; anywhere else it is looked up.
        const target = this.screen === 'evaluate' ? 'evaluate' : 'lookup';
        if (result.ticket) this.go(target, { ticket: result.ticket });
        else if (text) {
          try {
            const { ticket } = await get<{ ticket: Ticket }>(`/tickets/lookup?code=${encodeURIComponent(text)}`);
            this.go(target, { ticket });
          } catch (e) {
            this.toast(errorText(e), 'warn');
          }
        } else {
          // Serial/HID scans arrive over SSE without the ticket: ask for the number instead.
          this.go(target, { ticket: null });
          this.toast(result.message ?? '已识别号票，请输入号票上的号码查询', 'ok');
        }
        return;
      }
      case 'appointment':
        try {
          const code = result.appointmentCode ?? text;
          const r = await postIdempotent<TicketResult>('/appointments/check-in', code ? { code } : {}, { timeoutMs: 15_000 });
          this.showTicket(r);
        } catch (e) {
          this.toast(errorText(e), 'error');
        }
        return;
      case 'insurance-voucher':
        this.toast(result.message ?? '已识别医保电子凭证，请选择业务后取号', 'ok');
        if (this.screen === 'home') this.go('take');
        return;
      default:
        this.toast(result.message ?? '无法识别该二维码，请确认后重试', 'warn');
    }
  }

  #focusWedge(): void {
    const active = this.shadowRoot?.activeElement ?? document.activeElement;
    if (!active || active === document.body) this.renderRoot.querySelector<HTMLInputElement>('input.wedge')?.focus({ preventScroll: true });
  }

  // ---- actions ---------------------------------------------------------------------------------

  async #assist(): Promise<void> {
    try {
      await post('/assistance', { screen: this.screen });
      this.toast('已通知工作人员，请您稍候，工作人员马上就到。', 'ok');
      if (this.elder) void speak('已通知工作人员，请您稍候。');
    } catch (e) {
      this.toast(`${errorText(e)}。您也可以直接到咨询台寻求帮助。`, 'error');
    }
  }

  #alertStaff(key: string, screen: string): void {
    if (this.#alerted.has(key)) return;
    this.#alerted.add(key);
    void post('/assistance', { screen }).catch(() => undefined);
  }

  #toggleElder(): void {
    this.elder = !this.elder;
    if (this.elder) void speak(`已进入长辈模式，字体已放大。${this.#prompt}`);
    else stopSpeaking();
  }

  // ---- render ----------------------------------------------------------------------------------

  #clock(): string {
    const zone = this.info?.hall.timeZone;
    return `${hallDate(this.now, zone)} ${hallTime(this.now, zone)}`;
  }

  #banners(): TemplateResult[] {
    const devices = this.status?.devices ?? {};
    const out: TemplateResult[] = [];
    for (const kind of ['printer', 'idcard', 'scanner', 'dispenser'] as const) {
      const d = devices[kind];
      if (!d || d.state === 'ready' || d.state === 'busy' || d.state === 'off') {
        for (const w of d?.warnings ?? []) if (kind === 'printer') out.push(html`<div class="warn" role="status" data-banner=${`${kind}-warning`}>${chinese(w.message, '打印纸即将用完，已通知工作人员。')}</div>`);
        continue;
      }
      const detail = chinese(d.message, '');
      out.push(html`<div class="warn" role="alert" data-banner=${kind}>${detail ? `${detail}。` : ''}${DEVICE_BANNERS[kind]}</div>`);
    }
    return out;
  }

  #renderScreen(): TemplateResult {
    switch (this.screen) {
      case 'take':
        return html`<kiosk-take .ctx=${this} .info=${this.info} .status=${this.status} .identity=${this.identity} .busy=${this.busy}></kiosk-take>`;
      case 'checkin':
        return html`<kiosk-checkin .ctx=${this} .identity=${this.identity}></kiosk-checkin>`;
      case 'ticket':
        return this.ticketResult
          ? html`<kiosk-ticket .ctx=${this} .result=${this.ticketResult} .printer=${this.status?.devices.printer ?? null}></kiosk-ticket>`
          : html``;
      case 'guides':
        return html`<kiosk-guides .ctx=${this}></kiosk-guides>`;
      case 'guide':
        return html`<kiosk-guide-item .ctx=${this} .guideId=${this.guideId} .info=${this.info} .busy=${this.busy}></kiosk-guide-item>`;
      case 'lookup':
        return html`<kiosk-lookup .ctx=${this} .ticket=${this.lookupTicket}></kiosk-lookup>`;
      case 'evaluate':
        return html`<kiosk-evaluate .ctx=${this} .ticket=${this.lookupTicket}></kiosk-evaluate>`;
      default:
        return html`<kiosk-home .ctx=${this} .info=${this.info} .status=${this.status}></kiosk-home>`;
    }
  }

  protected override render(): TemplateResult {
    const info = this.info;
    return html`
      <input class="wedge" aria-hidden="true" tabindex="-1" autocomplete="off" />
      <header>
        <div class="hall">
          <h1>${info?.hall.name ?? '医疗保障服务大厅'}</h1>
          <div class="clock" data-clock>${this.#clock()}</div>
        </div>
        <button data-action="elder" aria-pressed=${this.elder ? 'true' : 'false'} @click=${() => this.#toggleElder()}>长辈模式</button>
        <button data-action="read" @click=${() => void speak(this.#prompt)}>朗读</button>
        <button class="assist" data-action="assist" @click=${() => void this.#assist()}>呼叫工作人员</button>
      </header>
      ${this.screen === 'home'
        ? nothing
        : html`<nav>
            <button data-action="back" @click=${() => this.back()}>返回上一步</button>
            <button data-action="home" @click=${() => this.go('home')}>回到首页</button>
          </nav>`}
      <div class="banners">${this.#banners()}</div>
      <main>${info ? this.#renderScreen() : html`<p class="prompt">正在启动，请稍候…</p>`}</main>
      ${this.selfEvaluation && info
        ? html`<aside class="self-eval"><kiosk-self-evaluate .ctx=${this} .item=${this.selfEvaluation}></kiosk-self-evaluate></aside>`
        : nothing}
      <footer>
        ${info ? html`咨询电话 ${info.hall.phones.consult}　监督投诉电话 ${info.hall.phones.complaint}　${info.hall.address}` : nothing}
      </footer>
      ${this.idleLeft !== null && !this.offline
        ? html`<div class="overlay" role="dialog" aria-modal="true" aria-labelledby="idle-title" data-dialog="idle">
            <div class="dialog">
              <p class="big" id="idle-title">还需要更多时间吗？</p>
              <p>${this.idleLeft} 秒后将自动返回首页，并清除您的信息。</p>
              <button class="primary" data-action="more-time" @click=${() => this.#moreTime()}>需要，继续办理</button>
              <button data-action="finish" @click=${() => void this.resetToHome()}>不需要，返回首页</button>
            </div>
          </div>`
        : nothing}
      ${this.offline
        ? html`<div class="overlay" role="alert" data-dialog="maintenance">
            <div class="dialog">
              <p class="big">系统维护中</p>
              <p>很抱歉，系统正在调整，请稍候。恢复后本机将自动继续服务。</p>
              <p>如需帮助，请到咨询台或窗口咨询工作人员。</p>
            </div>
          </div>`
        : nothing}
      ${this.toastMessage ? html`<div class="toast ${this.toastKind}${this.selfEvaluation ? ' raised' : ''}" role="status" data-toast>${this.toastMessage}</div>` : nothing}
    `;
  }
}

/** Reads 'A001' as 'A 0 0 1' so speech engines do not say "one". */
function spellNo(no: string): string {
  return no.split('').join(' ');
}

/** Uses `text` only when it is Chinese (device messages may be technical English). */
function chinese(text: string | undefined, fallback: string): string {
  return text && /[\u4e00-\u9fff]/.test(text) ? text : fallback;
}

customElements.define('kiosk-app', KioskApp);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-app': KioskApp;
  }
}
