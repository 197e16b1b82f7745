/**
 * 连接大厅排队服务 on the technician console (hall-admin; the daemon refuses a technician with 403):
 * a second kiosk of a hall joins the queue another kiosk holds. The technician types the holder's
 * address, the 6-digit code its console shows (大厅与排队 → 设备配对 → 其他自助终端) and the hall CA
 * file on this kiosk; this kiosk's daemon claims the code and writes `queue.remote` — the terminal
 * token never reaches this page. 断开 goes back to holding this kiosk's own queue.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { call } from '../api.ts';
import type { ApplyReply, QueueLinkViewReply } from '../../server/schemas/console-hall.ts';
import { styles } from './styles.ts';

const api = <T>(method: string, path: string, body?: unknown): Promise<T> =>
  call<T>(method, path, body, { base: '/api/v1', timeoutMs: 20_000, technical: true });
const errorText = (err: unknown): string => (err instanceof Error ? err.message : '操作失败，请重试');

export class QueueLink extends LitElement {
  static override styles = [
    styles,
    css`
    .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 8px 0; }
  `,
  ];
  static override properties = { view: { state: true }, message: { state: true }, busy: { state: true } };
  declare view: QueueLinkViewReply | null;
  declare message: { ok: boolean; text: string } | null;
  declare busy: boolean;

  constructor() {
    super();
    this.view = null;
    this.message = null;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void api<QueueLinkViewReply>('GET', '/console/hall/queue-link')
      .then((v) => (this.view = v))
      .catch((err: unknown) => (this.message = { ok: false, text: errorText(err) }));
  }

  async #send(method: string, body?: unknown): Promise<void> {
    this.busy = true;
    this.message = null;
    try {
      const r = await api<ApplyReply>(method, '/console/hall/queue-link', body);
      this.message = r.ok
        ? {
            ok: true,
            text: `已保存（配置版本 ${r.version}）。${r.restarting ? '终端服务正在重启以使用新配置，约半分钟后请刷新页面并重新登录。' : '重启终端服务后生效。'}`,
          }
        : { ok: false, text: `未保存：${r.problems.map((p) => p.message).join('；')}` };
    } catch (err) {
      this.message = { ok: false, text: errorText(err) };
    } finally {
      this.busy = false;
    }
  }

  #connect(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    void this.#send('POST', { url: value('url'), code: value('code'), caFile: value('caFile') });
  }

  override render(): TemplateResult {
    const v = this.view;
    const remote = v?.remote ?? null;
    return html`<section aria-labelledby="queue-link-title" data-testid="queue-link">
      <h2 id="queue-link-title">连接大厅排队服务</h2>
      <p data-testid="queue-link-state">
        ${v ? (remote ? `本机使用 ${remote.url} 的排队队列（大厅 CA：${remote.caFile ?? '未配置'}）。` : '本机持有自己的排队队列。') : '正在读取…'}
      </p>
      <p class="hint">
        同一大厅的第二台自助终端使用持有队列的终端的号源：在那台终端的维护台（大厅与排队 → 设备配对）选择“其他自助终端”生成配对码，然后在这里填写它的地址和配对码。本机会自行领取终端令牌并写入配置（令牌不会显示），随后重启。
      </p>
      <form class="row" @submit=${(e: Event) => this.#connect(e)}>
        <label>排队服务终端地址<input name="url" required placeholder="https://10.0.0.5:8443" data-testid="queue-link-url" /></label>
        <label
          >配对码<input name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off" data-testid="queue-link-code"
        /></label>
        <label>大厅 CA 证书文件<input name="caFile" required value=${remote?.caFile ?? '/etc/hall-kiosk/hall-ca.pem'} data-testid="queue-link-ca" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy || !v?.canApply} data-testid="queue-link-connect">连接</button>
        ${
          remote
            ? html`<button type="button" ?disabled=${this.busy} data-testid="queue-link-disconnect" @click=${() => void this.#send('DELETE')}>断开（本机持有自己的队列）</button>`
            : nothing
        }
      </form>
      ${
        this.message
          ? html`<p role=${this.message.ok ? 'status' : 'alert'} class=${this.message.ok ? 'ok' : 'error'} data-testid="queue-link-message">${this.message.text}</p>`
          : nothing
      }
    </section>`;
  }
}

customElements.define('queue-link', QueueLink);
