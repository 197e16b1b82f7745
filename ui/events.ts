/**
 * What a screen asks of the shell (<kiosk-app>). Screens dispatch these; they bubble out of the
 * screen's shadow root (composed) and the shell handles them in one place. Data flows down as
 * properties (and the hall info through @lit/context, see contexts.ts); requests flow up as
 * these events. No screen holds a reference to the shell.
 */
import type { RouteParams, Screen } from './router.ts';
import type { PriorityReason, SelfServiceItem, TicketResult } from './types.ts';

export type ToastKind = 'ok' | 'warn' | 'error';

abstract class KioskEvent<D> extends CustomEvent<D> {
  constructor(type: string, detail: D) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** Go to another screen (history is kept for 返回上一步; 'home' ends the visit). */
export class NavigateEvent extends KioskEvent<RouteParams & { readonly screen: Screen }> {
  static readonly type = 'kiosk-navigate';
  constructor(screen: Screen, params: RouteParams = {}) {
    super(NavigateEvent.type, { screen, ...params });
  }
}

/** A short message at the bottom of the screen (6 s). */
export class ToastEvent extends KioskEvent<{ readonly message: string; readonly kind: ToastKind }> {
  static readonly type = 'kiosk-toast';
  constructor(message: string, kind: ToastKind = 'ok') {
    super(ToastEvent.type, { message, kind });
  }
}

/** Sets the prompt 朗读 reads for the current screen (and 长辈模式 reads on arrival). */
export class PromptEvent extends KioskEvent<{ readonly text: string }> {
  static readonly type = 'kiosk-prompt';
  constructor(text: string) {
    super(PromptEvent.type, { text });
  }
}

const said = new WeakMap<EventTarget, string>();

/**
 * Sets what 朗读 reads for the screen `el` is, from its current state; call it from `updated()`.
 * Dispatches only when the text changed since `el` last set it, so a re-render (a session poll)
 * does not replace a prompt set in between.
 */
export function setPrompt(el: EventTarget, text: string): void {
  if (said.get(el) === text) return;
  said.set(el, text);
  el.dispatchEvent(new PromptEvent(text));
}

/** Issue a ticket for a service (取号, and 为此事项取号 on a guide page). */
export class TakeTicketEvent extends KioskEvent<{ readonly serviceCode: string; readonly priorityReason: PriorityReason | null }> {
  static readonly type = 'kiosk-take-ticket';
  constructor(serviceCode: string, priorityReason: PriorityReason | null = null) {
    super(TakeTicketEvent.type, { serviceCode, priorityReason });
  }
}

/** A ticket was issued or an appointment checked in elsewhere (预约签到): show it. */
export class TicketIssuedEvent extends KioskEvent<TicketResult> {
  static readonly type = 'kiosk-ticket-issued';
  constructor(result: TicketResult) {
    super(TicketIssuedEvent.type, result);
  }
}

/**
 * The self-service evaluation panel: `finished` (a task is done: home, panel offered once per
 * visit), `offer` (below the current screen, once per visit) or `close` (跳过 or thanks).
 */
export class SelfEvaluationEvent extends KioskEvent<{ readonly action: 'finished' | 'offer'; readonly item: SelfServiceItem } | { readonly action: 'close' }> {
  static readonly type = 'kiosk-self-evaluation';
  static finished(item: SelfServiceItem): SelfEvaluationEvent {
    return new SelfEvaluationEvent({ action: 'finished', item });
  }
  static offer(item: SelfServiceItem): SelfEvaluationEvent {
    return new SelfEvaluationEvent({ action: 'offer', item });
  }
  static close(): SelfEvaluationEvent {
    return new SelfEvaluationEvent({ action: 'close' });
  }
  private constructor(detail: SelfEvaluationEvent['detail']) {
    super(SelfEvaluationEvent.type, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'kiosk-navigate': NavigateEvent;
    'kiosk-toast': ToastEvent;
    'kiosk-prompt': PromptEvent;
    'kiosk-take-ticket': TakeTicketEvent;
    'kiosk-ticket-issued': TicketIssuedEvent;
    'kiosk-self-evaluation': SelfEvaluationEvent;
  }
}
