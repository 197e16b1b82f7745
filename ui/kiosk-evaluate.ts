import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, errorText, get, post, postIdempotent, requestId } from './api.ts';
import { kioskInfoContext, visitContext } from './contexts.ts';
import { NavigateEvent, setPrompt } from './events.ts';
import { BAD_LEVELS, DEFAULT_LEVELS, needsText, type RatingChangeEvent } from './kiosk-rating.ts';
import { sentence, spellNo } from './speech.ts';
import { shared } from './styles.ts';
import type { EvaluationForm, EvaluationLookup, EvaluationSubmitted, Identity, Ticket, TicketStatus } from './types.ts';
import './kiosk-keypad.ts';
import { addPhrase } from './kiosk-phrases.ts';
import './kiosk-rating.ts';

const THANKS_HOME_MS = 15_000;
const NOT_DONE_STATUSES: ReadonlySet<TicketStatus> = new Set(['waiting', 'called', 'recalled', 'serving', 'suspended']);

/** The daemon's evaluation form (levels and 差评 reasons); fetched per screen so a changed reason list is picked up. */
export function loadEvaluationForm(): Promise<EvaluationForm> {
  return get<EvaluationForm>('/evaluations/form', { timeoutMs: 5000 });
}

/** Records an evaluation screen as shown / skipped / timeout (audit trail; failures are ignored). */
export function recordScreen(kind: 'shown' | 'skipped' | 'timeout', ticketId?: number): void {
  void post('/evaluations/screens', ticketId === undefined ? { kind } : { ticketId, kind }).catch(() => undefined);
}

type Step = 'identify' | 'form' | 'thanks';
/** How the ticket was proven (kiosk/evaluations/kiosk-proof.ts): its scanned code, or the ID card with the typed number. */
type Proof = { code: string } | { displayNo: string; ticketId?: number };

/**
 * 评价 (好差评) of a counter's service at the kiosk: the citizen scans the ticket's QR (keyboard-wedge
 * burst or serial scanner, both routed here by the shell as `ticket` with its signed `code`), or
 * puts the ID card that took the ticket on the reader and types its number — a typed number alone
 * is refused by the daemon (EVALUATION_PROOF_REQUIRED), since the evaluation belongs to whoever
 * holds the ticket. The screen shows where it was served, five equal levels (none preselected), reasons for a 差评,
 * an optional comment, and submits anonymously. Leaving an open form records the screen as
 * skipped (or timeout when the idle reset takes the kiosk home); it never submits a rating.
 */
export class KioskEvaluate extends LitElement {
  static override properties = {
    ticket: { attribute: false },
    code: { attribute: false },
    identity: { attribute: false },
    step: { state: true },
    number: { state: true },
    error: { state: true },
    form: { state: true },
    target: { state: true },
    level: { state: true },
    reasons: { state: true },
    text: { state: true },
    busy: { state: true },
    result: { state: true },
  };
  /** A ticket scanned by the shell (QR), or null when the citizen types the number. */
  declare ticket: Ticket | null;
  /** The scanned ticket's signed code (the proof), with `ticket`. */
  declare code: string | null;
  /** The masked identity of the card on the reader (the other proof), or null. */
  declare identity: Identity | null;
  declare step: Step;
  declare number: string;
  declare error: string;
  declare form: EvaluationForm | null;
  declare target: EvaluationLookup | null;
  declare level: string | null;
  declare reasons: string[];
  declare text: string;
  declare busy: boolean;
  declare result: EvaluationSubmitted | null;

  #proof: Proof | null = null;
  #requestId = '';
  /** Ticket id of the form on screen that has been recorded as shown and not yet submitted. */
  #open: number | null = null;
  #lookupSeq = 0;
  #thanksTimer = 0;
  #info = new ContextConsumer(this, { context: kioskInfoContext, subscribe: true });
  #visit = new ContextConsumer(this, { context: visitContext });

  constructor() {
    super();
    this.ticket = null;
    this.code = null;
    this.identity = null;
    this.step = 'identify';
    this.number = '';
    this.error = '';
    this.form = null;
    this.target = null;
    this.level = null;
    this.reasons = [];
    this.text = '';
    this.busy = false;
    this.result = null;
  }

