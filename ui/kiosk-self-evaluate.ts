import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { errorText, postIdempotent, requestId } from './api.ts';
import { visitContext } from './contexts.ts';
import { SelfEvaluationEvent } from './events.ts';
import { loadEvaluationForm, recordScreen } from './kiosk-evaluate.ts';
import { BAD_LEVELS, DEFAULT_LEVELS, needsText, type RatingChangeEvent } from './kiosk-rating.ts';
import './kiosk-rating.ts';
import { addPhrase } from './kiosk-phrases.ts';
import { shared } from './styles.ts';
import type { EvaluationForm, SelfServiceItem } from './types.ts';

const THANKS_MS = 4000;

/**
 * 请您对本次自助服务进行评价: a short, skippable panel the shell shows below the screen after a
 * self-service task. It never blocks: 跳过 (or going anywhere else) closes it and records the
 * screen as skipped, the idle reset records it as timeout; no rating is ever assumed.
 */
export class KioskSelfEvaluate extends LitElement {
  static override properties = {
    item: { attribute: false },
    form: { state: true },
    level: { state: true },
    reasons: { state: true },
    text: { state: true },
    error: { state: true },
    busy: { state: true },
    thanked: { state: true },
  };
  declare item: SelfServiceItem;
  declare form: EvaluationForm | null;
  declare level: string | null;
  declare reasons: string[];
  declare text: string;
  declare error: string;
  declare busy: boolean;
  declare thanked: boolean;

  #open = false;
  #requestId = requestId();
  #timer = 0;
  #visit = new ContextConsumer(this, { context: visitContext });

  constructor() {
    super();
    this.form = null;
    this.level = null;
    this.reasons = [];
    this.text = '';
    this.error = '';
    this.busy = false;
    this.thanked = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .panel { display: flex; flex-direction: column; gap: 0.6rem; }
      .head { display: flex; gap: 0.8rem; align-items: center; justify-content: space-between; flex-wrap: wrap; }
      .title { font-size: 1.25rem; font-weight: bold; }
      kiosk-rating { --rating-level-height: 3.4rem; --rating-level-font: 1.1rem; }
      .actions { display: flex; gap: 1rem; flex-wrap: wrap; }
      .actions button { min-width: 8rem; font-size: 1.15rem; }
      input[type='text'] { font-size: 1.1rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#open = true;
    recordScreen('shown');
    void loadEvaluationForm().then(
      (f) => (this.form = f),
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    if (this.#open) recordScreen(this.#visit.value?.endedByIdle ? 'timeout' : 'skipped');
    this.#open = false;
  }

  #skip(): void {
    if (this.#open) recordScreen('skipped');
    this.#open = false;
    this.#close();
  }

  #close(): void {
    this.dispatchEvent(SelfEvaluationEvent.close());
  }

  #rated(e: RatingChangeEvent): void {
    this.level = e.detail.level;
    this.reasons = [...e.detail.reasons];
    this.error = '';
  }

  async #submit(): Promise<void> {
    if (!this.level || this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await postIdempotent(
        '/evaluations/self-service',
        {
          itemCode: this.item.itemCode,
          itemName: this.item.itemName.slice(0, 100),
          level: this.level,
          reasons: BAD_LEVELS.has(this.level) ? this.reasons : [],
          text: this.text.trim() || null,
          anonymous: true,
          requestId: this.#requestId,
        },
        { timeoutMs: 10_000 },
      );
      this.#open = false;
      this.thanked = true;
      this.#timer = window.setTimeout(() => this.#close(), THANKS_MS);
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    if (this.thanked) return html`<p class="ok" role="status" data-self-eval-thanks>感谢您的评价！</p>`;
    const textRequired = needsText(this.form?.reasons.items ?? [], this.reasons);
    return html`<div class="panel" role="region" aria-label="自助服务评价" data-self-eval>
      <div class="head">
        <span class="title">请您对本次自助服务进行评价</span>
        <button data-action="self-eval-skip" @click=${() => this.#skip()}>跳过</button>
      </div>
      <kiosk-rating marker="self-level" reasons-label="请选择不满意的原因（至少一项）：" .levels=${this.form?.levels ?? DEFAULT_LEVELS}
        .reasons=${this.form?.reasons.items ?? []} .level=${this.level} .chosen=${this.reasons} @rating-change=${this.#rated}></kiosk-rating>
      ${
        this.level && BAD_LEVELS.has(this.level)
          ? html`<kiosk-phrases label=${textRequired ? '请点击选择具体情况（至少一项）' : '常用意见（点击添加，选填）'}
            @phrase=${(e: CustomEvent<{ phrase: string }>) => (this.text = addPhrase(this.text, e.detail.phrase))}></kiosk-phrases>`
          : nothing
      }
      ${
        textRequired
          ? html`<input type="text" data-self-eval-text maxlength="500" aria-label="具体内容" placeholder="点击上面的常用意见，或在此输入" .value=${this.text}
            @input=${(e: Event) => (this.text = (e.target as HTMLInputElement).value)} />`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert" data-self-eval-error>${this.error}</p>` : nothing}
      ${
        this.level
          ? html`<div class="actions">
            <button class="primary" data-action="self-eval-submit" ?disabled=${this.busy} @click=${() => void this.#submit()}>${this.busy ? '正在提交…' : '提交评价'}</button>
          </div>`
          : nothing
      }
    </div>`;
  }
}

customElements.define('kiosk-self-evaluate', KioskSelfEvaluate);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-self-evaluate': KioskSelfEvaluate;
  }
}
