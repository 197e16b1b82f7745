import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { get, post } from './api.ts';
import { callFailure, PAYMENT_STATUS, type CertIdentity, type CertificateOptions, type Failure, type InsuranceOverview } from './kiosk-certificate-api.ts';
import { NavigateEvent, setPrompt } from './events.ts';
import { sentence } from './speech.ts';
import { shared } from './styles.ts';
import type { Identity } from './types.ts';

/** Amounts shown on request are hidden again after this long without a touch. */
const AMOUNTS_IDLE_MS = 20_000;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart'] as const;

/**
 * 参保信息查询: status per 险种 (masked identity), the last 12 months of payments where the backend
 * has them — months and status only; amounts appear when the citizen taps 显示金额 and disappear
 * again after a short idle or when the screen is left. Identity: the ID card or a 医保电子凭证.
 */
export class KioskCertificateInfo extends LitElement {
  static override properties = {
    identity: { attribute: false },
    overview: { state: true },
    failure: { state: true },
    busy: { state: true },
    eVoucher: { state: true },
  };
  declare identity: Identity | null;
  declare overview: InsuranceOverview | null;
  declare failure: Failure | null;
  declare busy: boolean;
  declare eVoucher: boolean;
  #referCounter = 1;
  #hideTimer = 0;
  #loadedFor: Identity | null = null;

