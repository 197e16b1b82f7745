import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { get, post } from './api.ts';
import {
  callFailure,
  printFailure,
  spokenCode,
  type CertificateKind,
  type CertificateOptions,
  type CertIdentity,
  type Failure,
  type PreviewReply,
  type PrintStatus,
} from './kiosk-certificate-api.ts';
import { NavigateEvent, setPrompt } from './events.ts';
import { sentence, speak } from './speech.ts';
import { shared } from './styles.ts';
import type { Identity, ReaderNotice } from './types.ts';

type Step = 'choose' | 'identify' | 'confirm' | 'preview' | 'printing' | 'done' | 'failed';

/** The fixed part of what 朗读 reads per step (#promptText adds what the step shows). */
const PROMPTS: Readonly<Record<Step, string>> = {
  choose: '请点击您要打印的证明。',
  identify: '请将身份证放在读卡区。',
  confirm: '请核对屏幕上将要打印的内容，确认后点击“确认”；要换一种证明请点击“重新选择”。',
  preview: '请查看证明预览。屏幕上的姓名和证件号码已遮盖。确认无误后点击“打印”。',
  printing: '正在打印，请稍候，不要离开。',
  done: '打印完成，请取走您的证明。需要时可点击“朗读验证码”，办完请点击“完成”。',
  failed: '很抱歉，暂时无法办理。请点击“取号到窗口办理”，或点击“返回首页”。',
};

const POLL_MS = 400;

/**
 * 参保证明打印: choose the document → identify (the ID card on the reader, or a 医保电子凭证 QR)
 * → what will be printed, in plain words, 确认 → the masked preview → 打印 → 请取走您的证明 with
 * the 验证码 (read aloud on request). Every failure ends on a screen that says where to go, with a
 * 取号 button. The shell passes the card identity (`identity`) and forwards e-voucher scans
 * (`voucherScanned`).
 */
export class KioskCertificate extends LitElement {
  static override properties = {
    identity: { attribute: false },
    reader: { attribute: false },
    step: { state: true },
    options: { state: true },
    kind: { state: true },
    months: { state: true },
    who: { state: true },
    previewReply: { state: true },
    print: { state: true },
    failure: { state: true },
    busy: { state: true },
  };
  declare identity: Identity | null;
  /** The reader's message when no identity is shown (failed read, card to place again). */
  declare reader: ReaderNotice | null;
  declare step: Step;
  declare options: CertificateOptions | null;
  declare kind: CertificateKind | null;
  declare months: number | null;
  declare who: CertIdentity | null;
  declare previewReply: PreviewReply | null;
  declare print: PrintStatus | null;
  declare failure: Failure | null;
  declare busy: boolean;
  #poll = 0;

  constructor() {
    super();
    this.identity = null;
    this.reader = null;
    this.step = 'choose';
    this.options = null;
    this.kind = null;
    this.months = 12;
    this.who = null;
    this.previewReply = null;
    this.print = null;
    this.failure = null;
    this.busy = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .choices { display: grid; gap: 0.8rem; margin: 0.8rem 0; }
      .choice { text-align: left; padding: 0.8rem 1rem; font-size: 1.25rem; font-weight: bold; display: flex; flex-direction: column; gap: 0.2rem; }
      .choice small { font-size: 0.85rem; font-weight: normal; }
      .months { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.4rem 0 0.8rem; }
      .actions { display: flex; gap: 0.8rem; flex-wrap: wrap; margin-top: 1rem; }
      .actions button { min-width: 9rem; font-size: 1.2rem; }
      ul.plain { margin: 0.4rem 0; padding-left: 1.4rem; line-height: 1.7; }
      .doc { background: #fff; border: 1px solid var(--line); border-radius: 0.4rem; padding: 1rem; margin-top: 0.6rem; }
      .doc h3 { text-align: center; font-size: 1.3rem; margin-bottom: 0.4rem; }
      .doc h4 { margin: 0.8rem 0 0.3rem; font-size: 1rem; }
      .doc table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
      .doc th, .doc td { border: 1px solid var(--line); padding: 0.2rem 0.35rem; text-align: left; }
      .doc th { background: var(--blue-light); }
      .doc dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.8rem; margin: 0; }
      .doc dt { color: var(--muted); }
      .doc dd { margin: 0; }
      .code { font-size: 2rem; font-weight: bold; letter-spacing: 0.1em; font-family: monospace; }
      .big { font-size: 1.6rem; font-weight: bold; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadOptions();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#poll);
    // Nothing of the citizen stays in the element once it is off screen.
    this.previewReply = null;
    this.who = null;
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('identity') && this.step === 'identify' && this.identity && !this.busy) void this.#identified();
  }

