import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { PriorityRule } from '../queue/priority.ts';
import type { PriorityReason } from '../queue/types.ts';

/**
 * Abuse limits at the citizen's kiosk, the one home of them (`kioskLimits` in the configuration):
 *
 * - printed tickets (取号 and 补打): at most `printedTickets.perKiosk` within `windowSeconds` on this
 *   kiosk, and `perSession` per citizen visit;
 * - declared 绿色通道 (残疾人 / 孕妇 / 人才, marked 待窗口核验 for the clerk): `declaredPriority.perKiosk`
 *   within its window, and `perSession` per visit;
 * - 呼叫工作人员: a request within `assistanceCoalesceSeconds` of the last one raised joins that
 *   request (one open alert) instead of raising a new one.
 *
 * A visit ("session") lasts until the kiosk returns home or times out (`endSession()`). Windows
 * are sliding and read the app's injectable clock, so tests move time instead of sleeping.
 * Admission reserves its slots at once, before the queue is awaited, so 100 requests in flight
 * together cannot all pass a check that none of them has recorded yet; a pass that did not print
 * (a retry, an existing ticket already on paper) or did not end up declared gives its slot back.
 * Counters live in memory: a restart forgets them, which costs at most one more window.
 */
export class KioskAbuseLimits {
  readonly #limits: KioskConfig['kioskLimits'];
  readonly #services: KioskConfig['services'];
  readonly #clock: Clock;
  readonly #priority: PriorityRule;
  readonly #printed = new SlidingWindow();
  readonly #declared = new SlidingWindow();
  #session = { printed: 0, declared: 0 };
  #lastAssistance: number | null = null;

  constructor(config: KioskConfig, clock: Clock, priority: PriorityRule = new PriorityRule(config)) {
    this.#limits = config.kioskLimits;
    this.#services = config.services;
    this.#clock = clock;
    this.#priority = priority;
  }

  /** Whether this request's reason would be honoured as a declaration (待窗口核验) for the service. */
  declares(serviceCode: string, reason: PriorityReason | null | undefined): boolean {
    const service = this.#services.find((s) => s.code === serviceCode);
    return !!reason && !!service && this.#priority.declarable(service).includes(reason);
  }

  /**
   * Admits one 取号 (throws `KIOSK_TICKET_LIMIT` / `KIOSK_PRIORITY_LIMIT`, 429) and reserves its
   * slots; the caller settles the pass with what happened, or releases it when the take failed.
   */
  admitTicket(declared: boolean): TicketPass {
    const now = this.#clock();
    this.#admitPrint(now);
    if (declared) {
      const { perKiosk, windowSeconds, perSession } = this.#limits.declaredPriority;
      if (this.#session.declared >= perSession) {
        this.#release(now, { printed: true, declared: false });
        throw new KioskError('KIOSK_PRIORITY_LIMIT', { scope: 'session', limit: perSession }, '您本次已自行声明过绿色通道，如需再次办理，请到窗口出示相关证明');
      }
      const retry = this.#declared.admit(now, perKiosk, windowSeconds * 1000);
      if (retry !== null) {
        this.#release(now, { printed: true, declared: false });
        throw new KioskError('KIOSK_PRIORITY_LIMIT', { scope: 'kiosk', limit: perKiosk, windowSeconds, retryAfterSeconds: retry });
      }
      this.#session.declared++;
    }
    let open = true;
    return {
      settle: (outcome) => {
        if (!open) return;
        open = false;
        this.#release(now, { printed: !outcome.printed, declared: declared && !outcome.declared });
      },
      release: () => {
        if (!open) return;
        open = false;
        this.#release(now, { printed: true, declared });
      },
    };
  }

  /** Admits one 补打 (a printed ticket too); the returned function gives the slot back if nothing printed. */
  admitReprint(): () => void {
    const now = this.#clock();
    this.#admitPrint(now);
    let open = true;
    return () => {
      if (open) this.#release(now, { printed: true, declared: false });
      open = false;
    };
  }

  /**
   * 呼叫工作人员: `'raise'` to notify the staff, `'joined'` when the previous request is younger
   * than `assistanceCoalesceSeconds` (the staff already have it; nothing new is raised).
   */
  assistance(): 'raise' | 'joined' {
    const now = this.#clock();
    const windowMs = this.#limits.assistanceCoalesceSeconds * 1000;
    if (this.#lastAssistance !== null && now >= this.#lastAssistance && now - this.#lastAssistance < windowMs) return 'joined';
    this.#lastAssistance = now;
    return 'raise';
  }

  /** The citizen's visit is over (home, idle reset): the per-session counts start again. */
  endSession(): void {
    this.#session = { printed: 0, declared: 0 };
  }

  #admitPrint(now: number): void {
    const { perKiosk, windowSeconds, perSession } = this.#limits.printedTickets;
    if (this.#session.printed >= perSession) {
      throw new KioskError('KIOSK_TICKET_LIMIT', { scope: 'session', limit: perSession }, '您本次已取过多张号票，如需办理更多业务，请咨询工作人员');
    }
    const retry = this.#printed.admit(now, perKiosk, windowSeconds * 1000);
    if (retry !== null) throw new KioskError('KIOSK_TICKET_LIMIT', { scope: 'kiosk', limit: perKiosk, windowSeconds, retryAfterSeconds: retry });
    this.#session.printed++;
  }

  #release(at: number, what: { printed: boolean; declared: boolean }): void {
    if (what.printed) {
      this.#printed.release(at);
      this.#session.printed = Math.max(0, this.#session.printed - 1);
    }
    if (what.declared) {
      this.#declared.release(at);
      this.#session.declared = Math.max(0, this.#session.declared - 1);
    }
  }
}

/** A reservation made by `admitTicket`, settled once with what the take actually did. */
export interface TicketPass {
  settle(outcome: { readonly printed: boolean; readonly declared: boolean }): void;
  release(): void;
}

/** Instants of admitted events; at most `max` within any `windowMs`. */
class SlidingWindow {
  #at: number[] = [];

  /** Records `now` and returns null, or returns the seconds until a slot frees (nothing recorded). */
  admit(now: number, max: number, windowMs: number): number | null {
    // A clock set back must not lock the kiosk: instants "in the future" are dropped as well.
    this.#at = this.#at.filter((t) => t > now - windowMs && t <= now);
    if (this.#at.length >= max) return Math.max(1, Math.ceil((this.#at[0]! + windowMs - now) / 1000));
    this.#at.push(now);
    return null;
  }

  /** Gives back one slot recorded at `at` (nothing if it has already left the window). */
  release(at: number): void {
    const i = this.#at.lastIndexOf(at);
    if (i >= 0) this.#at.splice(i, 1);
  }
}
