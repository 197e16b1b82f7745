import type { LitElement, ReactiveController } from 'lit';
import { errorText, get, post, postIdempotent } from '../api.ts';
import type { ToastKind } from '../events.ts';
import type { RouteParams, Screen } from '../router.ts';
import type { ScanResult, Ticket, TicketResult } from '../types.ts';
import { wedgeBurstDetector } from '../wedge.ts';

/** What a scan may do to the kiosk. */
export interface ScanTarget {
  screen(): Screen;
  go(screen: Screen, params?: RouteParams): void;
  showTicket(result: TicketResult): void;
  toast(message: string, kind: ToastKind): void;
  /** A scan is activity: it restarts the idle clock. */
  activity(): void;
  /** A 医保电子凭证 was scanned on a screen that takes it (参保证明, 参保信息查询): true when it was used. */
  voucher?(): boolean;
}

/**
 * Scanning. A keyboard-wedge scanner types into the page: window keydowns go through the burst
 * detector (ui/wedge.ts), and a burst is cancelled, removed from the field it was typed into and
 * sent to POST /kiosk/scan. Serial and HID scanners are read by the daemon and arrive over the
 * event stream (LiveController → `handle`). Either way `handle` acts on the daemon's verdict:
 * a ticket opens 排队查询 (or is the ticket to rate on 评价), an appointment is checked in, an
 * e-voucher leads to 取号, anything else gets a hint.
 *
 * The host renders a hidden `input.wedge` that holds the focus when nothing else does, so a wedge
 * scanner's keys always reach the page.
 */
export class ScanController implements ReactiveController {
  #host: LitElement;
  #target: ScanTarget;
  #wedge = wedgeBurstDetector();

  constructor(host: LitElement, target: ScanTarget) {
    this.#host = host;
    this.#target = target;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.#onKey, { capture: true });
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.#onKey, { capture: true });
  }

  /** Forgets a half-typed burst (the visit ended). */
  reset(): void {
    this.#wedge.reset();
    const input = this.#input();
    if (input) input.value = '';
  }

  /** Gives the hidden input the focus unless a field or button has it. */
  focus(): void {
    const active = this.#host.shadowRoot?.activeElement ?? document.activeElement;
    if (!active || active === document.body) this.#input()?.focus({ preventScroll: true });
  }

  async handle(result: ScanResult, text: string | null): Promise<void> {
    const t = this.#target;
    t.activity();
    switch (result.kind) {
      case 'ticket': {
        // On the 评价 screen a scanned ticket is the one to evaluate; anywhere else it is looked up.
        const screen = t.screen() === 'evaluate' ? 'evaluate' : 'lookup';
        // The verified code travels with the ticket: 评价 needs it as the proof.
        if (result.ticket) t.go(screen, { ticket: result.ticket, ticketCode: result.ticketCode ?? text });
        else if (text) {
          try {
            const { ticket } = await get<{ ticket: Ticket }>(`/tickets/lookup?code=${encodeURIComponent(text)}`);
            t.go(screen, { ticket, ticketCode: text });
          } catch (e) {
            t.toast(errorText(e), 'warn');
          }
        } else {
          // Serial/HID scans arrive over SSE without the ticket: ask for the number instead.
          t.go(screen, { ticket: null });
          t.toast(result.message ?? '已识别号票，请输入号票上的号码查询', 'ok');
        }
        return;
      }
      case 'appointment':
        try {
          const code = result.appointmentCode ?? text;
          t.showTicket(await postIdempotent<TicketResult>('/appointments/check-in', code ? { code } : {}, { timeoutMs: 15_000 }));
        } catch (e) {
          t.toast(errorText(e), 'error');
        }
        return;
      case 'insurance-voucher':
        if (t.voucher?.()) return;
        t.toast(result.message ?? '已识别医保电子凭证，请选择业务后取号', 'ok');
        if (t.screen() === 'home') t.go('take');
        return;
      default:
        t.toast(result.message ?? '无法识别该二维码，请确认后重试', 'warn');
    }
  }

  #input(): HTMLInputElement | null {
    return this.#host.renderRoot.querySelector<HTMLInputElement>('input.wedge');
  }

  #onKey = (ev: KeyboardEvent): void => {
    const verdict = this.#wedge.push(ev.key, ev.timeStamp);
    if (verdict.kind !== 'scan') return;
    ev.preventDefault();
    ev.stopPropagation();
    // Remove what the burst typed into whatever field had the focus.
    const field = ev.composedPath()[0];
    if (field instanceof HTMLInputElement && field.value.endsWith(verdict.text)) {
      field.value = field.value.slice(0, -verdict.text.length);
      field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    void this.#scanned(verdict.text);
  };

  async #scanned(text: string): Promise<void> {
    try {
      await this.handle(await post<ScanResult>('/scan', { text }), text);
    } catch (e) {
      this.#target.toast(errorText(e), 'error');
    }
  }
}