  /** 朗读 here: the step's fixed prompt with what it shows (the kinds to choose, the failure); never the name or ID. */
  protected override updated(): void {
    setPrompt(this, this.#promptText());
  }

  #promptText(): string {
    switch (this.step) {
      case 'choose': {
        const kinds = (this.options?.kinds ?? []).map((k) => `${k.name}，${k.use}`).join('；');
        return `${PROMPTS.choose}${kinds ? `可以打印：${sentence(kinds)}` : ''}`;
      }
      case 'identify':
        return `${this.reader ? sentence(this.reader.message) : ''}${this.options?.eVoucher ? '请将身份证放在读卡区，或打开手机上的医保电子凭证，将二维码对准扫码口。' : PROMPTS.identify}${this.busy ? '正在识别，请稍候。' : ''}`;
      case 'confirm':
        return `将为您打印《${this.#kindName()}》。${this.kind === 'proof' ? '您可以选择是否附上缴费明细。' : ''}${PROMPTS.confirm}`;
      case 'failed': {
        const f = this.failure;
        if (!f) return PROMPTS.failed;
        return `${sentence(f.title)}${sentence(f.message)}请点击“取号到窗口办理”，或点击“返回首页”。`;
      }
      default:
        return PROMPTS[this.step];
    }
  }

  /** The shell saw a 医保电子凭证 scan while this screen was shown. */
  async voucherScanned(): Promise<void> {
    if (this.step !== 'identify' || this.busy) return;
    this.busy = true;
    try {
      const { identity } = await post<{ identity: CertIdentity }>('/certificates/identity/e-voucher', {}, { timeoutMs: 12_000 });
      this.who = identity;
      this.step = 'confirm';
    } catch (e) {
      this.#fail(callFailure(e, this.#counter()));
    } finally {
      this.busy = false;
    }
  }

