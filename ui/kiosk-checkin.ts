import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, errorText, postIdempotent } from './api.ts';
import { NavigateEvent, setPrompt, TicketIssuedEvent } from './events.ts';
import { sentence } from './speech.ts';
import { shared } from './styles.ts';
import type { Identity, ReaderNotice, TicketResult } from './types.ts';

/** 预约签到: scan the appointment QR (handled by the shell's scanner path) or use the inserted ID card. */
export class KioskCheckin extends LitElement {
  static override properties = {
    identity: { attribute: false },
    reader: { attribute: false },
    busy: { state: true },
    error: { state: true },
  };
  declare identity: Identity | null;
  declare reader: ReaderNotice | null;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.identity = null;
    this.reader = null;
    this.busy = false;
    this.error = '';
  }

  static override styles = [shared];

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A message about one card must not stay on screen for the next card (or after it is gone).
    // The shell polls the session, so compare the card, not the object.
    if (changed.has('identity') && identityKey(changed.get('identity') ?? null) !== identityKey(this.identity)) this.error = '';
  }

  async #checkIn(): Promise<void> {
    if (this.busy || !this.identity) return;
    this.busy = true;
    this.error = '';
    try {
      const r = await postIdempotent<TicketResult>('/appointments/check-in', {}, { timeoutMs: 15_000 });
      this.dispatchEvent(new TicketIssuedEvent(r));
    } catch (e) {
      this.error = checkInErrorText(e);
    } finally {
      this.busy = false;
    }
  }

  /** 朗读 here: the failed check-in, else whether the card is read and what to press (never whose card). */
  protected override updated(): void {
    let text: string;
    if (this.busy) text = '正在签到，请稍候。';
    else if (this.error) text = sentence(this.error);
    else if (this.identity) text = '已读取您的身份证。请点击“使用身份证签到”。没有预约请点击“直接取号”。';
    else if (this.reader) text = `${sentence(this.reader.message)}也可以将手机上的预约二维码对准扫码口签到。`;
    else text = '预约签到：请将手机上的预约二维码对准扫码口；或将身份证放到读卡区，再点击“使用身份证签到”。没有预约请点击“直接取号”。';
    setPrompt(this, text);
  }

  protected override render(): TemplateResult {
    const ready = this.identity !== null && !this.busy;
    return html`<div class="stack">
      <p class="prompt" data-prompt>请将预约二维码对准扫码口，或插入身份证签到</p>
      <div class="card stack">
        <p>方式一：打开手机上的预约二维码，对准扫码口。</p>
        <p>方式二：将身份证放到读卡区，然后点击“使用身份证签到”。</p>
        ${
          this.identity
            ? html`<p data-identity="present">已读取：<b>${this.identity.maskedName}</b> ${this.identity.maskedId}</p>`
            : this.reader
              ? html`<p class="warn" data-identity="none" data-reader=${this.reader.code} role="alert">${this.reader.message}</p>`
              : html`<p class="muted" data-identity="none">尚未读取到身份证。</p>`
        }
        <div class="row">
          <button class="primary" data-action="checkin-id" ?disabled=${!ready} aria-busy=${this.busy ? 'true' : 'false'} @click=${() => void this.#checkIn()}>
            ${this.busy ? '正在签到，请稍候…' : '使用身份证签到'}
          </button>
        </div>
      </div>
      ${this.error ? html`<p class="error" role="alert" data-error>${this.error}</p>` : nothing}
      <p class="muted">没有预约也可以直接取号。</p>
      <div class="row"><button data-action="take" @click=${() => this.dispatchEvent(new NavigateEvent('take'))}>直接取号</button></div>
    </div>`;
  }
}

function identityKey(identity: Identity | null): string {
  return identity ? `${identity.cardType}|${identity.maskedId}|${identity.maskedName}` : '';
}

function clock(minutes: unknown): string | null {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return null;
  const m = Math.max(0, Math.round(minutes));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * What the citizen reads after a failed check-in with the ID card. The daemon's messages are
 * written for either way of checking in (a scanned code names one booking); with a card the
 * question is whether this person has a booking today, and what to do instead.
 */
export function checkInErrorText(e: unknown): string {
  if (!(e instanceof ApiError)) return errorText(e);
  const details = (e.details ?? {}) as { windowStart?: unknown; earliest?: unknown; windowEnd?: unknown };
  switch (e.code) {
    case 'APPOINTMENT_UNKNOWN':
      return '没有查到您今天的预约。请确认预约的日期和业务；如未预约，请点击下方“直接取号”。';
    case 'APPOINTMENT_TOO_EARLY': {
      const from = clock(details.earliest);
      const start = typeof details.windowStart === 'string' ? details.windowStart : null;
      return `还未到签到时间${start ? `：您预约的时段从 ${start} 开始` : ''}${from ? `，${from} 起可以签到` : ''}。请稍后再来签到。`;
    }
    case 'APPOINTMENT_TOO_LATE':
      return `已超过预约签到时间${typeof details.windowEnd === 'string' ? `（预约时段 ${details.windowEnd} 结束）` : ''}，本次预约已失效。请点击下方“直接取号”。`;
    default:
      return errorText(e);
  }
}

customElements.define('kiosk-checkin', KioskCheckin);
