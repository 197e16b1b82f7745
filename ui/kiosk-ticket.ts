import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { errorText, post } from './api.ts';
import { kioskInfoContext } from './contexts.ts';
import { closedNotice, hallIsoDate, zhDate } from './hall-time.ts';
import { SelfEvaluationEvent, setPrompt, ToastEvent } from './events.ts';
import { spellNo } from './speech.ts';
import { shared } from './styles.ts';
import type { DeviceStatus, HallOpenState, PrintResult, ServiceStatus, TicketResult } from './types.ts';
import './kiosk-qr.ts';

/**
 * What 朗读 reads on the ticket screen (and 长辈模式 on arrival): the number spelled out, the
 * people ahead, whether the hall is open, the print result and what to do next.
 */
export function ticketPrompt(result: TicketResult, print: PrintResult = result.print, hall?: HallOpenState): string {
  const t = result.ticket;
  const done = t.appointment ? (result.existing ? '您已签到。' : '预约签到成功。') : result.existing ? '您已取过号。' : '取号成功。';
  const closed = closedNotice(hall);
  return `${done}您的号码是 ${spellNo(t.displayNo)}，${t.peopleAhead != null ? `前面还有 ${t.peopleAhead} 人。` : ''}${closed ?? ''}${
    print.ok ? '请取走号票，留意叫号。' : '号票暂时无法打印，请记下屏幕上的号码，留意叫号；也可以点击“重新打印”。'
  }请把您的证件和单据拿好，然后点击“完成”。`;
}

/**
 * The ticket: very large number, service, people ahead, estimated wait, counters and a QR code.
 * When printing failed the number stays valid on screen, with 重新打印.
 */
export class KioskTicket extends LitElement {
  static override properties = {
    result: { attribute: false },
    printer: { attribute: false },
    hall: { attribute: false },
    service: { attribute: false },
    reprint: { state: true },
    printing: { state: true },
  };
  declare result: TicketResult;
  declare printer: DeviceStatus | null;
  /** Opening hours now (from /kiosk/status). */
  declare hall: HallOpenState | undefined;
  /** The ticket's service in /kiosk/status (open windows). */
  declare service: ServiceStatus | undefined;
  #info = new ContextConsumer(this, { context: kioskInfoContext, subscribe: true });
  /** Result of the last 重新打印, overriding result.print. */
  declare reprint: PrintResult | null;
  declare printing: boolean;

  constructor() {
    super();
    this.reprint = null;
    this.printing = false;
    this.printer = null;
  }

  static override styles = [
    shared,
    css`
      .ticket { display: grid; grid-template-columns: 1fr; gap: 1rem; justify-items: center; text-align: center; }
      @media (orientation: landscape) { .ticket { grid-template-columns: 3fr 2fr; align-items: center; } }
      @media (orientation: portrait) { .no { font-size: 8rem; } .qr { --qr-size: 12rem; } }
      .no { font-size: 6rem; line-height: 1; font-weight: bold; color: var(--blue); letter-spacing: 0.1em; }
      .service { font-size: 1.5rem; font-weight: bold; }
      dl { display: grid; grid-template-columns: auto auto; gap: 0.3rem 1rem; margin: 0; font-size: 1.15rem; text-align: left; }
      dt { color: var(--muted); }
      dd { margin: 0; font-weight: bold; }
      .qr { display: flex; flex-direction: column; align-items: center; gap: 0.3rem; --qr-size: 10rem; }
      .actions { display: flex; gap: 1rem; justify-content: center; flex-wrap: wrap; margin-top: 1rem; }
      .actions button { min-width: 10rem; font-size: 1.2rem; }
    `,
  ];

