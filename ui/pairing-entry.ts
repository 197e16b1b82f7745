/**
 * 输入配对码 on a hall device's setup screen (counter workstation, evaluator, call and window
 * displays): the 6 digits a hall-admin's console shows. The daemon answers once with this
 * device's credential, which the page stores as it stores a typed token; the credential never
 * appears in a URL. Fires `paired` with `{ token, counterNo }`.
 */
import { LitElement, css, html } from 'lit';
import { ApiError, call } from './api.ts';

export type PairingDeviceKind = 'counter' | 'evaluator' | 'window' | 'display' | 'kiosk';

export interface PairedDetail {
  readonly token: string;
  readonly counterNo: number | null;
}

export class PairingEntry extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 10px; align-items: center; }
    label { display: flex; flex-direction: column; gap: 6px; font-weight: bold; font-size: 22px; }
    input { font: inherit; font-size: 40px; letter-spacing: 0.3em; width: 8em; text-align: center; min-height: 64px; border: 2px solid #8796a8; border-radius: 8px; }
    button { font: inherit; font-size: 22px; min-height: 56px; padding: 8px 28px; border-radius: 8px; border: 2px solid #0b4f9c; background: #0b4f9c; color: #fff; cursor: pointer; }
    button:disabled { background: #e4e4e4; color: #595959; border-color: #767676; }
    input:focus-visible, button:focus-visible { outline: 4px solid #f2a900; outline-offset: 2px; }
    .error { color: #a61b1b; font-weight: bold; min-height: 1.4em; }
  `;
  static override properties = { device: { type: String }, error: { state: true }, busy: { state: true } };
  declare device: PairingDeviceKind;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.device = 'counter';
    this.error = '';
    this.busy = false;
  }

  async #pair(): Promise<void> {
    const input = this.renderRoot.querySelector('input')!;
    const code = input.value.replace(/\s/g, '');
    if (!/^[0-9]{6}$/.test(code)) {
      this.error = '请输入维护台上显示的 6 位配对码';
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const r = await call<{ token: string; counterNo: number | null }>(
        'POST',
        '/pairing/claim',
        { code, device: this.device },
        { base: '/api/v1', technical: true },
      );
      input.value = '';
      this.dispatchEvent(new CustomEvent<PairedDetail>('paired', { detail: { token: r.token, counterNo: r.counterNo }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err instanceof ApiError ? err.message : '配对失败，请重试';
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<label
        >输入配对码
        <input
          data-testid="pairing-code"
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength="6"
          aria-describedby="pairing-hint"
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && void this.#pair()}
      /></label>
      <span id="pairing-hint">由大厅管理员在维护台“设备配对”中生成，5 分钟内有效</span>
      <button data-testid="pair" ?disabled=${this.busy} @click=${() => void this.#pair()}>配对</button>
      <div class="error" role="alert" data-testid="pairing-error">${this.error}</div>`;
  }
}

customElements.define('pairing-entry', PairingEntry);
