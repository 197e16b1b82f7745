import type { KioskConfig } from '../../config/schema.ts';
import { KioskError } from '../errors.ts';
import type { PrintOutcome, PrintService } from '../printing/print-service.ts';
import { countersFor, type TicketPromises } from '../hall/opening-hours.ts';
import { ticketDocument } from '../printing/ticket-document.ts';
import type { QueueAccess } from '../queue/access.ts';
import type { IssueResult, PrintState, PriorityReason, TicketView } from '../queue/types.ts';
import { codeUrl, signTicketCode, verifyCode } from '../scan/index.ts';
import type { KioskAbuseLimits } from '../session/abuse-limits.ts';
import type { SessionIdentity } from '../session/citizen-session.ts';

/** How the printing went, as the ticket screen shows it. */
export interface PrintReply {
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

/** Everything the ticket screen shows after 取号 or 预约签到. */
export interface KioskTicketReply {
  readonly ticket: TicketView;
  readonly existing: boolean;
  readonly counters: readonly { readonly number: number; readonly name: string }[];
  /** The signed ticket code. */
  readonly code: string;
  /** What the QR encodes: the code, or a URL carrying it. */
  readonly qrText: string;
  readonly print: PrintReply;
}

export interface TakeTicketInput {
  readonly serviceCode: string;
  /** A tap on 残疾人 / 孕妇 / 人才; queue/priority.ts decides what it is worth. */
  readonly priorityReason?: PriorityReason | null | undefined;
  /** Use the ID card on the reader (绿色通道 by age, finding the citizen's existing ticket). */
  readonly useIdentity: boolean;
  /** The client's idempotency key: a retry returns the same ticket and does not print it again. */
  readonly requestId: string;
}

export interface IssueAtKioskDeps {
  readonly config: KioskConfig;
  readonly queue: QueueAccess;
  readonly printing: Pick<PrintService, 'print' | 'reprintTicket'>;
  /** The dispenser: present the printed ticket at the bezel. */
  readonly devices: { present(): Promise<unknown> };
  /**
   * The citizen's session: the identity ends with the ticket or check-in (`end('task')`), and a
   * card left on the reader after its identity ended must be placed again (`mustReplaceCard`).
   */
  readonly session: { readonly identity: SessionIdentity | null; readonly mustReplaceCard?: boolean; end?(reason: 'task'): void };
  /** What the paper ticket may promise (hall open now, windows open for the service): kiosk/hall/opening-hours.ts. */
  readonly promises?: (serviceCode: string) => Promise<TicketPromises>;
  /** Printed-ticket and declared-priority limits of this kiosk (kiosk/session/abuse-limits.ts). */
  readonly limits?: KioskAbuseLimits;
}

/**
 * 取号 / 预约签到 / 补打 at this kiosk, one business step each: issue (or check in) through the
 * queue, sign the ticket code, lay out the paper ticket, print it, present it at the dispenser and
 * record the print state. A print failure never loses the number: the reply carries the ticket and
 * its QR, and the ticket can be reprinted.
 *
 * Printing happens once per ticket unless asked again: a retried request (same `requestId`, e.g.
 * after a crash or a lost reply mid-print) gets the existing ticket with its recorded print state
 * and prints nothing; printing it again is `reprint()`, an explicit act of the citizen or staff.
 */
export class IssueAtKiosk {
  readonly #deps: IssueAtKioskDeps;
  /** requestIds this process is issuing and printing now: a concurrent retry of one prints nothing. */
  readonly #inFlight = new Set<string>();

  constructor(deps: IssueAtKioskDeps) {
    this.#deps = deps;
  }

