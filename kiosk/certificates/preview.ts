/**
 * The on-screen preview of a certificate: the same sections as the paper, always masked (name and
 * ID number by privacy.mask, birth date to the year, amounts hidden), as plain strings for a Lit
 * element to bind as text (Lit escapes text bindings; nothing here is HTML). `previewLines` gives
 * the same content as lines for read-aloud and for a plain list.
 */
import type { CertificateDocument } from './model.ts';
import type { CertificateKind } from './types.ts';

export interface PreviewField {
  readonly label: string;
  readonly value: string;
}

export type PreviewSection =
  | { readonly kind: 'fields'; readonly title: string; readonly fields: readonly PreviewField[] }
  | {
      readonly kind: 'table';
      readonly title: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly note: string | null;
    }
  | { readonly kind: 'text'; readonly title: string; readonly text: string };

export interface CertificatePreview {
  readonly kind: CertificateKind;
  readonly title: string;
  readonly subtitle: string | null;
  readonly intro: string;
  readonly codeText: string;
  readonly issuedAtText: string;
  readonly validUntilText: string;
  readonly issuer: string;
  readonly sections: readonly PreviewSection[];
  readonly notes: readonly string[];
  /** Always true: the screen never shows the full name, ID number or amounts. */
  readonly masked: true;
}

export function certificatePreview(cert: CertificateDocument): CertificatePreview {
  return {
    kind: cert.kind,
    title: cert.title,
    subtitle: cert.subtitle,
    intro: cert.intro,
    codeText: cert.codeText,
    issuedAtText: cert.issuedAtText,
    validUntilText: cert.validUntilText,
    issuer: cert.issuerName,
    sections: cert.sections.map((s): PreviewSection => {
      if (s.kind === 'fields') return { kind: 'fields', title: s.title, fields: s.fields.map((f) => ({ label: f.label, value: f.screen })) };
      if (s.kind === 'table')
        return { kind: 'table', title: s.title, columns: s.columns.map((c) => c.label), rows: s.rows.map((r) => [...r.screen]), note: s.note ?? null };
      return { kind: 'text', title: s.title, text: s.text };
    }),
    notes: cert.notes,
    masked: true,
  };
}

/** The preview as lines of plain text ("姓名：张**"), in reading order. */
export function previewLines(p: CertificatePreview): string[] {
  const lines = [p.title, ...(p.subtitle ? [p.subtitle] : []), `验证码：${p.codeText}`, `打印时间：${p.issuedAtText}`, p.intro];
  for (const s of p.sections) {
    lines.push(s.title);
    if (s.kind === 'fields') for (const f of s.fields) lines.push(`${f.label}：${f.value}`);
    else if (s.kind === 'text') lines.push(s.text);
    else for (const r of s.rows) lines.push(r.map((cell, i) => `${s.columns[i]}：${cell}`).join('，'));
  }
  lines.push(`经办机构：${p.issuer}`, `核验有效期至：${p.validUntilText}`);
  return lines;
}
