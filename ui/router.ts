/**
 * The kiosk's screens and the small router between them. There are no URLs: a kiosk has no
 * address bar, and a reload must start at the welcome screen. Each route says what is read
 * aloud there and whether it reads the inserted ID card (elsewhere no identity is held).
 */
import type { ReactiveControllerHost } from 'lit';
import type { Ticket } from './types.ts';

export type Screen = 'home' | 'take' | 'checkin' | 'ticket' | 'guides' | 'guide' | 'lookup' | 'evaluate' | 'certificate' | 'insurance-info';

export interface Route {
  /**
   * What 朗读 (and 长辈模式 on arrival) reads until the screen sets its own from what it shows
   * (setPrompt in ui/events.ts): what is on the screen and what to do next, never personal data.
   */
  readonly prompt: string;
  /** The screen uses the ID card on the reader: the session is polled while it is shown. */
  readonly identity: boolean;
}

export const ROUTES: Readonly<Record<Screen, Route>> = {
  home: { prompt: '您好，欢迎您！请点击屏幕上的按钮：排队办理业务请点击“取号”。', identity: false },
  take: { prompt: '请点击您要办理的业务，点击后马上取号。如需绿色通道，请将身份证放到读卡区。', identity: true },
  checkin: { prompt: '预约签到：请将手机上的预约二维码对准扫码口；或将身份证放到读卡区，再点击“使用身份证签到”。', identity: true },
  ticket: { prompt: '取号成功。请取走号票，留意叫号，然后点击“完成”。', identity: false },
  guides: { prompt: '请点击“常用查询”里的事项，或按分类查找；找到后点击事项，查看要带的材料。', identity: false },
  guide: { prompt: '请点击勾选您已经带齐的材料，屏幕会告诉您还缺什么。', identity: true },
  lookup: { prompt: '排队查询：请将号票上的二维码对准扫码口，或在下方键盘输入号票上的号码，再点击“查询”。', identity: false },
  // Reads the card: the ID card that took a ticket proves it, with the typed number (kiosk/evaluations/kiosk-proof.ts).
  evaluate: { prompt: '评价窗口服务：请将号票上的二维码对准扫码口；或将取号时使用的身份证放到读卡区，再输入号票上的号码，点击“查询”。', identity: true },
  certificate: { prompt: '请点击您要打印的证明。', identity: true },
  'insurance-info': { prompt: '参保信息查询：请将身份证放在读卡区，或扫描医保电子凭证，查询您的参保信息。', identity: true },
};

/** What a screen is opened with: the guide to show, the ticket scanned for 排队查询 / 评价. */
export interface RouteParams {
  readonly guideId?: string;
  readonly ticket?: Ticket | null;
  /** The scanned ticket's signed code (the proof for 评价), with `ticket`. */
  readonly ticketCode?: string | null;
}

/** Called after every change of screen; `from` is the screen left (equal to `to` when re-entered). */
export type RouteListener = (to: Screen, from: Screen, how: 'go' | 'back') => void;

/** The current screen, its parameters and the history for 返回上一步; re-renders the host on change. */
export class RouterController {
  #host: ReactiveControllerHost;
  #entered: RouteListener;
  #history: Screen[] = [];
  #screen: Screen = 'home';
  #guideId: string | null = null;
  #ticket: Ticket | null = null;
  #ticketCode: string | null = null;

  constructor(host: ReactiveControllerHost, entered: RouteListener) {
    this.#host = host;
    this.#entered = entered;
  }

  get screen(): Screen {
    return this.#screen;
  }

  get route(): Route {
    return ROUTES[this.#screen];
  }

  /** The 办事指南 item of the 'guide' screen. */
  get guideId(): string | null {
    return this.#guideId;
  }

  /** The ticket given to 'lookup' / 'evaluate' (scanned), or null when the citizen types a number. */
  get ticket(): Ticket | null {
    return this.#ticket;
  }

  /** The scanned ticket's signed code, or null. */
  get ticketCode(): string | null {
    return this.#ticketCode;
  }

  go(screen: Screen, params: RouteParams = {}): void {
    const from = this.#screen;
    if (screen === 'home') this.#history = [];
    else if (screen !== from) this.#history.push(from);
    if (params.guideId !== undefined) this.#guideId = params.guideId;
    if (params.ticket !== undefined) {
      this.#ticket = params.ticket;
      this.#ticketCode = params.ticketCode ?? null;
    }
    this.#screen = screen;
    this.#host.requestUpdate();
    this.#entered(screen, from, 'go');
  }

  /** 返回上一步; from the ticket (or with no history) that is home. */
  back(): void {
    const prev = this.#history.pop();
    if (!prev || prev === 'ticket') {
      this.go('home');
      return;
    }
    const from = this.#screen;
    this.#screen = prev;
    this.#host.requestUpdate();
    this.#entered(prev, from, 'back');
  }

  /** Forgets the parameters of the last visit (the scanned ticket, the guide). */
  clearParams(): void {
    this.#guideId = null;
    this.#ticket = null;
    this.#ticketCode = null;
    this.#host.requestUpdate();
  }
}
