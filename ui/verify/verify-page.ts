import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { ApiError, call, errorText } from '../api.ts';
import { shared } from '../styles.ts';

interface Summary {
  codeText: string;
  kindName: string;
  maskedName: string;
  issuer: string;
  issuedAtText: string;
  validUntilText: string;
}
interface VerifyReply {
  status: 'valid' | 'expired' | 'unknown' | 'malformed';
  message: string;
  summary: Summary | null;
}
interface CheckReply {
  status: 'match' | 'mismatch' | 'unknown' | 'malformed';
  message: string;
  expired: boolean;
  summary: Summary | null;
}

const BASE = '/api/v1';

/** The 验证码 from /verify/<code> or /verify.html?code=…, if any. */
export function codeFromLocation(loc: Pick<Location, 'pathname' | 'search'>): string {
  const m = /^\/verify\/([^/?#]+)/.exec(loc.pathname);
  if (m?.[1]) return decodeURIComponent(m[1]);
  return new URLSearchParams(loc.search).get('code') ?? '';
}

/**
 * 参保证明真伪核验, public: type or scan the 验证码 → 真实有效 / 已过期 / 查无此证明 with the masked
 * summary (证明种类, 姓名（已遮盖）, 出具机构, 打印时间, 有效期); then, optionally, check that the
 * paper in hand is unchanged, by retyping 姓名, 证件号码 and 打印时间 as printed (or pasting the
 * content hash from the PDF). Nothing typed is kept in the page after the answer.
 */
export class VerifyPage extends LitElement {
  static override properties = {
    code: { state: true },
    result: { state: true },
    check: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  declare code: string;
  declare result: VerifyReply | null;
  declare check: CheckReply | null;
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.code = codeFromLocation(location);
    this.result = null;
    this.check = null;
    this.error = null;
    this.busy = false;
  }

  static override styles = [
    shared,
    css`
      :host { display: block; max-width: 44rem; margin: 0 auto; padding: 1rem; font-size: 18px; }
      h1 { font-size: 1.5rem; margin-bottom: 0.8rem; color: var(--blue); }
      form { display: flex; flex-direction: column; gap: 0.6rem; margin: 0.6rem 0; }
      label { display: flex; flex-direction: column; gap: 0.2rem; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0.6rem 0 0; }
      dt { color: var(--muted); }
      dd { margin: 0; }
      .result { margin-top: 1rem; }
      .big { font-size: 1.4rem; font-weight: bold; }
      details { margin-top: 1rem; }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.code) void this.#verify();
  }

  async #verify(): Promise<void> {
    const code = this.code.trim();
    if (!code) return;
    this.busy = true;
    this.error = null;
    this.check = null;
    try {
      this.result = await call<VerifyReply>('GET', `/verify/${encodeURIComponent(code.replace(/[^0-9A-Za-z-]/g, ''))}`, undefined, { base: BASE });
    } catch (e) {
      this.result = null;
      this.error = e instanceof ApiError && e.status === 429 ? '查询过于频繁，请一分钟后再试' : errorText(e);
    } finally {
      this.busy = false;
    }
  }

  async #check(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const data = new FormData(form);
    const hash = String(data.get('hash') ?? '').trim();
    const body = hash
      ? { contentHash: hash }
      : {
          fields: {
            name: String(data.get('name') ?? '').trim(),
            certNo: String(data.get('certNo') ?? '').trim(),
            issuedAt: String(data.get('issuedAt') ?? '').trim(),
          },
        };
    this.busy = true;
    try {
      this.check = await call<CheckReply>('POST', `/verify/${encodeURIComponent(this.code.replace(/[^0-9A-Za-z-]/g, ''))}/content`, body, { base: BASE });
      form.reset();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  }

  #summary(s: Summary): TemplateResult {
    return html`<dl data-summary>
      <dt>证明种类</dt><dd data-kind>${s.kindName}</dd>
      <dt>姓名</dt><dd data-masked-name>${s.maskedName}</dd>
      <dt>出具机构</dt><dd>${s.issuer}</dd>
      <dt>打印时间</dt><dd>${s.issuedAtText}</dd>
      <dt>核验有效期至</dt><dd>${s.validUntilText}</dd>
      <dt>验证码</dt><dd>${s.codeText}</dd>
    </dl>`;
  }

  protected override render(): TemplateResult {
    const r = this.result;
    const cls = r?.status === 'valid' ? 'ok' : r?.status === 'expired' ? 'warn' : 'error';
    return html`
      <h1>参保证明真伪核验</h1>
      <p class="muted">请输入证明上的 12 位验证码（例如 K7QM-3XRD-W9HT），或用手机扫描证明上的二维码。</p>
      <form @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.#verify();
      }}>
        <label>验证码<input type="text" name="code" data-input="code" autocomplete="off" maxlength="20" .value=${this.code} @input=${(e: Event) => (this.code = (e.target as HTMLInputElement).value)} /></label>
        <button class="primary" type="submit" data-action="verify" ?disabled=${this.busy}>核验</button>
      </form>
      ${this.error ? html`<p class="error" role="alert" data-error>${this.error}</p>` : nothing}
      ${
        r
          ? html`<section class="result ${cls}" data-status=${r.status} role="status">
            <p class="big">${r.message}</p>
            ${r.summary ? this.#summary(r.summary) : nothing}
          </section>`
          : nothing
      }
      ${
        r?.summary
          ? html`<details data-content-check>
            <summary>核对证明内容是否被改动</summary>
            <form @submit=${(e: SubmitEvent) => void this.#check(e)}>
              <p class="muted">按证明上印的内容填写姓名、证件号码和打印时间；或粘贴电子版 PDF 属性中的 content-sha256。</p>
              <label>姓名<input type="text" name="name" maxlength="60" autocomplete="off" /></label>
              <label>证件号码<input type="text" name="certNo" maxlength="40" autocomplete="off" /></label>
              <label>打印时间（如 2026-03-02 10:15:30）<input type="text" name="issuedAt" maxlength="19" autocomplete="off" /></label>
              <label>或内容哈希<input type="text" name="hash" maxlength="128" autocomplete="off" /></label>
              <button type="submit" data-action="check" ?disabled=${this.busy}>核对</button>
            </form>
            ${this.check ? html`<p class=${this.check.status === 'match' ? 'ok' : 'error'} data-check=${this.check.status}>${this.check.message}</p>` : nothing}
          </details>`
          : nothing
      }
    `;
  }
}

customElements.define('verify-page', VerifyPage);