  #counter(): number {
    return this.options?.referCounter ?? 1;
  }

  async #loadOptions(): Promise<void> {
    try {
      this.options = await get<CertificateOptions>('/certificates/options');
      if (!this.options.available) this.#fail({ title: '本机暂未开通参保证明打印', message: `请到 ${this.#counter()} 号窗口办理。`, code: 'off' });
    } catch (e) {
      this.#fail(callFailure(e, 1));
    }
  }

  #choose(kind: CertificateKind): void {
    this.kind = kind;
    this.step = 'identify';
    if (this.identity) void this.#identified();
  }

  async #identified(): Promise<void> {
    try {
      const { identity } = await get<{ identity: CertIdentity | null }>('/certificates/identity');
      if (identity && this.step === 'identify') {
        this.who = identity;
        this.step = 'confirm';
      }
    } catch (e) {
      this.#fail(callFailure(e, this.#counter()));
    }
  }

  async #preview(): Promise<void> {
    if (!this.kind || this.busy) return;
    this.busy = true;
    try {
      this.previewReply = await post<PreviewReply>(
        '/certificates/preview',
        { kind: this.kind, paymentMonths: this.kind === 'proof' ? this.months : null },
        { timeoutMs: 20_000 },
      );
      this.step = 'preview';
    } catch (e) {
      this.#fail(callFailure(e, this.#counter()));
    } finally {
      this.busy = false;
    }
  }

  async #print(reprint = false): Promise<void> {
    const code = this.previewReply?.code;
    if (!code || this.busy) return;
    this.busy = true;
    this.step = 'printing';
    try {
      const path = reprint ? `/certificates/print/${code}/reprint` : '/certificates/print';
      this.#printed(await post<PrintStatus>(path, reprint ? {} : { code }, { timeoutMs: 20_000 }));
    } catch (e) {
      this.#fail(callFailure(e, this.#counter()));
    } finally {
      this.busy = false;
    }
  }

  #printed(s: PrintStatus): void {
    this.print = s;
    if (s.state === 'done') {
      this.step = 'done';
      return;
    }
    if (s.state === 'failed') {
      void post('/assistance', { screen: 'certificate-print-failed' }).catch(() => undefined);
      this.#fail(printFailure(s));
      return;
    }
    this.#poll = window.setTimeout(async () => {
      try {
        this.#printed(await get<PrintStatus>(`/certificates/print/${s.code}`));
      } catch (e) {
        this.#fail(callFailure(e, this.#counter()));
      }
    }, POLL_MS);
  }

  #fail(f: Failure): void {
    this.failure = f;
    this.previewReply = null;
    this.step = 'failed';
  }

  #readCode(): void {
    const code = this.print?.codeText ?? this.previewReply?.preview.codeText;
    if (code) void speak(`您的证明验证码是：${spokenCode(code)}`);
  }

  // ---- render ------------------------------------------------------------------------------

  #chooseView(): TemplateResult {
    const o = this.options;
    return html`<section class="stack" data-step="choose">
      <p class="prompt">请选择您要打印的证明</p>
      <div class="choices">
        ${(o?.kinds ?? []).map(
          (k) => html`<button class="choice" data-kind=${k.kind} @click=${() => this.#choose(k.kind)}>${k.name}<small>${k.use}</small></button>`,
        )}
      </div>
      <p class="muted">只查看参保状态、不打印？请返回首页选择“参保信息查询”。</p>
    </section>`;
  }

  #identifyView(): TemplateResult {
    const eVoucher = this.options?.eVoucher;
    return html`<section class="stack" data-step="identify">
      <p class="prompt">请确认您的身份</p>
      <div class="card">
        <p class="big">请将身份证放在读卡区</p>
        ${eVoucher ? html`<p class="big">或打开手机上的医保电子凭证，将二维码对准扫码口</p>` : nothing}
      </div>
      ${this.reader ? html`<p class="warn" data-reader=${this.reader.code} role="alert">${this.reader.message}</p>` : nothing}
      ${this.busy ? html`<p class="muted" data-busy>正在识别，请稍候…</p>` : nothing}
    </section>`;
  }

  #kindName(): string {
    return this.options?.kinds.find((k) => k.kind === this.kind)?.name ?? '证明';
  }

  #confirmView(): TemplateResult {
    const o = this.options;
    const who = this.who;
    const proof = this.kind === 'proof';
    return html`<section class="stack" data-step="confirm">
      <p class="prompt">将为 <span data-masked-name>${who?.maskedName ?? ''}</span>（证件号码 <span data-masked-id>${who?.maskedId ?? ''}</span>）打印《${this.#kindName()}》</p>
      <p class="muted" data-source>${who?.source === 'e-voucher' ? '身份来自医保电子凭证' : '身份来自身份证'}</p>
      ${
        proof
          ? html`<div>
            <p>是否附上缴费明细（按月列出）：</p>
            <div class="months">
              <button aria-pressed=${this.months === null ? 'true' : 'false'} data-months="none" @click=${() => (this.months = null)}>不需要</button>
              ${(o?.paymentMonthsChoices ?? []).map(
                (m) =>
                  html`<button aria-pressed=${this.months === m ? 'true' : 'false'} data-months=${m} @click=${() => (this.months = m)}>近 ${m} 个月</button>`,
              )}
            </div>
          </div>`
          : nothing
      }
      <div class="card" data-plain-words>
        <p><b>纸上将打印：</b></p>
        <ul class="plain">
          <li>您的姓名、性别、证件类型和${o?.paperShowsFullId ? '完整的证件号码' : '部分遮盖的证件号码'}</li>
          <li>每个险种的参保状态、参保日期、参保单位和统筹区</li>
          ${proof && this.months ? html`<li>近 ${this.months} 个月的缴费明细（含缴费金额）</li>` : nothing}
          ${proof ? nothing : html`<li>参保和缴费情况汇总（缴费月数、欠缴和中断月数），供医疗保险关系转出使用</li>`}
          <li>经办机构名称和电子印章、打印时间，以及用于核验真伪的验证码和二维码（${o?.validityDays ?? 90} 天内可核验）</li>
        </ul>
        <p class="muted">屏幕上只显示遮盖后的姓名和证件号码，金额不在屏幕上显示。${o?.target === 'thermal' ? '本机没有 A4 打印机，证明将打印在小票纸上。' : ''}</p>
      </div>
      <div class="actions">
        <button class="primary" data-action="confirm" ?disabled=${this.busy} @click=${() => void this.#preview()}>${this.busy ? '正在查询…' : '确认'}</button>
        <button data-action="restart" @click=${() => (this.step = 'choose')}>重新选择</button>
      </div>
    </section>`;
  }

  #previewView(): TemplateResult {
    const r = this.previewReply;
    if (!r) return html``;
    const p = r.preview;
    return html`<section class="stack" data-step="preview">
      <p class="prompt">证明预览（屏幕上已遮盖个人信息）</p>
      <div class="doc" data-preview>
        <h3>${p.title}</h3>
        ${p.subtitle ? html`<p class="muted">${p.subtitle}</p>` : nothing}
        <p>${p.intro}</p>
        ${p.sections.map((s) => this.#section(s))}
        <p class="muted">验证码 <span data-preview-code>${p.codeText}</span>　打印时间 ${p.issuedAtText}　核验有效期至 ${p.validUntilText}</p>
        <p class="muted">${p.issuer}</p>
      </div>
      <div class="actions">
        <button class="primary" data-action="print" ?disabled=${this.busy} @click=${() => void this.#print()}>打印</button>
        <button data-action="restart" @click=${() => (this.step = 'choose')}>不打印，重新选择</button>
      </div>
    </section>`;
  }

  #section(s: PreviewReply['preview']['sections'][number]): TemplateResult {
    if (s.kind === 'fields')
      return html`<h4>${s.title}</h4>
        <dl>${(s.fields ?? []).map((f) => html`<dt>${f.label}</dt><dd data-field=${f.label}>${f.value}</dd>`)}</dl>`;
    if (s.kind === 'text') return html`<h4>${s.title}</h4><p>${s.text}</p>`;
    return html`<h4>${s.title}</h4>
      <table data-table=${s.title}>
        <thead><tr>${(s.columns ?? []).map((c) => html`<th>${c}</th>`)}</tr></thead>
        <tbody>${(s.rows ?? []).map((row) => html`<tr>${row.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
      </table>
      ${s.note ? html`<p class="muted">${s.note}</p>` : nothing}`;
  }

  #doneView(): TemplateResult {
    const s = this.print;
    return html`<section class="stack" data-step="done">
      <p class="big ok" data-print="ok">请取走您的证明</p>
      <p>${s?.target === 'thermal' ? '证明已打印在小票纸上，' : '证明已从 A4 打印口打出，'}请核对后妥善保管。</p>
      <div class="card">
        <p>验证码（可在证明上的二维码或核验网址查验真伪）</p>
        <p class="code" data-code>${s?.codeText ?? ''}</p>
      </div>
      <div class="actions">
        <button data-action="read-code" @click=${() => this.#readCode()}>朗读验证码</button>
        ${s?.reprintable ? html`<button data-action="reprint" @click=${() => void this.#print(true)}>没打出来？补打一次</button>` : nothing}
        <button class="primary" data-action="finish" @click=${() => this.dispatchEvent(new NavigateEvent('home'))}>完成</button>
      </div>
    </section>`;
  }

  #failedView(): TemplateResult {
    const f = this.failure;
    return html`<section class="stack" data-step="failed" data-failure=${f?.code ?? ''}>
      <p class="big error" role="alert" data-failure-title>${f?.title ?? '暂时无法办理'}</p>
      <p class="prompt" data-failure-message>${f?.message ?? `请到 ${this.#counter()} 号窗口办理。`}</p>
      <div class="actions">
        <button class="primary" data-action="take-ticket" @click=${() => this.dispatchEvent(new NavigateEvent('take'))}>取号到窗口办理</button>
        <button data-action="home" @click=${() => this.dispatchEvent(new NavigateEvent('home'))}>返回首页</button>
      </div>
    </section>`;
  }

  protected override render(): TemplateResult {
    switch (this.step) {
      case 'identify':
        return this.#identifyView();
      case 'confirm':
        return this.#confirmView();
      case 'preview':
        return this.#previewView();
      case 'printing':
        return html`<section class="stack" data-step="printing"><p class="big">正在打印，请稍候…</p><p class="muted">打印约需十几秒，请不要离开。</p></section>`;
      case 'done':
        return this.#doneView();
      case 'failed':
        return this.#failedView();
      default:
        return this.#chooseView();
    }
  }
}

customElements.define('kiosk-certificate', KioskCertificate);

declare global {
  interface HTMLElementTagNameMap {
    'kiosk-certificate': KioskCertificate;
  }
}
