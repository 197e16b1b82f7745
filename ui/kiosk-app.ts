import { ContextProvider } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { API_BASE, errorText, post, postIdempotent, requestId } from './api.ts';
import { kioskInfoContext, visitContext } from './contexts.ts';
import { ClockController } from './controllers/clock.ts';
import { IdleController } from './controllers/idle.ts';
import { LiveController } from './controllers/live.ts';
import { ScanController } from './controllers/scan.ts';
import { SessionController } from './controllers/session.ts';
import { SpeechController } from './controllers/speech.ts';
import { ToastController } from './controllers/toast.ts';
import { NavigateEvent, PromptEvent, SelfEvaluationEvent, TakeTicketEvent, TicketIssuedEvent, ToastEvent } from './events.ts';
import { hallDate, hallTime } from './hall-time.ts';
import { ROUTES, RouterController, type RouteParams, type Screen } from './router.ts';
import { shared } from './styles.ts';
import type { DeviceKind, Identity, PriorityReason, SelfServiceItem, TicketResult } from './types.ts';
import './kiosk-home.ts';
import './kiosk-take.ts';
import './kiosk-checkin.ts';
import { ticketPrompt } from './kiosk-ticket.ts';
import { forgetGuideSearch } from './kiosk-guides.ts';
import './kiosk-guide-item.ts';
import './kiosk-lookup.ts';
import './kiosk-evaluate.ts';
import './kiosk-self-evaluate.ts';
import './kiosk-certificate.ts';
import './kiosk-certificate-info.ts';

const DEVICE_BANNERS: Readonly<Record<DeviceKind, string>> = {
  printer: '打印机暂时无法打印，取号后号码会显示在屏幕上，请记下号码或用手机拍下二维码。',
  idcard: '身份证读卡器暂时不可用，您仍可直接取号。',
  scanner: '扫码器暂时不可用，预约签到请使用身份证或到窗口办理。',
  dispenser: '号票出票口暂时不可用，请以屏幕上显示的号码为准。',
  a4printer: '参保证明暂时无法打印，请到窗口办理。',
};

/** Read while the self-service evaluation panel is open: alone on home (it is what home asks then), after the prompt elsewhere. */
const SELF_EVALUATION_PROMPT = '请您对本次自助服务进行评价：点击非常满意、满意、基本满意、不满意或非常不满意中的一项，再点击“提交评价”；不想评价请点击“跳过”。';
const MAINTENANCE_PROMPT = '系统维护中。很抱歉，系统正在调整，请稍候，恢复后本机将自动继续服务。如需帮助，请到咨询台或窗口咨询工作人员。';
const ASSISTANCE_PROMPT = '已通知工作人员，请您稍候，工作人员会到这里帮助您。';

/** The 还需要更多时间吗 prompt, spoken when it appears. */
function idlePrompt(left: number | null): string {
  return `还需要更多时间吗？如需继续办理，请点击“需要，继续办理”；${left ?? ''}${left === null ? '稍后' : ' 秒后'}将自动返回首页，并清除您的信息。`;
}

/**
 * The kiosk shell: header (hall, clock, 长辈模式, 朗读, 呼叫工作人员), device banners, the current
 * screen and the overlays (还需要更多时间吗, 系统维护中, toasts). The work is done by reactive
 * controllers (ui/controllers/: live link to the daemon, ID-card session, idle timeout, scanning,
 * speech, toasts, clock) and the router (ui/router.ts); the shell wires them together, renders,
 * and handles what screens ask for through typed events (ui/events.ts). Screens get data as
 * properties and the hall info and visit through @lit/context (ui/contexts.ts).
 */
export class KioskApp extends LitElement {
  static override properties = {
    ticketResult: { state: true },
    busy: { state: true },
    selfEvaluation: { state: true },
  };

  /** The ticket on the 'ticket' screen. */
  declare ticketResult: TicketResult | null;
  /** A ticket request is under way. */
  declare busy: boolean;
  /** The self-service task the short evaluation panel asks about; null when it is closed. */
  declare selfEvaluation: SelfServiceItem | null;

