import { LitElement, css, html, type TemplateResult } from 'lit';
import { shared } from './styles.ts';

/** Common things a citizen says about a 差评, to tap instead of typing (其他 needs a comment). */
export const COMMENT_PHRASES: readonly string[] = [
  '等候时间太长',
  '窗口开放太少',
  '工作人员没有讲清楚',
  '材料要求前后不一致',
  '屏幕上的字看不清',
  '不会操作，没有人指导',
  '需要多次往返',
  '收费或报销金额有疑问',
];

/**
 * Tap-to-add phrases: each tap appends the phrase to the host's comment (`phrase` event with
 * {detail: {phrase}}). The optional free-text field stays for whoever wants to type.
 */
export class KioskPhrases extends LitElement {
  static override properties = { phrases: { attribute: false }, label: {} };
  declare phrases: readonly string[];
  declare label: string;

  constructor() {
    super();
    this.phrases = COMMENT_PHRASES;
    this.label = '常用意见（点击添加）';
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .label { font-weight: bold; margin-bottom: 0.4rem; display: block; }
      .chips { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      button { min-height: 3rem; font-size: 1.05rem; }
    `,
  ];

  protected override render(): TemplateResult {
    return html`<div role="group" aria-labelledby="phrases-label">
      <span class="label" id="phrases-label">${this.label}</span>
      <div class="chips">
        ${this.phrases.map(
          (p) =>
            html`<button type="button" data-phrase=${p} @click=${() => this.dispatchEvent(new CustomEvent('phrase', { detail: { phrase: p }, bubbles: true, composed: true }))}>${p}</button>`,
        )}
      </div>
    </div>`;
  }
}

customElements.define('kiosk-phrases', KioskPhrases);

/** Appends a tapped phrase to a comment (separated by '；', never twice). */
export function addPhrase(text: string, phrase: string): string {
  const parts = text
    .split(/[；;]\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.includes(phrase)) return text;
  return [...parts, phrase].join('；');
}

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-phrases': KioskPhrases;
  }
}
