import { LitElement, css, html, type PropertyValues, type TemplateResult } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import QRCode from 'qrcode';

/** A QR code drawn as SVG from `text` (the ticket's qrText). The SVG comes from the qrcode library, never from the network. */
export class KioskQr extends LitElement {
  static override properties = {
    text: {},
    label: {},
    svg: { state: true },
  };
  declare text: string;
  declare label: string;
  declare svg: string;

  constructor() {
    super();
    this.text = '';
    this.label = '二维码';
    this.svg = '';
  }

  static override styles = css`
    :host { display: inline-block; background: #fff; padding: 0.3rem; }
    div { width: var(--qr-size, 9rem); height: var(--qr-size, 9rem); }
    svg { width: 100%; height: 100%; display: block; }
  `;

  protected override async willUpdate(changed: PropertyValues<this>): Promise<void> {
    if (!changed.has('text')) return;
    const text = this.text;
    if (!text) {
      this.svg = '';
      return;
    }
    try {
      const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
      if (text === this.text) this.svg = svg;
    } catch {
      this.svg = '';
    }
  }

  protected override render(): TemplateResult {
    return html`<div role="img" aria-label=${this.label} data-qr=${this.svg ? 'ready' : 'empty'}>${unsafeSVG(this.svg)}</div>`;
  }
}

customElements.define('kiosk-qr', KioskQr);
