import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { NavigateEvent, setPrompt, TakeTicketEvent } from './events.ts';
import { closedNotice } from './hall-time.ts';
import { PRIORITY_LABELS } from './labels.ts';
import { sentence } from './speech.ts';
import { shared } from './styles.ts';
import type { Identity, KioskInfo, KioskStatus, PriorityReason, ReaderNotice, ServiceInfo } from './types.ts';

/** What the API says a citizen may declare by tapping, per service (the rule: kiosk/queue/priority.ts). */
type Declarable = ServiceInfo & { declarableReasons?: string[] };
const declarable = (s: ServiceInfo): string[] => (s as Declarable).declarableReasons ?? [];

/** 取号: optional ID card, optional declared priority, then one tap on a service issues the ticket. */
export class KioskTake extends LitElement {
  static override properties = {
    info: { attribute: false },
    status: { attribute: false },
    identity: { attribute: false },
    reader: { attribute: false },
    busy: { attribute: false },
    priority: { state: true },
  };
  declare info: KioskInfo | null;
  declare status: KioskStatus | null;
  declare identity: Identity | null;
  /** The reader's message when no identity is shown (failed read, card to place again). */
  declare reader: ReaderNotice | null;
  declare busy: boolean;
  declare priority: PriorityReason | null;

  constructor() {
    super();
    this.priority = null;
    this.busy = false;
    this.identity = null;
    this.reader = null;
  }

  static override styles = [
    shared,
    css`
      section { margin-top: 0.9rem; }
      .id { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
      .id .who { font-size: 1.2rem; font-weight: bold; }
      .services { display: grid; grid-template-columns: 1fr; gap: 0.7rem; margin-top: 0.5rem; }
      @media (orientation: landscape) { .services { grid-template-columns: repeat(2, 1fr); } }
      .service { display: flex; justify-content: space-between; align-items: center; gap: 1rem; min-height: 4rem; text-align: left; border-width: 3px; }
      .service .name { font-size: 1.35rem; font-weight: bold; }
      .service .meta { font-size: 0.85rem; text-align: right; }
      h2 { margin-top: 0.6rem; color: var(--muted); font-size: 1rem; }
      /* 长辈模式: one service per row, the wait under the name, nothing beside it to squeeze. */
      :host-context(html.elder) .services { grid-template-columns: 1fr; }
      :host-context(html.elder) .service { flex-direction: column; align-items: flex-start; gap: 0.1rem; }
      :host-context(html.elder) .service .meta { text-align: left; }
      :host-context(html.elder) .service .meta br { display: none; }
    `,
  ];

