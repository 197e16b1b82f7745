/**
 * 导入站点配置 (hall-admin): pick a JSON file (an export of this or another kiosk), see the
 * daemon's check — every problem naming its field in Chinese — and the diff against the current
 * site file, then apply it: the daemon writes it atomically, records the version and restarts;
 * if it does not start, the previous version comes back by itself.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { call } from '../api.ts';
import { styles } from './styles.ts';

interface ImportCheck {
  readonly ok: boolean;
  readonly problems: readonly { field: string; message: string }[];
  readonly diff: readonly { path: string; before: unknown; after: unknown }[];
  readonly kept: readonly string[];
  readonly dropped: readonly string[];
  readonly secretsChanged: readonly string[];
  readonly applied: boolean;
  readonly version?: number;
  readonly restarting?: boolean;
}

const show = (v: unknown): string => (v === null || v === undefined ? '（无）' : typeof v === 'string' ? v : JSON.stringify(v));

export class ConfigImport extends LitElement {
  static override styles = [
    styles,
    css`
      :host { display: block; min-height: 0; }
      .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 10px 0; }
      label.inline { flex-direction: row; align-items: center; font-weight: normal; }
      table { border-collapse: collapse; width: 100%; font-size: 16px; background: #fff; margin-top: 8px; }
      th, td { border: 1px solid #b8c4d2; padding: 4px 8px; text-align: left; vertical-align: top; word-break: break-all; }
    `,
  ];
  static override properties = { check: { state: true }, error: { state: true }, busy: { state: true } };
  declare check: ImportCheck | null;
  declare error: string;
  declare busy: boolean;
  #config: unknown = undefined;
  #includeSecrets = false;

  constructor() {
    super();
    this.check = null;
    this.error = '';
    this.busy = false;
  }

  override render(): TemplateResult {
    const c = this.check;
    return html`<section aria-labelledby="config-import-title" data-testid="config-import">
      <h3 id="config-import-title">导入站点配置</h3>
      <p class="hint">选择导出的站点配置 JSON 文件。文件中的密钥默认不导入：本机现有的密钥（令牌、账户密码、密钥）保持不变。</p>
      <form @submit=${(e: SubmitEvent) => void this.#check(e)}>
        <div class="row">
          <label>配置文件<input type="file" name="file" accept=".json,application/json" required data-testid="config-import-file" /></label>
          <label class="inline"><input type="checkbox" name="secrets" data-testid="config-import-secrets" />同时导入文件中的密钥</label>
          <button type="submit" data-testid="config-import-check" ?disabled=${this.busy}>检查并显示差异</button>
        </div>
      </form>
      ${this.error ? html`<p class="error" role="alert" data-testid="config-import-error">${this.error}</p>` : nothing}
      ${
        c
          ? html`<div data-testid="config-import-result" role="status">
            ${
              c.problems.length
                ? html`<ul class="error" data-testid="config-import-problems">${c.problems.map((p) => html`<li>${p.message}</li>`)}</ul>`
                : html`<p class="ok">${c.applied ? `已写入第 ${c.version} 版，${c.restarting ? '终端服务正在重启' : '重启终端服务后生效'}` : `检查通过：${c.diff.length} 处与当前配置不同`}</p>`
            }
            ${c.kept.length ? html`<p class="hint">保留本机密钥：${c.kept.join('、')}</p>` : nothing}
            ${c.dropped.length ? html`<p class="hint">未导入文件中的密钥：${c.dropped.join('、')}</p>` : nothing}
            ${c.secretsChanged.length ? html`<p class="warn">将更改的密钥：${c.secretsChanged.join('、')}</p>` : nothing}
            ${
              c.diff.length
                ? html`<table data-testid="config-import-diff">
                  <thead><tr><th>配置项</th><th>当前</th><th>导入后</th></tr></thead>
                  <tbody>${c.diff.map((d) => html`<tr><td>${d.path}</td><td>${show(d.before)}</td><td>${show(d.after)}</td></tr>`)}</tbody>
                </table>`
                : nothing
            }
            ${
              c.ok && !c.applied
                ? html`<div class="row"><button class="primary" type="button" @click=${() => void this.#apply()} data-testid="config-import-apply" ?disabled=${this.busy}>应用导入并重启终端服务</button></div>`
                : nothing
            }
          </div>`
          : nothing
      }
    </section>`;
  }

  async #send(apply: boolean): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      this.check = await call<ImportCheck>(
        'POST',
        '/api/v1/console/config/import',
        { config: this.#config, includeSecrets: this.#includeSecrets, apply },
        { base: '', timeoutMs: 30_000, technical: true },
      );
    } catch (err) {
      this.error = err instanceof Error ? err.message : '操作失败，请重试';
    } finally {
      this.busy = false;
    }
  }

  async #check(ev: SubmitEvent): Promise<void> {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      this.#config = JSON.parse(await file.text());
    } catch {
      this.check = null;
      this.error = '不是有效的 JSON 文件';
      return;
    }
    this.#includeSecrets = (form.elements.namedItem('secrets') as HTMLInputElement).checked;
    await this.#send(false);
  }

  async #apply(): Promise<void> {
    if (!window.confirm('应用导入的配置并重启终端服务？重启期间（约半分钟）终端暂停服务；新配置无法启动时自动恢复上一版本。')) return;
    await this.#send(true);
  }
}

customElements.define('config-import', ConfigImport);