  constructor() {
    super();
    this.identity = null;
    this.overview = null;
    this.failure = null;
    this.busy = false;
    this.eVoucher = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      table { width: 100%; border-collapse: collapse; background: #fff; margin-top: 0.4rem; }
      th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; }
      th { background: var(--blue-light); font-size: 0.9rem; }
      .actions { display: flex; gap: 0.8rem; flex-wrap: wrap; margin-top: 1rem; }
      .big { font-size: 1.5rem; font-weight: bold; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    for (const t of ACTIVITY) window.addEventListener(t, this.#onActivity, { capture: true, passive: true });
    void get<CertificateOptions>('/certificates/options').then(
      (o) => {
        this.#referCounter = o.referCounter;
        this.eVoucher = o.eVoucher;
      },
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of ACTIVITY) window.removeEventListener(t, this.#onActivity, { capture: true });
    clearTimeout(this.#hideTimer);
    this.overview = null;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('identity') && this.identity && this.identity !== this.#loadedFor && !this.busy) void this.#load(false);
    if (changed.has('identity') && !this.identity) this.overview = null;
  }

  /** The shell forwards a 医保电子凭证 scan. */
  async voucherScanned(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await post<{ identity: CertIdentity }>('/certificates/identity/e-voucher', {}, { timeoutMs: 12_000 });
      this.busy = false;
      await this.#load(false);
    } catch (e) {
      this.failure = callFailure(e, this.#referCounter);
    } finally {
      this.busy = false;
    }
  }

  #onActivity = (): void => {
    if (this.overview?.amountsShown) this.#armHide();
  };

  #armHide(): void {
    clearTimeout(this.#hideTimer);
    this.#hideTimer = window.setTimeout(() => void this.#load(false), AMOUNTS_IDLE_MS);
  }

  /** Exposed for the shell's idle warning: hide the amounts at once. */
  hideAmounts(): void {
    if (this.overview?.amountsShown) void this.#load(false);
  }

  async #load(amounts: boolean): Promise<void> {
    this.busy = true;
    this.#loadedFor = this.identity;
    try {
      const o = await get<InsuranceOverview>(`/certificates/insurance?amounts=${amounts ? 'true' : 'false'}&months=12`, { timeoutMs: 15_000 });
      this.overview = o;
      this.failure = null;
      if (amounts) this.#armHide();
      else clearTimeout(this.#hideTimer);
    } catch (e) {
      this.overview = null;
      this.failure = callFailure(e, this.#referCounter);
    } finally {
      this.busy = false;
    }
  }

  /**
   * 朗读 here. The overview is not read out: 参保状态 and payments are the citizen's own data,
   * and the hall can hear the speaker; the prompt says where they are and what to do next.
   */
  protected override updated(): void {
    const f = this.failure;
    let text: string;
    if (f) text = `${sentence(f.title)}${sentence(f.message)}请点击“取号到窗口办理”，或点击“返回首页”。`;
    else if (this.overview)
      text = `已查询到您的参保信息，共 ${this.overview.insurances.length} 个险种，请在屏幕上查看。${
        this.overview.payments === null ? '' : this.overview.amountsShown ? '金额已显示，不用时请点击“隐藏金额”。' : '缴费金额已隐藏，需要时请点击“显示金额”。'
      }需要打印证明请点击“打印参保证明”。`;
    else if (this.busy) text = '正在查询，请稍候。';
    else text = `参保信息查询：请将身份证放在读卡区${this.eVoucher ? '，或将医保电子凭证二维码对准扫码口' : ''}，查询您的参保信息。`;
    setPrompt(this, text);
  }

  #yuan(v: number | null): string {
    return v === null ? '—' : `${v.toFixed(2)} 元`;
  }

  #table(o: InsuranceOverview): TemplateResult {
    return html`<table data-insurances>
      <thead><tr><th>险种</th><th>参保状态</th><th>参保日期</th><th>暂停/终止日期</th><th>参保单位</th><th>统筹区</th></tr></thead>
      <tbody>
        ${o.insurances.map(
          (r) => html`<tr data-insutype=${r.insutype}>
            <td>${r.insutypeName}</td><td data-status>${r.statusName}</td><td>${r.insuredSince ?? '—'}</td><td>${r.suspendedSince ?? '—'}</td>
            <td>${r.employer ?? '—'}</td><td>${r.regionName ?? r.regionCode ?? '—'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  #payments(o: InsuranceOverview): TemplateResult {
    if (o.payments === null) return html`<p class="muted">参保信息系统未提供缴费记录，如需查询缴费情况请到 ${this.#referCounter} 号窗口。</p>`;
    return html`<h3>近 12 个月缴费情况</h3>
      <table data-payments data-amounts=${o.amountsShown ? 'shown' : 'hidden'}>
        <thead><tr><th>月份</th><th>险种</th><th>状态</th><th>个人缴费</th><th>单位缴费</th></tr></thead>
        <tbody>
          ${o.payments.map(
            (p) => html`<tr>
              <td>${p.month}</td><td>${p.insutypeName}</td><td>${PAYMENT_STATUS[p.status] ?? p.status}</td>
              <td data-amount>${o.amountsShown ? this.#yuan(p.personal) : '***'}</td><td>${o.amountsShown ? this.#yuan(p.employerPart) : '***'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="actions">
        ${
          o.amountsShown
            ? html`<button data-action="hide-amounts" @click=${() => void this.#load(false)}>隐藏金额</button>`
            : html`<button data-action="show-amounts" @click=${() => void this.#load(true)}>显示金额</button>`
        }
      </div>`;
  }

  protected override render(): TemplateResult {
    const f = this.failure;
    if (f)
      return html`<section class="stack" data-step="failed" data-failure=${f.code}>
        <p class="big error" role="alert" data-failure-title>${f.title}</p>
        <p class="prompt" data-failure-message>${f.message}</p>
        <div class="actions">
          <button class="primary" data-action="take-ticket" @click=${() => this.dispatchEvent(new NavigateEvent('take'))}>取号到窗口办理</button>
          <button data-action="home" @click=${() => this.dispatchEvent(new NavigateEvent('home'))}>返回首页</button>
        </div>
      </section>`;
    const o = this.overview;
    if (!o)
      return html`<section class="stack" data-step="identify">
        <p class="prompt">参保信息查询</p>
        <div class="card">
          <p class="big">请将身份证放在读卡区</p>
          ${this.eVoucher ? html`<p class="big">或将医保电子凭证二维码对准扫码口</p>` : nothing}
        </div>
        ${this.busy ? html`<p class="muted">正在查询，请稍候…</p>` : nothing}
      </section>`;
    return html`<section class="stack" data-step="overview">
      <p class="prompt"><span data-masked-name>${o.identity.maskedName}</span>（<span data-masked-id>${o.identity.maskedId}</span>）的参保信息</p>
      ${this.#table(o)}
      ${this.#payments(o)}
      <div class="actions">
        <button class="primary" data-action="certificate" @click=${() => this.dispatchEvent(new NavigateEvent('certificate'))}>打印参保证明</button>
      </div>
    </section>`;
  }
}

customElements.define('kiosk-certificate-info', KioskCertificateInfo);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-certificate-info': KioskCertificateInfo;
  }
}
