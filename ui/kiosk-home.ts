import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { NavigateEvent, setPrompt } from './events.ts';
import { closedNotice } from './hall-time.ts';
import type { Screen } from './router.ts';
import { shared } from './styles.ts';
import type { KioskInfo, KioskStatus } from './types.ts';

/** Welcome screen: the main functions and live waiting counts per service. */
export class KioskHome extends LitElement {
  static override properties = {
    info: { attribute: false },
    status: { attribute: false },
  };
  declare info: KioskInfo | null;
  declare status: KioskStatus | null;

  static override styles = [
    shared,
    css`
      :host { display: block; height: 100%; }
      .tiles { display: grid; grid-template-columns: repeat(2, 1fr); gap: 1rem; margin: 0.8rem 0 1.2rem; }
      /* Portrait: the tiles take the screen's height (no empty bottom half), the queue table below. */
      @media (orientation: portrait) {
        .layout { display: flex; flex-direction: column; min-height: 100%; }
        .layout > section:first-child { flex: 1; display: flex; flex-direction: column; }
        .tiles { flex: 1; grid-auto-rows: minmax(8.5rem, 1fr); }
        .tile { font-size: 1.8rem; }
      }
      th, td { white-space: nowrap; }
      td:first-child { white-space: normal; }
      /* 长辈模式: fewer columns, so nothing wraps at 1.5× and the numbers stay large. */
      :host-context(html.elder) .counters { display: none; }
      :host-context(html.elder) .tile small { display: none; }
      :host-context(html.elder) .tiles { gap: 0.6rem; }
      @media (orientation: landscape) { :host-context(html.elder) .tile { min-height: 4rem; font-size: 1.2rem; } :host-context(html.elder) .layout { grid-template-columns: 1fr 1fr; } }
      @media (orientation: landscape) { .tiles { grid-template-columns: repeat(3, 1fr); } .layout { display: grid; grid-template-columns: 3fr 2fr; gap: 1.2rem; } }
      .tile { min-height: 6rem; font-size: 1.5rem; font-weight: bold; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 0.2rem; border-width: 3px; border-radius: 0.7rem; }
      .tile small { font-size: 0.8rem; font-weight: normal; }
      .tile.primary small { color: #fff; }
      table { width: 100%; border-collapse: collapse; background: #fff; }
      th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
      th { background: var(--blue-light); font-size: 0.9rem; }
      td.num { font-weight: bold; font-size: 1.1rem; }
      .hours { margin-top: 0.6rem; font-size: 0.9rem; }
    `,
  ];

  /** 排队查询 and 评价 open without a ticket: the citizen scans or types one there. */
  #go(screen: Screen): void {
    this.dispatchEvent(new NavigateEvent(screen, screen === 'lookup' || screen === 'evaluate' ? { ticket: null } : {}));
  }

  #hours(): string {
    const days = ['日', '一', '二', '三', '四', '五', '六'];
    const groups = new Map<string, string[]>();
    for (const h of this.info?.hall.openingHours ?? []) {
      const key = h.weekdays.map((d) => `周${days[d % 7]}`).join('、');
      groups.set(key, [...(groups.get(key) ?? []), `${h.open}-${h.close}`]);
    }
    return [...groups].map(([d, t]) => `${d} ${t.join('，')}`).join('；');
  }

  #waiting(): TemplateResult {
    const rows = this.status?.services ?? [];
    if (!rows.length) return html`<p class="muted">正在获取排队信息…</p>`;
    const open = this.status?.hall?.open ?? true;
    return html`<table data-waiting>
      <thead><tr><th>业务</th><th>等候人数</th><th>预计等候</th><th class="counters">开放窗口</th></tr></thead>
      <tbody>
        ${rows.map(
          (s) => html`<tr data-service=${s.code}>
            <td>${s.name}</td>
            <td class="num">${s.waiting} 人</td>
            <td data-wait>${s.openCounters > 0 && open ? (s.estimatedWaitMinutes == null ? '—' : `约 ${s.estimatedWaitMinutes} 分钟`) : '暂未开放'}</td>
            <td class="counters">${s.openCounters > 0 ? `${s.openCounters} 个` : '暂未开放'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /** 朗读 here: the tiles on screen, each with what it is for, and whether the hall is open. */
  protected override updated(): void {
    const f = this.info?.features;
    const tiles = [
      '排队办理业务，请点击“取号”',
      f?.guides === false ? '' : '查询办事要带的材料，请点击“办事指南”',
      '已经预约的，请点击“预约签到”',
      '查看排队进度，请点击“排队查询”',
      f?.evaluation ? '评价窗口服务，请点击“评价”' : '',
      f?.certificate ? '打印参保证明，请点击“参保证明打印”；查询参保情况，请点击“参保信息查询”' : '',
    ].filter(Boolean);
    const closed = closedNotice(this.status?.hall);
    setPrompt(this, `您好，欢迎您！请点击屏幕上的按钮：${tiles.join('；')}。${closed ?? ''}`);
  }

  protected override render(): TemplateResult {
    const f = this.info?.features;
    return html`
      <div class="layout">
        <section>
          <p class="prompt" data-prompt>您好！欢迎您！请问您需要办理什么业务？</p>
          <div class="tiles">
            <button class="tile primary" data-action="take" @click=${() => this.#go('take')}>取号<small>排队取号、绿色通道</small></button>
            ${f?.guides === false ? nothing : html`<button class="tile" data-action="guides" @click=${() => this.#go('guides')}>办事指南<small>查材料、查流程</small></button>`}
            <button class="tile" data-action="checkin" @click=${() => this.#go('checkin')}>预约签到<small>已预约请在此签到</small></button>
            <button class="tile" data-action="lookup" @click=${() => this.#go('lookup')}>排队查询<small>扫描号票查进度</small></button>
            ${f?.evaluation ? html`<button class="tile" data-action="evaluate" @click=${() => this.#go('evaluate')}>评价<small>扫描号票，评价窗口服务</small></button>` : nothing}
            ${
              f?.certificate
                ? html`<button class="tile" data-action="certificate" @click=${() => this.#go('certificate')}>参保证明打印<small>身份证或医保电子凭证</small></button>
                  <button class="tile" data-action="insurance-info" @click=${() => this.#go('insurance-info')}>参保信息查询<small>参保状态、缴费情况</small></button>`
                : nothing
            }
          </div>
        </section>
        <section>
          <h2>当前排队情况</h2>
          ${closedNotice(this.status?.hall) ? html`<p class="warn" data-closed="hours">${closedNotice(this.status?.hall)}</p>` : nothing}
          ${this.#waiting()}
          ${this.info ? html`<p class="hours muted">办公时间：${this.#hours()}</p>` : nothing}
        </section>
      </div>
    `;
  }
}

customElements.define('kiosk-home', KioskHome);
