import { LitElement, css, html, type TemplateResult } from 'lit';
import { DisplayLink, type CounterStatus, type DisplayEvent, type DisplayStatus } from '../display/api.ts';
import '../pairing-entry.ts';
import type { PairedDetail } from '../pairing-entry.ts';

const TOKEN_KEY = 'hall-kiosk.display.token';

/**
 * Sizes for a screen above a window read from the waiting seats, 5 m away. Legibility is set by
 * the angle a character subtends: ISO 9241-303 asks ≥ 20′ of arc for text read at leisure, which at
 * 5 m is 5000 mm × tan(20′) ≈ 29 mm; a number glanced at from a seat should be several times that.
 * On the usual 32″ 1080p window screen (1 vh ≈ 3.7 mm of its 400 mm height):
 * - the number: 42vh ≈ 155 mm high, about 5× the minimum, readable from the back of the hall;
 * - window name, state and service: 9vh ≈ 33 mm, just above the 29 mm minimum;
 * nothing smaller is shown. Sizes are in vh so a bigger or smaller panel scales the same way.
 * White / yellow on near-black: contrast ratio above 15:1.
 */
const styles = css`
  :host { display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; padding: 3vh 4vw; background: #05080f; color: #fff; overflow: hidden; }
  .name { font-size: 9vh; font-weight: 700; line-height: 1.15; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  h1.name { margin: 0; }
  .body { flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; }
  .no { font-size: 42vh; font-weight: 800; line-height: 1; color: #ffd400; font-variant-numeric: tabular-nums; letter-spacing: 0.02em; }
  .service { font-size: 9vh; line-height: 1.2; color: #e6edf3; }
  .state { font-size: 12vh; font-weight: 700; }
  .state.paused { color: #ffb020; }
  .state.closed { color: #9aa5b1; }
  .state.idle { color: #7ee2a8; }
  .offline { font-size: 9vh; color: #ff6b6b; }
  .dim { opacity: 0.35; }
`;

/**
 * The window display (窗口显示屏, /window.html?counter=N): the number being served at one window,
 * very large, its service, the window's name and state (等待叫号, 暂停服务, 未开放). Live over the
 * call display's stream (the same link and token as /display.html), so it carries no personal
 * data: numbers, services and window names only.
 */
export class WindowDisplay extends LitElement {
  static override styles = styles;
  static override properties = {
    counter: { state: true },
    serviceNames: { state: true },
    online: { state: true },
    denied: { state: true },
    serviceOf: { state: true },
  };

  declare counter: CounterStatus | null;
  declare serviceNames: ReadonlyMap<string, string>;
  declare online: boolean;
  declare denied: boolean;
  /** Service name of the current number (from the call event, or the snapshot's service code). */
  declare serviceOf: string;
  #number = 0;
  #link: DisplayLink | null = null;
  #version = 0;

  constructor() {
    super();
    this.counter = null;
    this.serviceNames = new Map();
    this.online = false;
    this.denied = false;
    this.serviceOf = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const params = new URLSearchParams(location.search);
    this.#number = Number(params.get('counter'));
    const fromUrl = params.get('token');
    if (fromUrl) {
      localStorage.setItem(TOKEN_KEY, fromUrl);
      params.delete('token');
      history.replaceState(null, '', `${location.pathname}?${params}`);
    }
    this.#link = new DisplayLink(localStorage.getItem(TOKEN_KEY), {
      snapshot: (s) => this.#snapshot(s),
      event: (e) => this.#event(e),
      clock: () => undefined,
      online: (up) => (this.online = up),
      denied: () => (this.denied = true),
      restart: () => location.reload(),
    });
    void this.#link.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#link?.stop();
  }

  #snapshot(s: DisplayStatus): void {
    if (s.version < this.#version) return;
    this.#version = s.version;
    this.denied = false;
    this.serviceNames = new Map(s.services.map((x) => [x.code, x.name]));
    this.counter = s.counters.find((c) => c.number === this.#number) ?? null;
    const code = this.counter?.current?.serviceCode;
    this.serviceOf = code ? (this.serviceNames.get(code) ?? '') : '';
  }

  #event(e: DisplayEvent): void {
    if (e.id <= this.#version) return;
    this.#version = e.id;
    const c = this.counter;
    if (!c) return;
    switch (e.type) {
      case 'ticket.called':
      case 'ticket.recalled':
        if (e.data.counterNo !== c.number) return;
        this.counter = {
          ...c,
          state: 'open',
          current: { displayNo: e.data.displayNo, status: e.type === 'ticket.called' ? 'called' : 'recalled', serviceCode: e.data.serviceCode },
        };
        this.serviceOf = e.data.serviceName;
        break;
      case 'counter.state':
        if (e.data.counterNo !== c.number) return;
        this.counter = { ...c, state: e.data.state, current: e.data.state === 'open' ? c.current : null };
        break;
      case 'counter.idle':
        if (e.data.counterNo !== c.number || c.current?.displayNo !== e.data.displayNo) return;
        this.counter = { ...c, current: null };
        break;
      case 'day.opened':
        void this.#link?.refresh();
        break;
    }
  }

  /** Paired from the console: the hall-server token is kept like a typed one, the page opens its counter. */
  #paired(p: PairedDetail): void {
    localStorage.setItem(TOKEN_KEY, p.token);
    location.replace(`${location.pathname}?counter=${p.counterNo ?? this.#number}`);
  }

  override render(): TemplateResult {
    const c = this.counter;
    if (!this.#number || (this.denied && !c))
      return html`<div class="body">
        <div class="state closed">${this.#number ? '显示屏未授权' : '请在地址后加上 ?counter=窗口号，或输入配对码'}</div>
        <pairing-entry device="window" @paired=${(e: CustomEvent<PairedDetail>) => this.#paired(e.detail)}></pairing-entry>
      </div>`;
    const dim = this.online ? '' : 'dim';
    // The window's name is the page's heading (window.html puts the element in <main>).
    return html`
      <h1 class="name ${dim}" data-testid="window-name">${c?.name ?? `${this.#number}号窗口`}</h1>
      <div class="body ${dim}">${this.#body(c)}</div>
      ${this.online ? '' : html`<div class="offline" data-testid="offline">连接中断，正在重连…</div>`}
    `;
  }

  #body(c: CounterStatus | null): TemplateResult {
    if (!c) return html`<div class="state closed" data-testid="window-state">正在连接…</div>`;
    if (c.state === 'closed') return html`<div class="state closed" data-testid="window-state" data-state="closed">未开放</div>`;
    if (c.state === 'paused') return html`<div class="state paused" data-testid="window-state" data-state="paused">暂停服务</div>`;
    if (!c.current) return html`<div class="state idle" data-testid="window-state" data-state="idle">等待叫号</div>`;
    return html`<div class="no" data-testid="window-no">${c.current.displayNo}</div>
      <div class="service" data-testid="window-service">${this.serviceOf}</div>`;
  }
}

customElements.define('window-display', WindowDisplay);
