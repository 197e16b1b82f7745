import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ToastKind } from '../events.ts';

const TOAST_MS = 6000;

/** One toast at a time; a new one replaces the last and restarts the 6 s. */
export class ToastController implements ReactiveController {
  message = '';
  kind: ToastKind = 'ok';
  #host: ReactiveControllerHost;
  #timer = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  show(message: string, kind: ToastKind = 'ok'): void {
    this.message = message;
    this.kind = kind;
    clearTimeout(this.#timer);
    this.#timer = window.setTimeout(() => this.clear(), TOAST_MS);
    this.#host.requestUpdate();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.message = '';
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }
}
