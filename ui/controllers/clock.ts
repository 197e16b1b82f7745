import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The header clock: re-renders the host once a second. */
export class ClockController implements ReactiveController {
  now = new Date();
  #host: ReactiveControllerHost;
  #timer = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = window.setInterval(() => {
      this.now = new Date();
      this.#host.requestUpdate();
    }, 1000);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }
}
