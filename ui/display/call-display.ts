import { LitElement, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { Announcer } from './announcer.ts';
import { DisplayLink, type CounterStatus, type DisplayEvent, type DisplayStatus, type RecentCall, type ServiceStatus, type Waiting } from './api.ts';
import { shownCall, spokenCall } from './spoken.ts';
import { styles } from './styles.ts';
import { hallDate, hallTime } from '../hall-time.ts';
import '../pairing-entry.ts';
import type { PairedDetail } from '../pairing-entry.ts';

const TOKEN_KEY = 'hall-kiosk.display.token';
const RECENT = 8;
/** The daemon's clock is used when this screen's own clock is further off than this. */
const CLOCK_TOLERANCE_MS = 30_000;
const STATE_TEXT: Record<CounterStatus['state'], string> = { open: '服务中', paused: '暂停服务', closed: '未开放' };
/** An open window with nobody at it is waiting for its next call, not serving anyone. */
export function counterStateText(c: Pick<CounterStatus, 'state' | 'current'>): string {
  return c.state === 'open' && !c.current ? '等待叫号' : STATE_TEXT[c.state];
}

interface Current extends RecentCall {
  readonly recall: boolean;
}

/**
 * The hall call display (叫号显示屏): the current call very large, the last calls, waiting counts
 * per service, the counters' states, the hall's name and the time. Live over the display event
 * stream; while the connection is down it says so and greys out what it shows, and after a
 * reconnect it fetches the snapshot again. URL: /display.html?token=<hall-server token>
 * (remembered in localStorage; not needed on the kiosk machine itself), `&speech=off` for a
 * second screen in the same hall.
 */
export class CallDisplay extends LitElement {
  static override styles = styles;
  static override properties = {
    hall: { state: true },
    services: { state: true },
    counters: { state: true },
    recent: { state: true },
    current: { state: true },
    flash: { state: true },
    online: { state: true },
    loaded: { state: true },
    denied: { state: true },
    now: { state: true },
    audioBlocked: { state: true },
    announced: { state: true },
  };

  declare hall: string;
  #timeZone: string | undefined;
  declare services: readonly ServiceStatus[];
  declare counters: readonly CounterStatus[];
  declare recent: readonly RecentCall[];
  declare current: Current | null;
  /** Bumped by every call and recall: re-creates the panel, so its highlight runs again. */
  declare flash: number;
  declare online: boolean;
  declare loaded: boolean;
  declare denied: boolean;
  declare now: number;
  declare audioBlocked: boolean;
  /** The announcement being spoken (an attribute for technicians and tests; the screen shows the call itself). */
  declare announced: string;

  #link: DisplayLink | null = null;
  #announcer: Announcer | null = null;
  #version = 0;
  #announcedId = -1;
  #clockOffset = 0;
  #tick: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.hall = '';
    this.services = [];
    this.counters = [];
    this.recent = [];
    this.current = null;
    this.flash = 0;
    this.online = false;
    this.loaded = false;
    this.denied = false;
    this.now = Date.now();
    this.audioBlocked = false;
    this.announced = '';
    // A touch gives the page the user activation audio needs (when not started with the autoplay flag).
    this.addEventListener('pointerdown', () => (this.audioBlocked = false));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const params = new URLSearchParams(location.search);
    const fromUrl = params.get('token');
    if (fromUrl !== null) {
      if (fromUrl) localStorage.setItem(TOKEN_KEY, fromUrl);
      else localStorage.removeItem(TOKEN_KEY); // ?token= (empty) forgets it
      params.delete('token');
      const rest = params.toString();
      history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}`);
    }
    const token = localStorage.getItem(TOKEN_KEY);
    this.#announcer = new Announcer(
      params.get('speech') !== 'off',
      (text) => (this.announced = text ?? ''),
      () => (this.audioBlocked = true),
    );
    this.#link = new DisplayLink(token, {
      snapshot: (s) => this.#snapshot(s),
      event: (e) => this.#event(e),
      clock: (at) => {
        const offset = at - Date.now();
        this.#clockOffset = Math.abs(offset) > CLOCK_TOLERANCE_MS ? offset : 0;
      },
      online: (up) => (this.online = up),
      denied: () => (this.denied = true),
      restart: () => location.reload(),
    });
    void this.#link.start();
    this.#tick = setInterval(() => (this.now = Date.now() + this.#clockOffset), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#link?.stop();
    if (this.#tick) clearInterval(this.#tick);
  }

  #snapshot(s: DisplayStatus): void {
    // Events newer than this snapshot were already applied (it was on its way meanwhile): keep
    // them; the watchdog's next snapshot brings the rest.
    if (s.version < this.#version) return;
    this.#version = s.version;
    if (this.#announcedId < 0) this.#announcedId = s.version; // what was called before the screen started is not announced
    this.denied = false;
    this.loaded = true;
    this.hall = s.hall.name;
    this.#timeZone = s.hall.timeZone;
    this.services = s.services;
    this.counters = s.counters;
    const recent = dedupe(s.recentCalls);
    this.recent = recent.slice(0, RECENT);
    const top = recent[0];
    const keep = this.current && top && this.current.displayNo === top.displayNo && this.current.counterNo === top.counterNo;
    if (!keep) this.current = top ? { ...top, recall: false } : null;
  }

  #event(e: DisplayEvent): void {
    if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
      const d = e.data;
      if (d.fresh && e.id > this.#announcedId) {
        this.#announcedId = e.id;
        this.#announcer?.announce(spokenCall(d.displayNo, d.counterNo));
      }
    }
    if (e.id <= this.#version) return; // already in the snapshot
    this.#version = e.id;
    switch (e.type) {
      case 'ticket.called':
      case 'ticket.recalled': {
        const d = e.data;
        const call: RecentCall = { displayNo: d.displayNo, counterNo: d.counterNo, counterName: d.counterName, at: d.at };
        this.current = { ...call, recall: e.type === 'ticket.recalled' };
        this.flash++;
        this.recent = dedupe([call, ...this.recent]).slice(0, RECENT);
        this.#setCounter(d.counterNo, (c) => ({
          ...c,
          state: 'open',
          current: { displayNo: d.displayNo, status: e.type === 'ticket.called' ? 'called' : 'recalled' },
        }));
        this.#waiting(d.waiting);
        break;
      }
      case 'counter.state':
        this.#setCounter(e.data.counterNo, (c) => ({ ...c, state: e.data.state, current: e.data.state === 'open' ? c.current : null }));
        break;
      case 'counter.idle': {
        const d = e.data;
        this.#setCounter(d.counterNo, (c) => (c.current?.displayNo === d.displayNo ? { ...c, current: null } : c));
        this.#waiting(d.waiting);
        // 挂起, 过号 or transferred: the call is withdrawn (a completed call stays as the last one).
        if (d.reason && d.reason !== 'done') {
          const gone = (c: RecentCall) => c.displayNo === d.displayNo && c.counterNo === d.counterNo;
          this.recent = this.recent.filter((c) => !gone(c));
          if (this.current && gone(this.current)) {
            const top = this.recent[0];
            this.current = top ? { ...top, recall: false } : null;
          }
        }
        break;
      }
      case 'queue.waiting':
        this.#waiting(e.data.waiting);
        break;
      case 'day.opened':
        // A new business day: yesterday's calls leave the screen, today's state comes from the snapshot.
        this.current = null;
        this.recent = [];
        void this.#link?.refresh();
        break;
    }
  }

  #setCounter(n: number, fn: (c: CounterStatus) => CounterStatus): void {
    this.counters = this.counters.map((c) => (c.number === n ? fn(c) : c));
  }

  #waiting(waiting: readonly Waiting[]): void {
    const by = new Map(waiting.map((w) => [w.code, w.waiting]));
    this.services = this.services.map((s) => ({ ...s, waiting: by.get(s.code) ?? s.waiting }));
  }

  override render() {
    return html`
      <header>
        <span class="hall" data-testid="hall">${this.hall || '医保服务大厅'}</span>
        <span class="clock" data-testid="clock">${hallDate(this.now, this.#timeZone)}<span class="time">${hallTime(this.now, this.#timeZone, true)}</span></span>
      </header>
      <div class="banner">${this.#banner()}</div>
      ${this.denied && !this.loaded ? this.#setup() : this.#board()}
    `;
  }

  #banner() {
    if (this.denied && this.loaded) return html`<p class="offline" data-testid="offline">显示屏令牌无效，请联系技术人员</p>`;
    if (!this.online && !this.denied) return html`<p class="offline" data-testid="offline">连接中断，正在重连…</p>`;
    if (this.audioBlocked)
      return html`<p class="notice" data-testid="audio-blocked">语音播报未启用：请点击屏幕一次，或以 --autoplay-policy=no-user-gesture-required 启动浏览器</p>`;
    return nothing;
  }

  /** Paired from the console: the hall-server token is kept like one from ?token=, and the page starts again with it. */
  #paired(p: PairedDetail): void {
    localStorage.setItem(TOKEN_KEY, p.token);
    location.reload();
  }

  #setup() {
    return html`<div class="setup" data-testid="setup">
      <p>叫号显示屏尚未授权</p>
      <pairing-entry device="display" @paired=${(e: CustomEvent<PairedDetail>) => this.#paired(e.detail)}></pairing-entry>
      <p>请输入大厅管理员在维护台生成的配对码，或在地址后加上大厅服务器令牌：<code>/display.html?token=…</code></p>
      <p>如有疑问请联系技术人员</p>
    </div>`;
  }

  #board() {
    // Grey while the data may be stale: the banner above says why.
    const dim = this.online && this.loaded ? '' : 'dim';
    return html`
      <section class="call ${dim}" data-testid="current" aria-live="assertive" data-announcing=${this.announced} data-voice=${this.#announcer?.voice ?? 'none'}>${keyed(this.flash, this.#call())}</section>
      <section class="recent ${dim}" data-testid="recent">
        <h2>最近叫号</h2>
        ${
          this.recent.length
            ? html`<ol>
              ${this.recent.map(
                (c) => html`<li data-testid="recent-call" title=${c.counterName}><span class="rno">${c.displayNo}</span><span>${shortCounter(c)}</span></li>`,
              )}
            </ol>`
            : html`<p class="empty">今日尚未叫号</p>`
        }
      </section>
      <section class="side ${dim}">
        <div data-testid="waiting">
          <h2>等候人数</h2>
          <table>
            ${this.services.map(
              (s) => html`<tr data-testid="waiting-${s.code}">
                <td><span class="prefix">${s.prefix}</span>${s.name}</td>
                <td class="n" data-testid="waiting-count">${s.waiting}</td>
                <td class="unit">人</td>
              </tr>`,
            )}
          </table>
        </div>
        <div data-testid="counters">
          <h2>窗口状态</h2>
          <div class="counters ${this.counters.length > 7 ? 'many' : ''}">
            ${this.counters.map(
              (c) => html`<div class="row" data-testid="counter-${c.number}" data-state=${c.state}>
                <span>${c.name}</span>
                <span class="cur">${c.state === 'open' ? (c.current?.displayNo ?? '') : ''}</span>
                <span class="state ${c.state}${c.state === 'open' && !c.current ? ' idle' : ''}" data-testid="state">${counterStateText(c)}</span>
              </div>`,
            )}
          </div>
        </div>
      </section>
    `;
  }

  #call() {
    const c = this.current;
    if (!c) {
      return html`<div data-testid="welcome">
        <div class="welcome">您好！欢迎您！</div>
        <div class="hint">请取号后留意屏幕叫号和语音提示</div>
      </div>`;
    }
    // A fresh element for every call and recall (keyed on `flash`): the highlight runs again.
    return html`<div class=${this.flash > 0 ? 'flash' : ''} data-testid="call" data-flash=${this.flash} aria-label=${shownCall(c.displayNo, c.counterName)}>
      ${c.recall ? html`<div><span class="badge" data-testid="recall">再次呼叫</span></div>` : nothing}
      <div class="line1">请<span class="no" data-testid="current-no">${c.displayNo}</span>号</div>
      <div class="line2">到 <span class="counter" data-testid="current-counter">${c.counterName}</span> 办理</div>
    </div>`;
  }
}

/** "3号窗口（报销）" → "3号窗口" for the recent list; a name without the number is kept whole. */
function shortCounter(c: RecentCall): string {
  const short = c.counterName.replace(/\s*[（(].*[）)]\s*$/, '');
  return short.includes(String(c.counterNo)) ? short : c.counterName;
}

/** Newest first, one line per ticket and counter (a recall moves its call back to the top). */
function dedupe(calls: readonly RecentCall[]): RecentCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => {
    const key = `${c.displayNo}@${c.counterNo}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

customElements.define('call-display', CallDisplay);
