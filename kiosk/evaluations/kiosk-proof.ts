import type { Clock } from '../clock.ts';
import { verifyCode, type SigningKeys } from '../scan/ticket-code.ts';
import type { Channel } from './types.ts';
import { evaluationError } from './errors.ts';

/**
 * Who may evaluate a ticket at the kiosk (issue 10 item 12). A ticket's evaluation belongs to the
 * citizen who holds it, so typing its number is not enough — anyone could take someone else's one
 * evaluation and open a 差评 case in their name. The kiosk accepts one of two proofs:
 *
 * - the ticket's signed QR code (kiosk/scan/ticket-code.ts), scanned here: its signature, hall,
 *   ticket id, number and day must all match the ticket;
 * - the ID card that took the ticket, on the reader now: the session's identity hash equals the
 *   ticket's (a ticket taken without a card can only be evaluated by its QR code).
 *
 * Anything else is `EVALUATION_PROOF_REQUIRED`. Limits: per ticket (two evaluations, attempts per
 * 10 minutes: store.ts), per kiosk session (`perSession` accepted evaluations per visit; a visit
 * ends when the card on the reader changes or is cleared, or after the idle timeout without
 * evaluation activity), and per device per minute (store.ts) as a hall-wide brake.
 * The counter evaluators have their own credential and are not gated here.
 */
export interface ProofTicket {
  readonly id: number;
  readonly display_no: string;
  readonly day: string;
  readonly identity_hash: string | null;
}

export interface KioskProofOptions {
  readonly key: SigningKeys;
  readonly hallCode: string;
  /** The identity hash of the card on the reader now (the citizen session), or null. */
  readonly identity: () => string | null;
  readonly clock: Clock;
  /** Accepted ticket evaluations per kiosk visit. */
  readonly perSession: number;
  /** A visit with no evaluation activity for this long is over. */
  readonly visitIdleMs: number;
}

/** Ticket evaluations one kiosk visit may submit (a citizen rarely holds more tickets than this). */
export const EVALUATIONS_PER_VISIT = 3;

export class KioskEvaluationProof {
  readonly #o: KioskProofOptions;
  #accepted = 0;
  #lastActivity = -Infinity;

  constructor(options: KioskProofOptions) {
    this.#o = options;
  }

  /** The ticket id a scanned code names; a code that is not a valid ticket code of this hall proves nothing. */
  ticketIdOf(code: string): number {
    const r = verifyCode(code, this.#o.key, { hallCode: this.#o.hallCode });
    if (r.ok && r.code.type === 'ticket' && /^\d+$/.test(r.code.ticketId)) return Number(r.code.ticketId);
    throw evaluationError(
      'EVALUATION_PROOF_REQUIRED',
      { proof: 'qr', reason: r.ok ? 'not-a-ticket' : r.reason },
      r.ok ? '这不是号票二维码，请扫描号票上的二维码' : r.message,
    );
  }

  /** Checks the proof for `ticket`; returns the channel the evaluation is recorded under. */
  prove(ticket: ProofTicket, code: string | null | undefined): Channel {
    this.#touch();
    if (code) {
      const r = verifyCode(code, this.#o.key, { hallCode: this.#o.hallCode });
      const ok =
        r.ok && r.code.type === 'ticket' && r.code.ticketId === String(ticket.id) && r.code.ticketNo === ticket.display_no && r.code.day === ticket.day;
      if (!ok) throw evaluationError('EVALUATION_PROOF_REQUIRED', { ticketId: ticket.id, proof: 'qr' }, '二维码与这张号票不符，请扫描这张号票上的二维码');
      return 'ticket-qr';
    }
    const identity = this.#o.identity();
    if (identity && ticket.identity_hash !== null && identity === ticket.identity_hash) return 'kiosk';
    if (identity) {
      throw evaluationError(
        'EVALUATION_PROOF_REQUIRED',
        { ticketId: ticket.id, proof: 'id-card' },
        '读卡区的身份证不是取这张号票时使用的，请扫描号票上的二维码评价',
      );
    }
    throw evaluationError('EVALUATION_PROOF_REQUIRED', { ticketId: ticket.id, proof: null });
  }

  /** Before storing an evaluation: refuses once this visit has used its evaluations. */
  checkSession(): void {
    this.#touch();
    if (this.#accepted >= this.#o.perSession) {
      throw evaluationError('EVALUATION_RATE_LIMITED', { limitPerSession: this.#o.perSession }, '本次已评价多张号票，如需继续评价请到窗口或稍后再试');
    }
  }

  /** An evaluation was stored for this visit. */
  accepted(): void {
    this.#accepted++;
  }

  /** The visit is over (the card changed or was cleared, the kiosk went home). */
  endVisit(): void {
    this.#accepted = 0;
  }

  #touch(): void {
    const now = this.#o.clock();
    if (now - this.#lastActivity > this.#o.visitIdleMs) this.#accepted = 0;
    this.#lastActivity = now;
  }
}
