import { LitElement, html, nothing } from 'lit';
import { BAD_LEVELS, type RatingChangeEvent } from '../kiosk-rating.ts';
import { ApiError, EvaluatorApi, type Session, type TicketDone } from './api.ts';
import { styles } from './styles.ts';
import '../pairing-entry.ts';
import type { PairedDetail } from '../pairing-entry.ts';
import '../kiosk-rating.ts';
import '../kiosk-keypad.ts';
import { addPhrase } from '../kiosk-phrases.ts';
import { speak, spellNo, stopSpeaking } from '../speech.ts';

const TOKEN_KEY = 'hall-kiosk.evaluator.token';
const THANKS_MS = 5000;

type Screen = 'setup' | 'idle' | 'evaluate' | 'thanks';

/**
 * The counter evaluator (窗口评价器): set up once with the counter's token by a technician, it
 * waits for the counter to complete a ticket, shows the evaluation screen and returns to idle
 * after submission or timeout. A timeout is recorded as 未评价, never as a rating.
 */
export class EvaluatorApp extends LitElement {
  static override styles = styles;
  static override properties = {
    screen: { state: true },
    session: { state: true },
    ticket: { state: true },
    level: { state: true },
    reasons: { state: true },
    text: { state: true },
    phone: { state: true },
    error: { state: true },
    busy: { state: true },
    remaining: { state: true },
    online: { state: true },
    thanks: { state: true },
  };