  static override styles = [
    shared,
    css`
      textarea { font: inherit; width: 100%; min-height: 3.5rem; padding: 0.3rem 0.6rem; border: 2px solid var(--line); border-radius: 0.4rem; resize: vertical; }
      textarea:focus-visible { outline: 0.2rem solid #f2a900; outline-offset: 0.1rem; }
      .no { font-size: 3rem; font-weight: bold; color: var(--blue); line-height: 1.1; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; font-size: 1.15rem; margin: 0.4rem 0 0; }
      dt { color: var(--muted); }
      dd { margin: 0; font-weight: bold; }
      input[type='text'] { font-size: 1.4rem; max-width: 12rem; text-transform: uppercase; }
      .actions { display: flex; gap: 1rem; flex-wrap: wrap; }
      .actions button { min-width: 10rem; font-size: 1.2rem; }
      .thanks { text-align: center; font-size: 1.8rem; font-weight: bold; }
      .label { font-size: 1.15rem; font-weight: bold; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void loadEvaluationForm().then(
      (f) => (this.form = f),
      () => undefined, // the screen still works with the default levels; reasons appear on retry
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#thanksTimer);
    this.#abandon(this.#visit.value?.endedByIdle ? 'timeout' : 'skipped');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('ticket') && this.ticket) {
      if (this.code) void this.#lookup({ code: this.code });
      else this.error = '请将号票上的二维码对准扫码口重新扫描';
    }
  }

  /** An open form left without submitting: recorded, never turned into a rating. */
  #abandon(kind: 'skipped' | 'timeout'): void {
    if (this.#open === null) return;
    recordScreen(kind, this.#open);
    this.#open = null;
  }

  #clearForm(): void {
    this.target = null;
    this.level = null;
    this.reasons = [];
    this.text = '';
    this.result = null;
  }

  async #find(): Promise<void> {
    const n = this.number.trim().toUpperCase();
    if (!/^[A-Z]{1,2}\d{1,6}$/.test(n)) {
      this.error = '请输入号票上的号码，例如 A001';
      return;
    }
    if (!this.identity) {
      // Said here at once; the daemon refuses a typed number without the card anyway.
      this.error = '输入号码评价时，请先将取号时使用的身份证放到读卡区；或直接扫描号票上的二维码';
      return;
    }
    await this.#lookup({ displayNo: n });
  }

  async #lookup(body: Proof): Promise<void> {
    const seq = ++this.#lookupSeq;
    this.#abandon('skipped');
    clearTimeout(this.#thanksTimer);
    this.#clearForm();
    this.step = 'identify';
    this.error = '';
    this.busy = true;
    try {
      const found = await post<EvaluationLookup>('/evaluations/lookup', body);
      if (seq !== this.#lookupSeq) return;
      const t = found.ticket;
      const phone = this.#info.value?.hall.phones.complaint;
      if (NOT_DONE_STATUSES.has(t.status)) {
        this.error = `号票 ${t.displayNo} 尚未办结，办结后才能评价。`;
      } else if (t.status !== 'done') {
        this.error = `号票 ${t.displayNo} 没有在窗口办结，无法评价。${phone ? `如有意见建议，请拨打监督投诉电话 ${phone}。` : ''}`;
      } else if (!found.canEvaluate) {
        this.error = `号票 ${t.displayNo} 已评价，且已追加评价过一次，不能再次评价。`;
      } else {
        this.target = found;
        this.#proof = 'code' in body ? body : { ticketId: Number(t.id), displayNo: t.displayNo };
        this.#requestId = requestId();
        this.step = 'form';
        this.#open = Number(t.id);
        recordScreen('shown', this.#open);
      }
    } catch (e) {
      if (seq !== this.#lookupSeq) return;
      this.error = errorText(e);
      if (e instanceof ApiError && e.status === 404 && !('code' in body)) this.error += '。输入号码只能查询今天的号票，以前的号票请扫描号票上的二维码评价';
    } finally {
      if (seq === this.#lookupSeq) this.busy = false;
    }
  }

  #rated(e: RatingChangeEvent): void {
    this.level = e.detail.level;
    this.reasons = [...e.detail.reasons];
    this.error = '';
  }

  /** 朗读 here, per step: how to find the ticket, the levels to choose from and what comes next, or the thanks. */
  protected override updated(): void {
    setPrompt(this, this.#promptText());
  }

  #promptText(): string {
    const error = this.error ? sentence(this.error) : '';
    if (this.step === 'thanks')
      return `感谢您的评价！${this.result?.evaluation.bad ? '您反映的问题已记录，我们将认真核实并改进。' : ''}${Math.round(THANKS_HOME_MS / 1000)} 秒后自动返回首页，也可以点击“返回首页”，或点击“评价其他号票”。`;
    if (this.step === 'form' && this.target) {
      const levels = (this.form?.levels ?? DEFAULT_LEVELS).join('、');
      const bad = this.level !== null && BAD_LEVELS.has(this.level);
      const next = !this.level
        ? `请在${levels}中点击一项。`
        : `您选择了${this.level}。${bad ? '请再点击不满意的原因，至少一项，也可以点击常用意见。' : ''}然后点击“提交评价”。`;
      return `${error}请对号票 ${spellNo(this.target.ticket.displayNo)} 的窗口服务进行评价。${this.target.appendOnly ? '这张号票已经评价过，可以追加评价一次。' : ''}${next}评价是匿名的。`;
    }
    if (this.busy) return '正在查询，请稍候。';
    const how = this.identity
      ? '已读取您的身份证。请在下方键盘输入用这张身份证取到的号票号码，再点击“查询”。'
      : '请将号票上的二维码对准扫码口；或将取号时使用的身份证放到读卡区，再在下方键盘输入号票上的号码，点击“查询”。';
    return `${error}${error ? '' : '评价窗口服务：'}${how}`;
  }

  #home(): void {
    this.dispatchEvent(new NavigateEvent('home'));
  }

  async #submit(): Promise<void> {
    const target = this.target;
    const proof = this.#proof;
    if (!target || !proof || !this.level || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      this.result = await postIdempotent<EvaluationSubmitted>(
        '/evaluations',
        {
          ...proof,
          level: this.level,
          reasons: BAD_LEVELS.has(this.level) ? this.reasons : [],
          text: this.text.trim() || null,
          anonymous: true,
          requestId: this.#requestId,
        },
        { timeoutMs: 15_000 },
      );
      this.#open = null; // the daemon recorded it as submitted
      this.step = 'thanks';
      this.#thanksTimer = window.setTimeout(() => this.#home(), THANKS_HOME_MS);
    } catch (e) {
      // The daemon's own Chinese message (差评请至少选择一项原因, 已超过评价期限, …).
      this.error = errorText(e);
      if (e instanceof ApiError && e.status === 409) {
        // Nothing the citizen can change on this form: back to identifying a ticket.
        this.#open = null;
        this.#clearForm();
        this.step = 'identify';
      }
    } finally {
      this.busy = false;
    }
  }

  #onKey(e: CustomEvent<{ key: string }>): void {
    const k = e.detail.key;
    if (k === 'Backspace') this.number = this.number.slice(0, -1);
    else if (k === 'Clear') this.number = '';
    else if (k === 'Enter') void this.#find();
    else if (this.number.length < 8) this.number += k.toUpperCase();
  }

  #identify(): TemplateResult {
    return html`<div class="stack">
      <p class="prompt" data-prompt>请将号票上的二维码对准扫码口，对窗口服务进行评价</p>
      <p data-evaluate-card>${
        this.identity
          ? html`已读取身份证（${this.identity.maskedName}）。请输入用这张身份证取到的号票号码：`
          : html`没有号票二维码时：请将取号时使用的身份证放到读卡区，再输入号票上的号码。`
      }</p>
      ${this.error ? html`<p class="error" role="alert" data-evaluate-error>${this.error}</p>` : nothing}
      <div class="row">
        <input type="text" data-evaluate-number aria-label="号码" placeholder="如 A001" .value=${this.number}
          @input=${(e: Event) => (this.number = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.#find()} />
        <button class="primary" data-action="evaluate-find" ?disabled=${this.busy} @click=${() => void this.#find()}>${this.busy ? '正在查询…' : '查询'}</button>
      </div>
      <kiosk-keypad label="号码键盘" letters=${numberLetters(this.#info.value)} enter-label="查询" @key=${this.#onKey}></kiosk-keypad>
    </div>`;
  }

  #form(): TemplateResult {
    const target = this.target!;
    const t = target.ticket;
    const textRequired = needsText(this.form?.reasons.items ?? [], this.reasons);
    return html`<div class="stack" data-evaluate-form>
      <p class="prompt" data-prompt>请对本次窗口服务进行评价</p>
      <div class="card" data-evaluate-ticket>
        <div class="no">${t.displayNo}</div>
        <dl>
          <dt>业务</dt><dd data-evaluate-service>${t.serviceName}</dd>
          <dt>办理窗口</dt><dd data-evaluate-counter>${t.counterName ?? (t.counterNo != null ? `${t.counterNo}号窗口` : '—')}</dd>
        </dl>
      </div>
      ${target.appendOnly ? html`<p class="warn" data-append>这张号票已经评价过。您可以追加评价一次，原来的评价不会改变。</p>` : nothing}
      <span class="label" id="levels-label">${target.appendOnly ? '追加评价：' : ''}请选择一项</span>
      <kiosk-rating marker="level" reasons-label="请选择不满意的原因（可多选，至少一项）" .levels=${this.form?.levels ?? DEFAULT_LEVELS}
        .reasons=${this.form?.reasons.items ?? []} .level=${this.level} .chosen=${this.reasons} @rating-change=${this.#rated}></kiosk-rating>
      ${
        this.level && BAD_LEVELS.has(this.level)
          ? html`<kiosk-phrases label=${textRequired ? '请点击选择具体情况（选择了“其他”时至少一项）' : '常用意见（点击添加，选填）'}
            @phrase=${(e: CustomEvent<{ phrase: string }>) => (this.text = addPhrase(this.text, e.detail.phrase))}></kiosk-phrases>`
          : nothing
      }
      ${
        this.level
          ? html`<label class="stack" style="gap:0.3rem">
            <span class="label">${textRequired ? '具体内容（可点击上面的常用意见，也可以输入）' : '意见建议（选填）'}</span>
            <textarea data-evaluate-text maxlength="500" .value=${this.text} @input=${(e: Event) => (this.text = (e.target as HTMLTextAreaElement).value)}></textarea>
          </label>`
          : nothing
      }
      <p class="muted">评价为匿名评价，不会记录您的姓名和证件信息。</p>
      ${this.error ? html`<p class="error" role="alert" data-evaluate-error>${this.error}</p>` : nothing}
      <div class="actions">
        <button class="primary" data-action="evaluate-submit" ?disabled=${!this.level || this.busy} @click=${() => void this.#submit()}>${this.busy ? '正在提交…' : '提交评价'}</button>
        <button data-action="evaluate-other" @click=${() => this.#another()}>评价其他号票</button>
      </div>
    </div>`;
  }

  #another(): void {
    this.#abandon('skipped');
    this.#lookupSeq++;
    this.#clearForm();
    this.number = '';
    this.error = '';
    this.step = 'identify';
  }

  #thanks(): TemplateResult {
    const r = this.result;
    return html`<div class="stack" style="align-items:center" data-evaluate-thanks>
      <p class="thanks ok" role="status">感谢您的评价！</p>
      ${r?.evaluation.bad ? html`<p class="prompt">您反映的问题已记录，我们将认真核实并改进。</p>` : nothing}
      <p class="muted">${Math.round(THANKS_HOME_MS / 1000)} 秒后自动返回首页。</p>
      <div class="actions">
        <button data-action="evaluate-other" @click=${() => this.#another()}>评价其他号票</button>
        <button class="primary" data-action="evaluate-finish" @click=${() => this.#home()}>返回首页</button>
      </div>
    </div>`;
  }

  protected override render(): TemplateResult {
    if (this.step === 'thanks') return this.#thanks();
    if (this.step === 'form' && this.target) return this.#form();
    return this.#identify();
  }
}

/** Letter keys of the keypad: the hall's ticket number prefixes (A, B, …). */
export function numberLetters(info: { services: { prefix: string }[] } | null | undefined): string {
  const letters = new Set((info?.services ?? []).flatMap((s) => [...s.prefix.toUpperCase()]));
  return [...letters].sort().join('') || 'ABCDE';
}

customElements.define('kiosk-evaluate', KioskEvaluate);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-evaluate': KioskEvaluate;
  }
}
