/**
 * Values the shell provides to any screen below it with @lit/context (ui/kiosk-app.ts is the
 * provider). Screens read them with a `ContextConsumer`; properties stay the way to pass data a
 * screen is rendered for (identity, status), contexts are for what every screen may need.
 */
import { createContext } from '@lit/context';
import type { KioskInfo } from './types.ts';

/** GET /kiosk/info: hall, services, features; null until the daemon answered. */
export const kioskInfoContext = createContext<KioskInfo | null>(Symbol('kiosk-info'));

/** How the current visit ends, read by screens as they are removed. */
export interface Visit {
  /** True while the idle timeout is taking the kiosk home (an open evaluation counts as 'timeout', not 'skipped'). */
  readonly endedByIdle: boolean;
}
export const visitContext = createContext<Visit>(Symbol('kiosk-visit'));