  declare screen: Screen;
  declare session: Session | null;
  declare ticket: TicketDone | null;
  declare level: string | null;
  declare reasons: string[];
  declare text: string;
  declare phone: string;
  declare error: string;
  declare busy: boolean;
  declare remaining: number;
  declare online: boolean;
  declare thanks: string;
  #api: EvaluatorApi | null = null;
  #stop: (() => void) | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #back: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.screen = 'setup';
    this.session = null;
    this.ticket = null;
    this.online = false;
    this.thanks = '';
    this.#reset();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) void this.#start(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stop?.();
    this.#clearTimers();
    stopSpeaking();
  }

  /**
   * What 朗读 reads on the current screen: what it shows and what to do next. Never the staff
   * member's name or the phone number typed for a 回访, only the ticket number and fixed text.
   */
  prompt(): string {
    switch (this.screen) {
      case 'setup':
        return '评价器设置：请技术人员输入本窗口的令牌，然后点击“保存”。';
      case 'idle':
        return '您好，欢迎办理业务。业务办结后，这里会请您对本次服务进行评价。';
      case 'thanks':
        return `感谢您的评价！${this.thanks ? '工作人员将按约定时间与您联系。' : ''}`;
      case 'evaluate': {
        const t = this.ticket;
        const levels = this.session?.form.levels.join('、') ?? '';
        const bad = this.level !== null && BAD_LEVELS.has(this.level);
        const next = !this.level
          ? `请在${levels}中点击一项。`
          : `您选择了${this.level}。${bad ? '请再点击不满意的原因，至少一项。如需回访，可以用屏幕上的键盘留下手机号码。' : ''}然后点击“提交评价”。`;
        return `${this.error ? `${this.error}。` : ''}请对本次服务进行评价${t?.displayNo ? `，号码 ${spellNo(t.displayNo)}` : ''}。${next}${this.remaining} 秒后自动返回。`;
      }
    }
  }

  /** The counter's /evaluator/speech once set up; before that (no token yet) the kiosk's own endpoint, which answers on the kiosk machine. */
  #read(): void {
    const api = this.#api;
    void speak(this.prompt(), api ? (text) => api.speech(text) : undefined);
  }

  async #start(token: string): Promise<void> {
    const api = new EvaluatorApi(token);
    try {
      this.session = await api.session();
    } catch (err) {
      this.screen = 'setup';
      this.error = err instanceof ApiError && err.status === 401 ? '令牌无效，请联系技术人员' : '无法连接服务，请检查网络';
      return;
    }
    localStorage.setItem(TOKEN_KEY, token);
    this.#api = api;
    this.error = '';
    this.screen = 'idle';
    this.#stop?.();
    this.#stop = api.follow(
      (e) => this.#onDone(e),
      (up) => (this.online = up),
    );
  }

  #onDone(e: TicketDone): void {
    const timeout = (this.session?.form.timeoutSeconds ?? 60) * 1000;
    if (!e.fresh) return; // replayed after a reconnect, too old to ask
    if (this.screen === 'evaluate' && this.ticket && this.ticket.ticketId !== e.ticketId) void this.#api?.screen(this.ticket.ticketId, 'skipped');
    this.#clearTimers();
    this.#reset();
    this.ticket = e;
    this.screen = 'evaluate';
    void this.#api?.screen(e.ticketId, 'shown');
    this.remaining = Math.round(timeout / 1000);
    this.#timer = setInterval(() => {
      this.remaining--;
      if (this.remaining <= 0) this.#timeout();
    }, 1000);
  }

  #timeout(): void {
    if (this.ticket) void this.#api?.screen(this.ticket.ticketId, 'timeout');
    this.#idle();
  }

  #idle(): void {
    this.#clearTimers();
    this.#reset();
    this.ticket = null;
    this.screen = 'idle';
    void this.#api
      ?.session()
      .then((s) => (this.session = s))
      .catch(() => undefined);
  }

  #reset(): void {
    this.level = null;
    this.reasons = [];
    this.text = '';
    this.phone = '';
    this.error = '';
    this.busy = false;
    this.remaining = 0;
  }

  #clearTimers(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#back) clearTimeout(this.#back);
    this.#timer = null;
    this.#back = null;
  }

  async #submit(): Promise<void> {
    if (!this.#api || !this.ticket || !this.level || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      const r = await this.#api.submit({
        ticketId: this.ticket.ticketId,
        level: this.level,
        reasons: this.reasons,
        text: this.text.trim() || null,
        phone: this.phone.trim() || null,
        requestId: `ev-${this.ticket.ticketId}-${crypto.randomUUID()}`,
      });
      this.#clearTimers();
      this.thanks = r.case && r.evaluation.realName && r.case.contactDue ? `工作人员将于 ${r.case.contactDue} 前与您联系。` : '';
      this.screen = 'thanks';
      this.#back = setTimeout(() => this.#idle(), THANKS_MS);
    } catch (err) {
      this.error = err instanceof Error ? err.message : '提交失败，请重试';
    } finally {
      this.busy = false;
    }
  }

  #phoneKey = (e: CustomEvent<{ key: string }>): void => {
    const k = e.detail.key;
    if (k === 'Backspace') this.phone = this.phone.slice(0, -1);
    else if (k === 'Clear') this.phone = '';
    else if (/^\d$/.test(k) && this.phone.length < 13) this.phone += k;
  };

  #rated(e: RatingChangeEvent): void {
    this.level = e.detail.level;
    this.reasons = [...e.detail.reasons];
  }

  override render() {
    return html`${this.#bar()}${this.#body()}`;
  }

  #bar() {
    const read = html`<button class="read" data-testid="read" @click=${() => this.#read()}>朗读</button>`;
    if (!this.session) return html`<div class="bar setup">${read}</div>`;
    const staff = this.session.staff;
    return html`<div class="bar">
      <span class="counter" data-testid="counter">${this.session.counter.name}</span>
      ${this.online ? nothing : html`<span class="offline">正在连接…</span>`}
      <span class="staff" data-testid="staff">${staff ? `工作人员：${staff.staffName}（工号 ${staff.staffId}）` : '工作人员未签到'}</span>
      ${read}
    </div>`;
  }

  #body() {
    switch (this.screen) {
      case 'setup':
        return html`<div class="center">
          <h1>评价器设置</h1>
          <p class="hint">请大厅管理员在维护台生成配对码后在此输入，或输入本窗口的令牌</p>
          <pairing-entry device="evaluator" @paired=${(e: CustomEvent<PairedDetail>) => void this.#start(e.detail.token)}></pairing-entry>
          <input type="password" data-testid="token" aria-label="窗口令牌" />
          <button class="primary" data-testid="save-token" @click=${() => void this.#start((this.renderRoot.querySelector('[data-testid=token]') as HTMLInputElement).value.trim())}>保存</button>
          <div class="error" role="alert">${this.error}</div>
        </div>`;
      case 'idle':
        return html`<div class="center" data-testid="idle"><h1>您好，欢迎办理业务</h1><p class="hint">业务办结后，请对本次服务进行评价</p></div>`;
      case 'thanks':
        return html`<div class="center" data-testid="thanks"><h1>感谢您的评价</h1><p class="hint">${this.thanks}</p></div>`;
      case 'evaluate':
        return this.#form();
    }
  }

  #form() {
    const t = this.ticket!;
    const form = this.session!.form;
    const bad = this.level !== null && BAD_LEVELS.has(this.level);
    return html`<section data-testid="evaluate">
      <h1>请对本次服务进行评价</h1>
      <div class="ticket" data-testid="ticket">号码 ${t.displayNo ?? ''} · ${t.serviceName ?? ''}${t.staff ? ` · 工作人员 ${t.staff.staffName}` : ''}</div>
      <kiosk-rating marker="level" reasons-label="请选择不满意的原因（至少一项）" .levels=${form.levels} .reasons=${form.reasons.items}
        .level=${this.level} .chosen=${this.reasons} @rating-change=${this.#rated}></kiosk-rating>
      ${
        bad
          ? html`<kiosk-phrases label="常用意见（点击添加）" @phrase=${(e: CustomEvent<{ phrase: string }>) => (this.text = addPhrase(this.text, e.detail.phrase))}></kiosk-phrases>`
          : nothing
      }
      ${
        this.level
          ? html`<fieldset>
            <legend>评价内容（选填）</legend>
            <textarea rows="2" maxlength="500" placeholder="意见建议（选填）" data-testid="text" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
          </fieldset>`
          : nothing
      }
      ${
        bad
          ? html`<label class="hint">如需回访，请留下手机号码（选填）<input type="tel" inputmode="numeric" maxlength="13" data-testid="phone" .value=${this.phone} @input=${(e: Event) => (this.phone = (e.target as HTMLInputElement).value)} /></label>
            <kiosk-keypad label="手机号码键盘" enter-label="" data-testid="phone-keypad" @key=${this.#phoneKey}></kiosk-keypad>`
          : nothing
      }
      <div class="error" role="alert" data-testid="error">${this.error}</div>
      <div class="actions">
        <span class="countdown" data-testid="countdown">${this.remaining} 秒后自动返回</span>
        <button class="primary" data-testid="submit" ?disabled=${!this.level || this.busy} @click=${() => void this.#submit()}>提交评价</button>
      </div>
    </section>`;
  }
}

customElements.define('evaluator-app', EvaluatorApp);
