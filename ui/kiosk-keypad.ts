import { LitElement, css, html, type TemplateResult } from 'lit';
import { shared } from './styles.ts';

/**
 * Numeric keypad (1–9, 0, 删除, 清空, and an action key) for wherever digits are asked: ticket
 * numbers (with the hall's number prefixes as a row of letter keys, `letters="AB"`) and phone
 * numbers. Large keys laid out like a telephone, so no keyboard is ever needed. Emits the same
 * `key` events as <kiosk-keyboard>: a digit/letter, 'Backspace', 'Clear' or 'Enter'.
 */
export class KioskKeypad extends LitElement {
  static override properties = { letters: {}, enterLabel: { attribute: 'enter-label' }, label: {} };
  declare letters: string;
  declare enterLabel: string;
  declare label: string;

  constructor() {
    super();
    this.letters = '';
    this.enterLabel = '确定';
    this.label = '数字键盘';
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .pad { display: grid; grid-template-columns: repeat(3, minmax(0, 5.5rem)); gap: 0.45rem; justify-content: center; }
      .letters { display: flex; flex-wrap: wrap; gap: 0.45rem; justify-content: center; margin-bottom: 0.45rem; }
      button { min-height: 3.2rem; font-size: 1.5rem; font-weight: bold; padding: 0; }
      .letters button { width: 3.6rem; }
      button.small { font-size: 1.05rem; font-weight: normal; }
      .enter { grid-column: 1 / -1; }
    `,
  ];

  #press(key: string): void {
    this.dispatchEvent(new CustomEvent('key', { detail: { key }, bubbles: true, composed: true }));
  }

  #key(k: string): TemplateResult {
    return html`<button data-key=${k.toLowerCase()} @click=${() => this.#press(k.toLowerCase())}>${k}</button>`;
  }

  protected override render(): TemplateResult {
    return html`<div role="group" aria-label=${this.label}>
      ${this.letters ? html`<div class="letters">${[...this.letters].map((l) => this.#key(l))}</div>` : ''}
      <div class="pad">
        ${[...'123456789'].map((d) => this.#key(d))}
        <button class="small" data-key="Clear" @click=${() => this.#press('Clear')}>清空</button>
        ${this.#key('0')}
        <button class="small" data-key="Backspace" @click=${() => this.#press('Backspace')}>删除</button>
        ${this.enterLabel ? html`<button class="primary enter" data-key="Enter" @click=${() => this.#press('Enter')}>${this.enterLabel}</button>` : ''}
      </div>
    </div>`;
  }
}

customElements.define('kiosk-keypad', KioskKeypad);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-keypad': KioskKeypad;
  }
}