  get #print(): PrintResult {
    return this.reprint ?? this.result.print;
  }

  async #reprint(): Promise<void> {
    this.printing = true;
    try {
      const { print } = await post<{ print: PrintResult }>(`/tickets/${encodeURIComponent(String(this.result.ticket.id))}/reprint`, {}, { timeoutMs: 15_000 });
      this.reprint = print;
      if (print.ok) this.dispatchEvent(new ToastEvent('号票已重新打印，请取走号票。', 'ok'));
      // A printed ticket needs no second copy: 重新打印 goes once it worked (#actions).
    } catch (e) {
      this.reprint = { ok: false, message: errorText(e) };
    } finally {
      this.printing = false;
    }
  }

  protected override updated(): void {
    setPrompt(this, ticketPrompt(this.result, this.#print, this.hall));
  }

  /** 完成: home, where the short self-service evaluation is offered (skippable). */
  #done(): void {
    const t = this.result.ticket;
    this.dispatchEvent(SelfEvaluationEvent.finished({ itemCode: null, itemName: t.appointment ? '自助预约签到' : '自助取号' }));
  }

  protected override render(): TemplateResult {
    const r = this.result;
    const t = r.ticket;
    const print = this.#print;
    // An appointment ticket is priority too (it sorts at its window's start), but it is 预约, not 绿色通道.
    const appointment = t.appointment;
    const priority = !appointment && t.priority ? '绿色通道' : '';
    const url = /^https?:\/\//.test(r.qrText);
    // An estimate only while the hall is open and a window serves the service.
    const counting = (this.hall?.open ?? true) && (this.service ? this.service.openCounters > 0 : true);
    const closed = closedNotice(this.hall);
    // Before the daily reset (e.g. 03:00) a number belongs to the previous business day.
    const issuedOn = hallIsoDate(t.issuedAt, this.#info.value?.hall.timeZone);
    const otherDay = t.day !== issuedOn;
    return html`
      ${
        r.existing
          ? html`<p class="warn prompt" role="status" data-existing>${appointment ? '您已签到，以下是您今天的号码' : '您已取过号，以下是您今天的号码'}</p>`
          : html`<p class="ok prompt" role="status" data-prompt>${appointment ? '预约签到成功' : '取号成功'}</p>`
      }
      ${closed ? html`<p class="warn" role="status" data-closed="hours">${closed}</p>` : nothing}
      ${
        otherDay
          ? html`<p class="muted" data-business-day-note>现在是${zhDate(issuedOn)}凌晨，按大厅规定，每天清零前取的号计入前一营业日（${zhDate(t.day)}）。</p>`
          : nothing
      }
      <div class="ticket">
        <div class="stack" style="align-items:center">
          <div class="service" data-service-name>${t.serviceName}</div>
          <div class="no" data-ticket-no aria-label=${`您的号码 ${t.displayNo}`}>${t.displayNo}</div>
          ${priority ? html`<span class="badge green" data-priority>${priority}</span>` : nothing}
          ${appointment ? html`<span class="badge blue" data-appointment>预约 · 按预约时段优先叫号</span>` : nothing}
          <dl>
            <dt>前面还有</dt><dd data-people-ahead>${t.peopleAhead ?? '—'} 人</dd>
            <dt>预计等候</dt><dd data-wait>${!counting ? '窗口暂未开放' : t.estimatedWaitMinutes == null ? '以叫号为准' : `约 ${t.estimatedWaitMinutes} 分钟`}</dd>
            ${otherDay ? html`<dt>所属营业日</dt><dd data-business-day>${zhDate(t.day)}</dd>` : nothing}
            <dt>办理窗口</dt><dd data-counters>${r.counters.length ? r.counters.map((c) => c.name).join('、') : '请留意叫号屏'}</dd>
          </dl>
        </div>
        <div class="qr">
          <kiosk-qr .text=${r.qrText} label=${url ? '号票二维码，手机扫码可查看排队进度' : '号票二维码，可在本机扫码口扫描'}></kiosk-qr>
          <span class="muted" data-qr-hint>${url ? '可用手机扫码查看排队进度' : '可在自助机扫码口扫描号票上的二维码，查询排队进度或评价'}</span>
        </div>
      </div>
      ${
        print.ok
          ? html`<p class="ok" data-print="ok">号票已打印，请取走号票。请把您的证件和单据拿好。</p>`
          : html`<div class="error" role="alert" data-print="failed">
            <p>很抱歉，号票暂时无法打印${print.message ? `（${print.message}）` : ''}。</p>
            <p>您的号码 ${t.displayNo} 仍然有效，请记下号码或用手机拍下二维码。工作人员已收到通知。</p>
          </div>`
      }
      <div class="actions">
        ${
          print.ok
            ? nothing
            : html`<button data-action="reprint" ?disabled=${this.printing} @click=${() => void this.#reprint()}>${this.printing ? '正在打印…' : '重新打印'}</button>`
        }
        <button class="primary" data-action="done" @click=${() => this.#done()}>完成</button>
      </div>
    `;
  }
}

customElements.define('kiosk-ticket', KioskTicket);