  #groups(): [string, ServiceInfo[]][] {
    const groups = new Map<string, ServiceInfo[]>();
    for (const s of this.info?.services ?? []) groups.set(s.group || '其他业务', [...(groups.get(s.group || '其他业务') ?? []), s]);
    return [...groups];
  }

  #identity(): TemplateResult {
    const id = this.identity;
    if (!id && this.reader)
      return html`<div class="card id" data-identity="none" data-reader=${this.reader.code} role="alert">
        <span class="warn">${this.reader.message}</span>
      </div>`;
    if (!id)
      return html`<div class="card id" data-identity="none">
        <span>如需绿色通道或查询本人号票，请将身份证放到读卡区（可不插卡直接取号）。</span>
      </div>`;
    return html`<div class="card id" data-identity="present">
      <span class="who" data-masked-name>${id.maskedName}</span>
      <span data-masked-id>${id.maskedId}</span>
      ${id.elderly ? html`<span class="badge green" data-green-channel>绿色通道</span><span>您可优先办理</span>` : nothing}
      ${id.expired ? html`<span class="warn">您的证件已过期，仍可取号，办理业务时请向工作人员说明。</span>` : nothing}
    </div>`;
  }

  #service(s: ServiceInfo): TemplateResult {
    const st = this.status?.services.find((x) => x.code === s.code);
    const unsupported = this.priority !== null && !declarable(s).includes(this.priority);
    // An estimate only while the hall is open and a window serves it.
    const counting = (this.status?.hall?.open ?? true) && (st?.openCounters ?? 0) > 0;
    return html`<button
      class="service"
      data-service=${s.code}
      ?disabled=${this.busy || unsupported}
      @click=${() => this.dispatchEvent(new TakeTicketEvent(s.code, this.priority))}
    >
      <span class="name">${s.name}</span>
      <span class="meta" data-service-wait>${
        st
          ? html`等候 ${st.waiting} 人<br />${counting ? (st.estimatedWaitMinutes == null ? '' : ` 约 ${st.estimatedWaitMinutes} 分钟`) : ' 窗口暂未开放'}`
          : nothing
      }</span>
    </button>`;
  }

  /** Outside opening hours (or with no window open at all) 取号 says so before anything is taken. */
  #closedText(): { kind: 'hours' | 'counters'; text: string } | null {
    const notice = closedNotice(this.status?.hall);
    if (notice) return { kind: 'hours', text: notice };
    const services = this.status?.services ?? [];
    if (services.length && services.every((s) => s.openCounters === 0))
      return { kind: 'counters', text: '窗口暂未开放，现在取号可以排队，窗口开放后按顺序叫号。' };
    return null;
  }

  #closed(): TemplateResult | typeof nothing {
    const closed = this.#closedText();
    return closed ? html`<p class="warn" role="status" data-closed=${closed.kind}>${closed.text}</p>` : nothing;
  }

  /**
   * 朗读 here: what to do, whether the hall is open, what the card on the reader gives (never
   * whose card it is: no name, no number), and the services to choose from.
   */
  protected override updated(): void {
    if (this.busy) {
      setPrompt(this, '正在为您取号，请稍候。');
      return;
    }
    const id = this.identity;
    const card = id
      ? `已读取您的身份证。${id.elderly ? '您可以走绿色通道，优先办理。' : ''}${id.expired ? '您的证件已过期，仍可取号，办理时请向工作人员说明。' : ''}`
      : this.reader
        ? sentence(this.reader.message)
        : '如需绿色通道，请将身份证放到读卡区；也可以不插卡，直接取号。';
    const priority = this.priority ? `已选择${PRIORITY_LABELS[this.priority]}优先，办理时请出示相关证明。` : '';
    const services = (this.info?.services ?? []).map((s) => s.name).join('、');
    setPrompt(
      this,
      `请点击您要办理的业务，点击后马上取号。${this.#closedText()?.text ?? ''}${card}${priority}${services ? `可以办理的业务有：${services}。` : ''}`,
    );
  }

  protected override render(): TemplateResult {
    return html`
      <p class="prompt" data-prompt>请选择您要办理的业务</p>
      ${this.#closed()}
      <section>${this.#identity()}</section>
      <section>
        <div class="row" role="group" aria-label="优先办理">
          <span>如需优先办理，请选择：</span>
          ${(Object.keys(PRIORITY_LABELS) as (keyof typeof PRIORITY_LABELS)[])
            .filter((r) => this.info?.services.some((s) => declarable(s).includes(r)))
            .map(
              (r) => html`<button
              data-priority=${r}
              aria-pressed=${this.priority === r ? 'true' : 'false'}
              @click=${() => (this.priority = this.priority === r ? null : r)}
            >${PRIORITY_LABELS[r]}</button>`,
            )}
        </div>
        ${this.priority ? html`<p class="muted">已选择 ${PRIORITY_LABELS[this.priority]} 优先，办理时请向工作人员出示相关证明。</p>` : nothing}
      </section>
      <section>
        ${this.#groups().map(([group, list]) => html`<h2>${group}</h2><div class="services">${list.map((s) => this.#service(s))}</div>`)}
      </section>
      <section class="row">
        <span>已经预约？</span>
        <button data-action="checkin" @click=${() => this.dispatchEvent(new NavigateEvent('checkin'))}>预约签到</button>
      </section>
      ${this.busy ? html`<p class="prompt" role="status">正在为您取号，请稍候…</p>` : nothing}
    `;
  }
}

customElements.define('kiosk-take', KioskTake);
