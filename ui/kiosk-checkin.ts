import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { errorText, postIdempotent } from './api.ts';
import type { KioskContext } from './context.ts';
import { shared } from './styles.ts';
import type { Identity, TicketResult } from './types.ts';

/** 预约签到: scan the appointment QR (handled by the shell's scanner path) or use the inserted ID card. */
export class KioskCheckin extends LitElement {
  static override properties = {
    ctx: { attribute: false },
    identity: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  declare ctx: KioskContext;
  declare identity: Identity | null;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.identity = null;
    this.busy = false;
    this.error = '';
  }

  static override styles = [shared];

  async #checkIn(): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const r = await postIdempotent<TicketResult>('/appointments/check-in', {}, { timeoutMs: 15_000 });
      this.ctx.showTicket(r);
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    return html`<div class="stack">
      <p class="prompt" data-prompt>请将预约二维码对准扫码口，或插入身份证签到</p>
      <div class="card stack">
        <p>方式一：打开手机上的预约二维码，对准下方扫码口。</p>
        <p>方式二：将身份证放到读卡区，然后点击“使用身份证签到”。</p>
        ${this.identity
          ? html`<p data-identity="present">已读取：<b>${this.identity.maskedName}</b> ${this.identity.maskedId}</p>`
          : html`<p class="muted" data-identity="none">尚未读取到身份证。</p>`}
        <div class="row">
          <button class="primary" data-action="checkin-id" ?disabled=${!this.identity || this.busy} @click=${() => void this.#checkIn()}>使用身份证签到</button>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="muted">没有预约也可以直接取号。</p>
      <div class="row"><button data-action="take" @click=${() => this.ctx.go('take')}>直接取号</button></div>
    </div>`;
  }
}

customElements.define('kiosk-checkin', KioskCheckin);