  #router = new RouterController(this, (to, from, how) => this.#entered(to, from, how));
  #speech = new SpeechController(this);
  #toast = new ToastController(this);
  #clock = new ClockController(this);
  #session = new SessionController(this, () => this.#router.route.identity);
  #idle = new IdleController(this, {
    timeoutSeconds: () => this.#live.info?.ui.idleTimeoutSeconds ?? 90,
    watching: () =>
      this.#router.screen !== 'home' || this.identity !== null || this.ticketResult !== null || this.#speech.elder || this.selfEvaluation !== null,
    warned: () => this.#speech.say(idlePrompt(this.#idle.left)),
    timedOut: () => this.resetToHome(),
    active: () => void post('/session/activity').catch(() => undefined),
  });
  #scan = new ScanController(this, {
    screen: () => this.#router.screen,
    go: (screen, params) => this.#go(screen, params),
    showTicket: (result) => this.#showTicket(result),
    toast: (message, kind) => this.#toast.show(message, kind),
    activity: () => this.#idle.moreTime(),
    voucher: () => {
      const screen = this.renderRoot.querySelector<HTMLElement & { voucherScanned(): Promise<void> }>('kiosk-certificate, kiosk-certificate-info');
      if (!screen) return false;
      void screen.voucherScanned();
      return true;
    },
  });
  #live = new LiveController(this, {
    session: () => {
      if (this.#router.route.identity) void this.#session.refresh();
    },
    sessionRejected: (message) => {
      if (this.#router.route.identity) this.#toast.show(message, 'warn');
    },
    scan: (result, text) => void this.#scan.handle(result, text),
  });
  #info = new ContextProvider(this, { context: kioskInfoContext, initialValue: null });
  #alerted = new Set<string>();
  /** The self-service evaluation was already offered during this visit (reset at home). */
  #selfEvaluationOffered = false;
  /** The screen of the last render (scroll to top, read its prompt, refocus the scanner input when it changes). */
  #shown: Screen | null = null;
  /** 系统维护中 was announced for the current outage. */
  #offlineSaid = false;

  constructor() {
    super();
    this.ticketResult = null;
    this.busy = false;
    this.selfEvaluation = null;
    this.#speech.prompt = ROUTES.home.prompt;
    // The visit never changes: screens read its `endedByIdle` as they are removed.
    new ContextProvider(this, { context: visitContext, initialValue: this.#idle });
    this.addEventListener(NavigateEvent.type, (e) => this.#go(e.detail.screen, e.detail));
    this.addEventListener(ToastEvent.type, (e) => this.#toast.show(e.detail.message, e.detail.kind));
    this.addEventListener(PromptEvent.type, (e) => (this.#speech.prompt = e.detail.text));
    this.addEventListener(TakeTicketEvent.type, (e) => void this.#takeTicket(e.detail.serviceCode, e.detail.priorityReason));
    this.addEventListener(TicketIssuedEvent.type, (e) => this.#showTicket(e.detail));
    this.addEventListener(SelfEvaluationEvent.type, (e) => {
      const d = e.detail;
      if (d.action === 'finished') this.#finishSelfService(d.item);
      else if (d.action === 'offer') this.#offerSelfEvaluation(d.item);
      else this.#closeSelfEvaluation();
    });
  }

  /** The masked identity of the card on the reader, on screens that use it (null elsewhere). */
  get identity(): Identity | null {
    return this.#session.identity;
  }

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; height: 100%; color: var(--text); }
      /* One row always: 呼叫工作人员 never drops to a second line (the hall name shrinks instead). */
      header { display: flex; align-items: center; gap: 0.6rem; padding: 0.5rem 1rem; background: var(--blue); color: #fff; flex-wrap: nowrap; }
      header .hall { flex: 1 1 0; min-width: 0; }
      header h1 { font-size: 1.15rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      header button { flex: none; white-space: nowrap; }
      :host-context(html.elder) header { padding: 0.3rem 0.6rem; gap: 0.4rem; }
      :host-context(html.elder) header h1 { font-size: 0.8rem; }
      :host-context(html.elder) header .clock { font-size: 0.6rem; }
      :host-context(html.elder) header button { font-size: 0.75rem; padding: 0.2rem 0.5rem; }
      :host-context(html.elder) nav button { flex: 1; }
      :host-context(html.elder) footer { font-size: 0.5rem; }
      header .clock { font-size: 0.9rem; }
      header button { border-color: #fff; background: transparent; color: #fff; }
      header button[aria-pressed='true'] { background: #fff; color: var(--blue); }
      header button.assist { background: #fff; color: var(--red); border-color: #fff; font-weight: bold; }
      nav { display: flex; gap: 0.6rem; padding: 0.5rem 1rem 0; }
      .banners { padding: 0.4rem 1rem 0; display: flex; flex-direction: column; gap: 0.4rem; }
      main { flex: 1; min-height: 0; overflow-y: auto; padding: 0.6rem 1rem 1rem; }
      footer { padding: 0.3rem 1rem; font-size: 0.8rem; color: var(--muted); background: #e7edf4; }
      .overlay { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.6); display: flex; align-items: center; justify-content: center; z-index: 10; }
      .dialog { background: #fff; border-radius: 0.6rem; padding: 1.5rem; max-width: 90vw; width: 30rem; display: flex; flex-direction: column; gap: 1rem; text-align: center; }
      .dialog .big { font-size: 1.6rem; font-weight: bold; }
      /* The panel never pushes the footer off screen: it scrolls itself (长辈模式 with reasons and phrases). */
      .self-eval { border-top: 3px solid var(--blue); background: var(--blue-light); padding: 0.6rem 1rem; flex: none; max-height: 60%; overflow-y: auto; }
      /* Keeps toasts off the self-service evaluation panel's buttons. */
      .toast.raised { bottom: auto; top: 40%; }
      .toast { position: fixed; left: 50%; bottom: 2.5rem; transform: translateX(-50%); z-index: 11; max-width: 90vw; font-size: 1.05rem; box-shadow: 0 0.2rem 0.8rem rgba(0,0,0,0.3); }
      input.wedge { position: absolute; left: -9999px; width: 1px; height: 1px; opacity: 0; }
    `,
  ];

  // ---- navigation -----------------------------------------------------------------------------

  #go(screen: Screen, params: RouteParams = {}): void {
    this.#router.go(screen, params);
  }

  /** After every change of screen (RouterController). */
  #entered(to: Screen, from: Screen, how: 'go' | 'back'): void {
    this.#speech.prompt = ROUTES[to].prompt;
    if (how === 'back') return;
    // Going anywhere else closes the self-service evaluation panel (recorded as skipped).
    if (to !== from) this.selfEvaluation = null;
    // Home ends the citizen's task: the next person starts in the normal mode (完成 keeps
    // 长辈模式 only while its evaluation panel is open, see #finishSelfService).
    if (to === 'home') this.#speech.elder = false;
    if (ROUTES[to].identity) void this.#session.refresh();
    else if (to !== 'ticket') this.#session.forget();
    if (to === 'home') {
      this.#selfEvaluationOffered = false;
      forgetGuideSearch();
      this.ticketResult = null;
      this.#router.clearParams();
      void this.#session.end();
    }
  }

  /**
   * Back to the welcome screen with nothing of the last citizen left in memory or the DOM
   * (the idle timeout, 不需要，返回首页).
   */
  resetToHome(): void {
    this.#speech.stop();
    this.#idle.moreTime();
    this.#session.forget();
    this.ticketResult = null;
    this.selfEvaluation = null;
    this.#router.clearParams();
    this.#toast.clear();
    this.#speech.elder = false;
    this.#scan.reset();
    this.#go('home');
  }

  // ---- tickets ----------------------------------------------------------------------------------

  async #takeTicket(serviceCode: string, priorityReason: PriorityReason | null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const result = await postIdempotent<TicketResult>(
        '/tickets',
        { serviceCode, priorityReason, useIdentity: this.identity !== null, requestId: requestId() },
        { timeoutMs: 15_000 },
      );
      this.#showTicket(result);
    } catch (e) {
      this.#toast.show(errorText(e), 'error');
      // IDCARD_REPLACE: the screen shows the reader's prompt to lift and re-place the card.
      void this.#session.refresh();
    } finally {
      this.busy = false;
    }
  }

  #showTicket(result: TicketResult): void {
    this.ticketResult = result;
    this.#go('ticket');
    const t = result.ticket;
    this.#speech.prompt = ticketPrompt(result, result.print, this.#live.status?.hall);
    this.#speech.sayInElder(this.#speech.prompt);
    if (!result.print.ok) this.#alertStaff(`print-failed:${t.id}`, 'ticket-print-failed');
  }

  // ---- self-service evaluation ------------------------------------------------------------------

  /** A self-service task is finished (ticket 完成): home, with the short evaluation offered once per visit. */
  #finishSelfService(item: SelfServiceItem): void {
    const offer = !this.#selfEvaluationOffered;
    const elder = this.#speech.elder;
    this.#go('home');
    // On home the panel ends the visit: the next citizen's task may offer it again. The citizen
    // who used 长辈模式 rates in it; it ends with the panel (#closeSelfEvaluation).
    if (offer && this.#live.info?.features.evaluation) {
      this.selfEvaluation = item;
      this.#speech.elder = elder;
    }
  }

  /** 跳过 or thanks: on home that is the end of the visit, back to the normal mode. */
  #closeSelfEvaluation(): void {
    this.selfEvaluation = null;
    if (this.#router.screen === 'home') this.#speech.elder = false;
  }

  /** Offers the short evaluation below the current screen (once per visit) without leaving it. */
  #offerSelfEvaluation(item: SelfServiceItem): void {
    if (this.#selfEvaluationOffered || !this.#live.info?.features.evaluation) return;
    this.#selfEvaluationOffered = true;
    this.selfEvaluation = item;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  protected override willUpdate(): void {
    this.#info.setValue(this.#live.info);
  }

  protected override updated(): void {
    // 系统维护中 is said once per outage (a browser voice speaks it; the daemon's cannot while it is down).
    const offline = this.#live.offline;
    if (offline && !this.#offlineSaid) this.#speech.say(MAINTENANCE_PROMPT);
    this.#offlineSaid = offline;
    if (this.#router.screen !== this.#shown) {
      this.#shown = this.#router.screen;
      const main = this.renderRoot.querySelector('main');
      if (main) main.scrollTop = 0;
      if (this.#shown !== 'ticket') this.#speech.sayInElder(this.#speech.prompt);
      this.#scan.focus();
    }
  }

  // ---- actions ----------------------------------------------------------------------------------

  async #assist(): Promise<void> {
    try {
      await post('/assistance', { screen: this.#router.screen });
      this.#toast.show('已通知工作人员，请您稍候。', 'ok');
      // Said in either mode: whoever calls for help may not be able to read the screen.
      this.#speech.say(ASSISTANCE_PROMPT);
      this.#awaitAssistance();
    } catch (e) {
      const text = `${errorText(e)}。您也可以直接到咨询台寻求帮助。`;
      this.#toast.show(text, 'error');
      this.#speech.say(text);
    }
  }

  /** When a clerk acknowledges the request (kiosk event stream, see kiosk/alerts), say someone is coming. */
  #awaitAssistance(): void {
    const source = new EventSource(`${API_BASE}/events`);
    const done = setTimeout(() => source.close(), 10 * 60_000);
    source.addEventListener('assistance', () => {
      clearTimeout(done);
      source.close();
      this.#toast.show('工作人员已收到，正在赶来，请您稍候。', 'ok');
      this.#speech.say('工作人员已收到，正在赶来，请您稍候。');
    });
  }

  /**
   * 朗读: the device banners on screen (their fixed text: what the fault means for the citizen),
   * then the screen's prompt and the self-service evaluation panel when it is open (on home the
   * panel alone: the welcome is for the next citizen).
   */
  #readAloud(): void {
    const devices = this.#live.status?.devices ?? {};
    const banners = (['printer', 'idcard', 'scanner', 'dispenser', 'a4printer'] as const)
      .filter((kind) => {
        if (kind === 'a4printer' && !this.#live.info?.features.certificate) return false;
        const state = devices[kind]?.state;
        return state === 'fault' || state === 'disconnected';
      })
      .map((kind) => DEVICE_BANNERS[kind]);
    const panel = this.selfEvaluation ? SELF_EVALUATION_PROMPT : '';
    const screen = panel && this.#router.screen === 'home' ? '' : this.#speech.prompt;
    this.#speech.say([...banners, screen, panel].join(''));
  }

  #alertStaff(key: string, screen: string): void {
    if (this.#alerted.has(key)) return;
    this.#alerted.add(key);
    void post('/assistance', { screen }).catch(() => undefined);
  }

  // ---- render -----------------------------------------------------------------------------------

  #clockText(): string {
    const zone = this.#live.info?.hall.timeZone;
    const now = this.#clock.now;
    return `${hallDate(now, zone)} ${hallTime(now, zone)}`;
  }

  #banners(): TemplateResult[] {
    const devices = this.#live.status?.devices ?? {};
    const out: TemplateResult[] = [];
    for (const kind of ['printer', 'idcard', 'scanner', 'dispenser', 'a4printer'] as const) {
      // The A4 printer serves 参保证明 only: its banner shows where that function is offered.
      if (kind === 'a4printer' && !this.#live.info?.features.certificate) continue;
      const d = devices[kind];
      if (!d || d.state === 'ready' || d.state === 'busy' || d.state === 'off') {
        for (const w of d?.warnings ?? [])
          if (kind === 'printer')
            out.push(html`<div class="warn" role="status" data-banner=${`${kind}-warning`}>${chinese(w.message, '打印纸即将用完，已通知工作人员。')}</div>`);
        continue;
      }
      const detail = chinese(d.message, '');
      out.push(html`<div class="warn" role="alert" data-banner=${kind}>${detail ? `${detail}。` : ''}${DEVICE_BANNERS[kind]}</div>`);
    }
    return out;
  }

  #renderScreen(): TemplateResult {
    const { info, status } = this.#live;
    const router = this.#router;
    switch (router.screen) {
      case 'take':
        return html`<kiosk-take .info=${info} .status=${status} .identity=${this.identity} .reader=${this.#session.reader} .busy=${this.busy}></kiosk-take>`;
      case 'checkin':
        return html`<kiosk-checkin .identity=${this.identity} .reader=${this.#session.reader}></kiosk-checkin>`;
      case 'ticket':
        return this.ticketResult
          ? html`<kiosk-ticket .result=${this.ticketResult} .printer=${status?.devices.printer ?? null} .hall=${status?.hall}
              .service=${status?.services.find((s) => s.code === this.ticketResult?.ticket.serviceCode)}></kiosk-ticket>`
          : html``;
      case 'guides':
        return html`<kiosk-guides></kiosk-guides>`;
      case 'guide':
        return html`<kiosk-guide-item .guideId=${router.guideId} .info=${info} .busy=${this.busy}></kiosk-guide-item>`;
      case 'lookup':
        return html`<kiosk-lookup .ticket=${router.ticket}></kiosk-lookup>`;
      case 'evaluate':
        return html`<kiosk-evaluate .ticket=${router.ticket} .code=${router.ticketCode} .identity=${this.identity}></kiosk-evaluate>`;
      case 'certificate':
        return html`<kiosk-certificate .identity=${this.identity} .reader=${this.#session.reader}></kiosk-certificate>`;
      case 'insurance-info':
        return html`<kiosk-certificate-info .identity=${this.identity}></kiosk-certificate-info>`;
      default:
        return html`<kiosk-home .info=${info} .status=${status}></kiosk-home>`;
    }
  }

  protected override render(): TemplateResult {
    const { info, offline } = this.#live;
    const speech = this.#speech;
    const idleLeft = this.#idle.left;
    const toast = this.#toast;
    return html`
      <input class="wedge" aria-hidden="true" tabindex="-1" autocomplete="off" />
      <header>
        <div class="hall">
          <h1>${info?.hall.name ?? '医疗保障服务大厅'}</h1>
          <div class="clock" data-clock>${this.#clockText()}</div>
        </div>
        <button data-action="elder" aria-pressed=${speech.elder ? 'true' : 'false'} @click=${() => speech.toggleElder()}>长辈模式</button>
        <button data-action="read" @click=${() => this.#readAloud()}>朗读</button>
        <button class="assist" data-action="assist" @click=${() => void this.#assist()}>呼叫工作人员</button>
      </header>
      ${
        this.#router.screen === 'home'
          ? nothing
          : html`<nav>
            <button data-action="back" @click=${() => this.#router.back()}>返回上一步</button>
            <button data-action="home" @click=${() => this.#go('home')}>回到首页</button>
          </nav>`
      }
      <div class="banners">${this.#banners()}</div>
      <main>${info ? this.#renderScreen() : html`<p class="prompt">正在启动，请稍候…</p>`}</main>
      ${this.selfEvaluation && info ? html`<aside class="self-eval"><kiosk-self-evaluate .item=${this.selfEvaluation}></kiosk-self-evaluate></aside>` : nothing}
      <footer>
        ${info ? html`咨询电话 ${info.hall.phones.consult}　监督投诉电话 ${info.hall.phones.complaint}　${info.hall.address}` : nothing}
      </footer>
      ${
        idleLeft !== null && !offline
          ? html`<div class="overlay" role="dialog" aria-modal="true" aria-labelledby="idle-title" data-dialog="idle">
            <div class="dialog">
              <p class="big" id="idle-title">还需要更多时间吗？</p>
              <p>${idleLeft} 秒后将自动返回首页，并清除您的信息。</p>
              <button class="primary" data-action="more-time" @click=${() => this.#idle.moreTime()}>需要，继续办理</button>
              <button data-action="finish" @click=${() => this.resetToHome()}>不需要，返回首页</button>
            </div>
          </div>`
          : nothing
      }
      ${
        offline
          ? html`<div class="overlay" role="alert" data-dialog="maintenance">
            <div class="dialog">
              <p class="big">系统维护中</p>
              <p>很抱歉，系统正在调整，请稍候。恢复后本机将自动继续服务。</p>
              <p>如需帮助，请到咨询台或窗口咨询工作人员。</p>
            </div>
          </div>`
          : nothing
      }
      ${toast.message ? html`<div class="toast ${toast.kind}${this.selfEvaluation ? ' raised' : ''}" role="status" data-toast>${toast.message}</div>` : nothing}
    `;
  }
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
