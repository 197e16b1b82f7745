import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { errorText, get } from './api.ts';
import { kioskInfoContext } from './contexts.ts';
import { setPrompt } from './events.ts';
import { sentence, spellNo } from './speech.ts';
import { numberLetters } from './kiosk-evaluate.ts';
import { TICKET_STATUS_LABELS } from './labels.ts';
import { shared } from './styles.ts';
import type { Ticket } from './types.ts';
import './kiosk-keypad.ts';

/** 排队查询: a scanned ticket (from the shell) or a number typed on the on-screen keyboard. */
export class KioskLookup extends LitElement {
  static override properties = {
    ticket: { attribute: false },
    number: { state: true },
    error: { state: true },
  };
  declare ticket: Ticket | null;
  declare number: string;
  declare error: string;
  #info = new ContextConsumer(this, { context: kioskInfoContext, subscribe: true });

  constructor() {
    super();
    this.ticket = null;
    this.number = '';
    this.error = '';
  }

  static override styles = [
    shared,
    css`
      .no { font-size: 4rem; font-weight: bold; color: var(--blue); }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; font-size: 1.15rem; }
      dt { color: var(--muted); }
      dd { margin: 0; font-weight: bold; }
      input { font-size: 1.4rem; max-width: 12rem; text-transform: uppercase; }
    `,
  ];

  async #find(): Promise<void> {
    const n = this.number.trim().toUpperCase();
    if (!/^[A-Z]{1,2}\d{1,6}$/.test(n)) {
      this.error = '请输入号票上的号码，例如 A001';
      return;
    }
    try {
      const { ticket } = await get<{ ticket: Ticket }>(`/tickets/lookup?number=${encodeURIComponent(n)}`);
      this.ticket = ticket;
      this.error = '';
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** 朗读 here: the ticket found (number spelled out, status, people ahead), an error, or how to look one up. */
  protected override updated(): void {
    const t = this.ticket;
    const how = '请将号票上的二维码对准扫码口，或在下方键盘输入号票上的号码，再点击“查询”。';
    let text: string;
    if (this.error) text = `${sentence(this.error)}${how}`;
    else if (t)
      text = `号码 ${spellNo(t.displayNo)}，${t.serviceName}，${TICKET_STATUS_LABELS[t.status]}。${t.peopleAhead != null ? `前面还有 ${t.peopleAhead} 人。` : ''}${
        t.estimatedWaitMinutes != null ? `预计等候约 ${t.estimatedWaitMinutes} 分钟。` : ''
      }请留意叫号。查询其他号票，${how}`;
    else text = `排队查询：${how}`;
    setPrompt(this, text);
  }

  #onKey(e: CustomEvent<{ key: string }>): void {
    const k = e.detail.key;
    if (k === 'Backspace') this.number = this.number.slice(0, -1);
    else if (k === 'Clear') this.number = '';
    else if (k === 'Enter') void this.#find();
    else if (this.number.length < 8) this.number += k.toUpperCase();
  }

  protected override render(): TemplateResult {
    const t = this.ticket;
    return html`<div class="stack">
      <p class="prompt" data-prompt>请将号票上的二维码对准扫码口，或输入号码查询</p>
      ${
        t
          ? html`<div class="card" data-lookup-result>
            <div class="no">${t.displayNo}</div>
            <dl>
              <dt>业务</dt><dd>${t.serviceName}</dd>
              <dt>状态</dt><dd>${TICKET_STATUS_LABELS[t.status]}</dd>
              ${t.peopleAhead != null ? html`<dt>前面还有</dt><dd>${t.peopleAhead} 人</dd>` : nothing}
              ${t.estimatedWaitMinutes != null ? html`<dt>预计等候</dt><dd>约 ${t.estimatedWaitMinutes} 分钟</dd>` : nothing}
            </dl>
          </div>`
          : nothing
      }
      <div class="row">
        <input type="text" data-number aria-label="号码" placeholder="如 A001" .value=${this.number}
          @input=${(e: Event) => (this.number = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.#find()} />
        <button class="primary" data-action="find" @click=${() => void this.#find()}>查询</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <kiosk-keypad label="号码键盘" letters=${numberLetters(this.#info.value)} enter-label="查询" @key=${this.#onKey}></kiosk-keypad>
    </div>`;
  }
}

customElements.define('kiosk-lookup', KioskLookup);
