import { LitElement, css, html, type TemplateResult } from 'lit';
import { shared } from './styles.ts';

const LETTER_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const DIGIT_ROW = '1234567890';

/**
 * On-screen letter keyboard for pinyin initials ("ydjy") and ticket numbers. It emits
 * `key` events ({detail: {key}}) with a letter/digit, 'Backspace', 'Clear' or 'Enter'.
 */
export class KioskKeyboard extends LitElement {
  static override properties = { digits: { type: Boolean }, enterLabel: { attribute: 'enter-label' } };
  declare digits: boolean;
  declare enterLabel: string;

  constructor() {
    super();
    this.digits = false;
    this.enterLabel = '搜索';
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .rows { display: flex; flex-direction: column; gap: 0.35rem; align-items: center; }
      .rows { width: 100%; }
      .row { gap: 0.35rem; flex-wrap: nowrap; justify-content: center; width: 100%; }
      /* Keys shrink to share the row (长辈模式 at 1080 px: ten keys still fit, none clipped). */
      button { flex: 0 1 2.75rem; min-width: 0; height: 2.75rem; padding: 0; font-size: 1.1rem; text-transform: uppercase; }
      button.wide { flex: 0 0 auto; width: auto; min-width: 5rem; padding: 0 0.6rem; text-transform: none; }
    `,
  ];

  #press(key: string): void {
    this.dispatchEvent(new CustomEvent('key', { detail: { key }, bubbles: true, composed: true }));
  }

  #keys(row: string): TemplateResult {
    return html`<div class="row">${[...row].map((k) => html`<button data-key=${k} aria-label=${k.toUpperCase()} @click=${() => this.#press(k)}>${k}</button>`)}</div>`;
  }

  protected override render(): TemplateResult {
    return html`<div class="rows" role="group" aria-label="屏幕键盘">
      ${this.digits ? this.#keys(DIGIT_ROW) : ''}
      ${LETTER_ROWS.map((r) => this.#keys(r))}
      <div class="row">
        <button class="wide" data-key="Backspace" @click=${() => this.#press('Backspace')}>删除</button>
        <button class="wide" data-key="Clear" @click=${() => this.#press('Clear')}>清空</button>
        <button class="wide primary" data-key="Enter" @click=${() => this.#press('Enter')}>${this.enterLabel}</button>
      </div>
    </div>`;
  }
}

customElements.define('kiosk-keyboard', KioskKeyboard);
