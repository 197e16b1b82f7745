import type { IdCard, ReadFailure } from '../../drivers/idcard/index.ts';
import type { CitizenSession } from './citizen-session.ts';

/** What the binding listens to: the device hub's ID-card events (kiosk/devices/hub.ts). */
export interface CardEvents {
  on(event: 'card', listener: (card: IdCard) => void): unknown;
  on(event: 'card-removed', listener: () => void): unknown;
  on(event: 'card-error', listener: (failure: ReadFailure) => void): unknown;
  off(event: 'card' | 'card-removed' | 'card-error', listener: (...args: never[]) => void): unknown;
}

export interface SessionBinding {
  /** Stop listening and stop the idle timer (the kiosk closes). */
  unbind(): void;
}

export interface BindOptions {
  /** Called after the session accepted a freshly read card (the certificate desk takes its query from it). */
  readonly accepted?: (card: IdCard) => void;
  /** How often the idle timer looks at the session's clock; the timeout itself is `ui.idleTimeoutSeconds`. */
  readonly tickMs?: number;
}

/**
 * Binds the ID-card reader to the citizen's session: a read card becomes (or replaces) the
 * identity, a lifted card is noted, a failed read is shown with the driver's message (the driver
 * keeps polling, so the card is read again as soon as it is placed again or answers again), and
 * the daemon's own idle timer ends the identity after `ui.idleTimeoutSeconds` without activity —
 * whether or not a browser is there to notice. The timer compares the session's clock, so tests
 * with a fake clock drive it by moving the clock.
 */
export function bindSession(session: CitizenSession, cards: CardEvents, options: BindOptions = {}): SessionBinding {
  const onCard = (card: IdCard): void => {
    if (session.acceptCard(card)) options.accepted?.(card);
  };
  const onRemoved = (): void => session.cardRemoved();
  const onError = (failure: ReadFailure): void => session.readFailed(failure.message);
  cards.on('card', onCard);
  cards.on('card-removed', onRemoved);
  cards.on('card-error', onError);
  const timer = setInterval(() => session.expireIfIdle(), options.tickMs ?? 1000);
  timer.unref();
  return {
    unbind() {
      clearInterval(timer);
      cards.off('card', onCard as never);
      cards.off('card-removed', onRemoved);
      cards.off('card-error', onError as never);
    },
  };
}