  async take(input: TakeTicketInput): Promise<KioskTicketReply> {
    const identity = input.useIdentity ? this.#deps.session.identity : null;
    this.#cardUsable();
    if (input.useIdentity && !identity) throw new KioskError('REQUEST_INVALID', { field: 'useIdentity' }, '请先在读卡区放置身份证');
    const limits = this.#deps.limits;
    const pass = limits?.admitTicket(limits.declares(input.serviceCode, input.priorityReason));
    const retryOfRunning = this.#inFlight.has(input.requestId);
    if (!retryOfRunning) this.#inFlight.add(input.requestId);
    try {
      const result = await this.#deps.queue.issue({
        serviceCode: input.serviceCode,
        priorityReason: input.priorityReason ?? null,
        identity: identity ? { hash: identity.hash, birthDate: identity.birthDate } : null,
        requestId: input.requestId,
        channel: 'kiosk',
      });
      this.#deps.session.end?.('task');
      const fresh = !result.replayed && !result.existing;
      // A retry of a ticket that never reached the printer (print state 'none': the process died
      // between committing the ticket and storing its print job, so 补打 has nothing to reprint)
      // prints it now, unless the first request is still running here.
      const print = !printsNothing(result) || (!retryOfRunning && result.replayed === true && result.ticket.printState === 'none');
      pass?.settle({ printed: print, declared: fresh && result.ticket.priorityBasis === 'declared' });
      return await this.#finish(result, print);
    } catch (err) {
      pass?.release();
      throw err;
    } finally {
      if (!retryOfRunning) this.#inFlight.delete(input.requestId);
    }
  }

  /** 预约签到 by the scanned appointment code, or else by the ID card on the reader. */
  async checkIn(input: { readonly code?: string | undefined }): Promise<KioskTicketReply> {
    const { config } = this.#deps;
    if (input.code) {
      const v = verifyCode(input.code, config.privacy.hmacKey, { hallCode: config.hall.code });
      if (!v.ok || v.code.type !== 'appointment') throw new KioskError('APPOINTMENT_UNKNOWN', {}, v.ok ? '这不是预约二维码' : v.message);
      const result = await this.#deps.queue.checkIn({ appointmentId: Number(v.code.appointmentId) });
      this.#deps.session.end?.('task');
      return this.#finish(result);
    }
    const identity = this.#deps.session.identity;
    this.#cardUsable();
    if (!identity) throw new KioskError('REQUEST_INVALID', { field: 'code' }, '请扫描预约二维码或放置身份证');
    const result = await this.#deps.queue.checkIn({ identityHash: identity.hash });
    this.#deps.session.end?.('task');
    return this.#finish(result);
  }

  /** No identity, and the reader holds a card whose identity ended: it must be placed again (IDCARD_REPLACE). */
  #cardUsable(): void {
    if (!this.#deps.session.identity && this.#deps.session.mustReplaceCard) throw new KioskError('IDCARD_REPLACE');
  }

  /** 补打: print a ticket taken at this kiosk again, from its stored document. */
  async reprint(ticketId: number): Promise<{ print: PrintReply }> {
    const release = this.#deps.limits?.admitReprint();
    const outcome = await this.#deps.printing.reprintTicket(ticketId).catch((err: unknown) => {
      release?.();
      throw err;
    });
    if (outcome.ok) void this.#deps.devices.present();
    return { print: printReply(outcome) };
  }

  /** 查询号票: by a scanned ticket code or by the number typed in. */
  async lookup(query: { readonly code?: string | undefined; readonly number?: string | undefined }): Promise<{ ticket: TicketView }> {
    const { config, queue } = this.#deps;
    if (query.code) {
      const v = verifyCode(query.code, config.privacy.hmacKey, { hallCode: config.hall.code });
      if (!v.ok) throw new KioskError('QUEUE_UNKNOWN_TICKET', { reason: v.reason }, v.message);
      if (v.code.type !== 'ticket') throw new KioskError('QUEUE_UNKNOWN_TICKET', {}, '这不是号票二维码');
      return { ticket: await queue.ticket(Number(v.code.ticketId)) };
    }
    if (query.number) return { ticket: await queue.ticketByNumber(query.number) };
    throw new KioskError('REQUEST_INVALID', { field: 'code' }, '请扫描号票二维码或输入号码');
  }

  async #finish(result: IssueResult, print = !printsNothing(result)): Promise<KioskTicketReply> {
    const { config } = this.#deps;
    const t = result.ticket;
    const code = signTicketCode({ hallCode: config.hall.code, day: t.day, ticketNo: t.displayNo, ticketId: String(t.id) }, config.privacy.hmacKey);
    const qrText = config.ui.ticketUrlPrefix ? codeUrl(config.ui.ticketUrlPrefix, code) : code;
    const counters = countersFor(config.counters, t.serviceCode, t.priority).map((c) => ({ number: c.number, name: c.name }));
    if (!print) {
      // A retry, or a ticket already on paper: report what was recorded, print nothing.
      return { ticket: t, existing: result.existing, counters, code, qrText, print: recordedPrint(t.printState) };
    }
    const outcome = await this.#deps.printing.print(
      'ticket',
      ticketDocument(config, t, { qrText, counters, ...(this.#deps.promises ? { promises: await this.#deps.promises(t.serviceCode) } : {}) }),
      t.id,
    );
    if (outcome.ok) void this.#deps.devices.present();
    const ticket: TicketView = { ...t, printState: outcome.ok ? 'printed' : 'failed' };
    return { ticket, existing: result.existing, counters, code, qrText, print: printReply(outcome) };
  }
}

/** A retry, or a ticket already on paper: the reply reports what was recorded and prints nothing. */
function printsNothing(result: IssueResult): boolean {
  return result.replayed || (result.existing && result.ticket.printState === 'printed');
}

function printReply(outcome: PrintOutcome): PrintReply {
  return outcome.ok ? { ok: true } : { ok: false, code: outcome.code ?? 'failed', message: outcome.message ?? '打印失败' };
}

/** The print state recorded for a ticket, for a reply that does not print. */
function recordedPrint(state: PrintState): PrintReply {
  if (state === 'printed') return { ok: true };
  if (state === 'pending') return { ok: false, code: 'print-unknown', message: '号票打印结果未知，如未出票请点击补打' };
  return { ok: false, code: 'not-printed', message: '号票尚未打印，如需纸质号票请点击补打' };
}
