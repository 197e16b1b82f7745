/**
 * One document model for both certificates. It holds every printed value twice: `paper` (what the
 * A4 sheet and the receipt carry, masked only where config says so) and `screen` (always masked,
 * amounts hidden), so the PDF, the receipt layout and the on-screen preview are three renderings
 * of the same data and cannot drift apart.
 */
import { createHash, createHmac } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';
import { KioskError } from '../errors.ts';
import { maskIdNumber, maskName } from '../identity/privacy.ts';
import { PAYMENT_STATE_NAMES, certTypeName, genderName, insuStatusName, insutypeName, regionLabel } from './code-tables.ts';
import { backendDate, cleanText, dateText, dateTimeText, fillTemplate, localYearMonth, monthIndex, monthsEndingAt, yuan } from './format.ts';
import type { CertificateKind, InsuranceRecord, InsuredPersonData, PaymentMonth } from './types.ts';
import { formatVerificationCode, newVerificationCode, verificationUrl } from './verification-code.ts';

export interface CertField {
  readonly label: string;
  readonly paper: string;
  readonly screen: string;
}

export interface TableColumn {
  readonly label: string;
  /** Relative width on A4. */
  readonly weight: number;
  readonly align?: 'left' | 'center' | 'right';
}

export interface TableRow {
  readonly paper: readonly string[];
  readonly screen: readonly string[];
}

export type CertSection =
  | { readonly kind: 'fields'; readonly title: string; readonly fields: readonly CertField[] }
  | { readonly kind: 'table'; readonly title: string; readonly columns: readonly TableColumn[]; readonly rows: readonly TableRow[]; readonly note?: string }
  | { readonly kind: 'text'; readonly title: string; readonly text: string };

export interface CertificateDocument {
  readonly kind: CertificateKind;
  readonly title: string;
  readonly subtitle: string | null;
  readonly intro: string;
  /** Canonical 12-character code; `codeText` is the grouped form printed. */
  readonly code: string;
  readonly codeText: string;
  readonly verifyUrl: string;
  readonly issuedAt: number;
  readonly issuedAtText: string;
  readonly expiresAt: number;
  readonly validUntilText: string;
  readonly issuerName: string;
  readonly sealImage: string | null;
  readonly sections: readonly CertSection[];
  readonly notes: readonly string[];
  /** For the verification record: the masked name, never the name. */
  readonly maskedName: string;
  /** The name and ID number exactly as printed, for the retyped-fields check. */
  readonly printedName: string;
  readonly printedCertNo: string;
  /** Months of the 缴费明细 table (proof only); null when none was asked for. */
  readonly paymentMonths: number | null;
}

export interface BuildOptions {
  readonly kind: CertificateKind;
  readonly data: InsuredPersonData;
  readonly config: KioskConfig;
  readonly issuedAt: number;
  /** Length of the 缴费明细 table on a 参保证明 (one of certificate.paymentMonthsChoices), or null for none. */
  readonly paymentMonths?: number | null;
  /** Injected in tests; a new random code otherwise. */
  readonly code?: string;
}

const DAY_MS = 86_400_000;

export function buildCertificate(options: BuildOptions): CertificateDocument {
  const { config, data, kind, issuedAt } = options;
  const c = config.certificate;
  const mask = config.privacy.mask;
  const tz = config.hall.timeZone;
  const code = options.code ?? newVerificationCode();
  const paymentMonths = kind === 'proof' ? (options.paymentMonths ?? null) : null;
  if (paymentMonths !== null && !c.paymentMonthsChoices.includes(paymentMonths)) {
    throw new KioskError('CERTIFICATE_MONTHS_INVALID', { paymentMonths, choices: [...c.paymentMonthsChoices] });
  }

  const b = data.baseinfo;
  const name = cleanText(b.psn_name);
  const certNo = cleanText(b.certno).toUpperCase();
  const printedName = c.paper.maskName ? maskName(name, mask) : name;
  const printedCertNo = c.paper.maskIdNumber ? maskIdNumber(certNo, mask) : certNo;
  const screenName = maskName(name, mask);
  const screenCertNo = maskIdNumber(certNo, mask);

  const records = data.insuinfo;
  const main = mainRecord(records);
  const regionCode = main?.insuplc_admdvs ?? config.hall.regionCode;
  const region = c.regionNames[regionCode] ?? regionLabel(regionCode, c.regionNames);
  const template = kind === 'proof' ? c.templates.proof : c.templates.transferVoucher;
  const values = {
    issuer: c.issuer.name,
    region,
    validityDays: String(c.validityDays),
    verifyUrlBase: c.verifyUrlBase,
  };
  const field = (label: string, paper: string, screen: string = paper): CertField => ({ label, paper, screen });

  const basic: CertField[] = [
    field('姓名', printedName, screenName),
    field('性别', genderName(b.gend)),
    field('证件类型', certTypeName(b.psn_cert_type)),
    field('证件号码', printedCertNo, screenCertNo),
  ];
  if (kind === 'transfer-voucher') {
    const birth = backendDate(b.brdy) || birthFromId(certNo);
    if (birth) basic.push(field('出生日期', birth, birth.slice(0, 4) + '-**-**'));
    basic.push(field('参保地（统筹区）', regionLabel(regionCode, c.regionNames)));
    basic.push(field('参保单位', main ? cleanText(main.emp_name) || '无（个人参保）' : '无参保记录'));
    if (main?.psnTypeName) basic.push(field('人员类别', cleanText(main.psnTypeName)));
  }

  const sections: CertSection[] = [{ kind: 'fields', title: '基本信息', fields: basic }, insuranceTable(records, c.regionNames)];

  if (kind === 'proof' && paymentMonths !== null) {
    sections.push(paymentTable(data.payments, paymentMonths, localYearMonth(issuedAt, tz)));
  }
  if (kind === 'transfer-voucher') {
    sections.push(paymentSummary(records, data.payments));
    sections.push({
      kind: 'fields',
      title: '转出信息',
      fields: [field('转出地经办机构', c.issuer.name), field('出具日期', dateText(issuedAt, tz))],
    });
  }

  const expiresAt = issuedAt + c.validityDays * DAY_MS;
  return {
    kind,
    title: template.title,
    subtitle: template.subtitle ?? null,
    intro: fillTemplate(template.intro, values),
    code,
    codeText: formatVerificationCode(code),
    verifyUrl: verificationUrl(c.verifyUrlBase, code),
    issuedAt,
    issuedAtText: dateTimeText(issuedAt, tz),
    expiresAt,
    validUntilText: dateText(expiresAt, tz),
    issuerName: c.issuer.name,
    sealImage: c.issuer.sealImage,
    sections,
    notes: template.notes.map((n) => fillTemplate(n, values)),
    maskedName: screenName,
    printedName,
    printedCertNo,
    paymentMonths,
  };
}

/** The record whose 统筹区 and 单位 describe the person: the first 正常参保 one, else the first. */
function mainRecord(records: readonly InsuranceRecord[]): InsuranceRecord | undefined {
  return records.find((r) => r.psn_insu_stas === '1') ?? records[0];
}

function birthFromId(certNo: string): string {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dX]$/.exec(certNo);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '';
}

function insuranceTable(records: readonly InsuranceRecord[], regionNames: Readonly<Record<string, string>>): CertSection {
  const rows: TableRow[] = records.map((r) => {
    const cells = [
      insutypeName(r.insutype),
      insuStatusName(r.psn_insu_stas),
      backendDate(r.psn_insu_date) || '—',
      backendDate(r.paus_insu_date) || '—',
      cleanText(r.emp_name) || '—',
      regionLabel(r.insuplc_admdvs, regionNames),
    ];
    return { paper: cells, screen: cells };
  });
  if (rows.length === 0) {
    const none = ['—', '未参保', '—', '—', '—', '—'];
    rows.push({ paper: none, screen: none });
  }
  return {
    kind: 'table',
    title: '参保信息',
    columns: [
      { label: '险种', weight: 2.8 },
      { label: '参保状态', weight: 1.4, align: 'center' },
      { label: '参保日期', weight: 1.7, align: 'center' },
      { label: '暂停/终止日期', weight: 1.8, align: 'center' },
      { label: '参保单位', weight: 4.2 },
      { label: '统筹区', weight: 2.4 },
    ],
    rows,
  };
}

const HIDDEN_AMOUNT = '***';

function paymentTable(payments: readonly PaymentMonth[] | undefined, months: number, end: [number, number]): CertSection {
  const window = monthsEndingAt(end, months);
  const title = `缴费明细（近${months}个月：${window[0]} 至 ${window.at(-1)}）`;
  if (payments === undefined) {
    return { kind: 'text', title, text: '参保信息系统未提供缴费记录，如需缴费明细请到窗口办理。' };
  }
  const byMonth = new Map<string, PaymentMonth[]>();
  for (const p of payments) {
    const list = byMonth.get(p.ym) ?? [];
    list.push(p);
    byMonth.set(p.ym, list);
  }
  const rows: TableRow[] = [];
  for (const ym of window) {
    const list = (byMonth.get(ym) ?? []).slice().sort((a, b) => a.insutype.localeCompare(b.insutype));
    if (list.length === 0) {
      const cells = [ym, '—', '—', '—', '—', '—', '无缴费记录'];
      rows.push({ paper: cells, screen: cells });
      continue;
    }
    for (const p of list) {
      const fixed = [ym, insutypeName(p.insutype), cleanText(p.emp_name) || '个人缴费'];
      const amounts = [yuan(p.clct_base), yuan(p.psn_clct_amt), yuan(p.emp_clct_amt)];
      const state = PAYMENT_STATE_NAMES[p.state];
      rows.push({ paper: [...fixed, ...amounts, state], screen: [...fixed, ...amounts.map(() => HIDDEN_AMOUNT), state] });
    }
  }
  return {
    kind: 'table',
    title,
    columns: [
      { label: '费款所属期', weight: 1.5, align: 'center' },
      { label: '险种', weight: 2.6 },
      { label: '缴费单位', weight: 4.0 },
      { label: '缴费基数', weight: 1.6, align: 'right' },
      { label: '个人缴费', weight: 1.5, align: 'right' },
      { label: '单位缴费', weight: 1.5, align: 'right' },
      { label: '缴费状态', weight: 1.4, align: 'center' },
    ],
    rows,
  };
}

/** 参保凭证: per 险种, the span of contributions and the counts of paid, unpaid and missing months. */
function paymentSummary(records: readonly InsuranceRecord[], payments: readonly PaymentMonth[] | undefined): CertSection {
  const title = '缴费情况';
  if (payments === undefined) {
    return { kind: 'text', title, text: '参保信息系统未提供缴费记录，累计缴费月数请以转出地经办机构出具的信息为准。' };
  }
  const types = [...new Set([...records.map((r) => r.insutype), ...payments.map((p) => p.insutype)])];
  const rows: TableRow[] = [];
  for (const t of types) {
    const list = payments.filter((p) => p.insutype === t);
    if (list.length === 0) {
      const cells = [insutypeName(t), '—', '—', '0', '0', '0'];
      rows.push({ paper: cells, screen: cells });
      continue;
    }
    const months = [...new Set(list.map((p) => p.ym))].sort();
    const paid = new Set(list.filter((p) => p.state !== 'unpaid').map((p) => p.ym));
    const unpaid = new Set(list.filter((p) => p.state === 'unpaid' && !paid.has(p.ym)).map((p) => p.ym));
    const first = months[0] as string;
    const last = months.at(-1) as string;
    const span = monthIndex(last) - monthIndex(first) + 1;
    const gaps = span - months.length;
    const cells = [insutypeName(t), first, last, String(paid.size), String(unpaid.size), String(gaps)];
    rows.push({ paper: cells, screen: cells });
  }
  if (rows.length === 0) {
    const cells = ['—', '—', '—', '0', '0', '0'];
    rows.push({ paper: cells, screen: cells });
  }
  return {
    kind: 'table',
    title,
    columns: [
      { label: '险种', weight: 3.2 },
      { label: '起始年月', weight: 1.6, align: 'center' },
      { label: '截止年月', weight: 1.6, align: 'center' },
      { label: '实际缴费月数', weight: 1.9, align: 'center' },
      { label: '欠缴月数', weight: 1.5, align: 'center' },
      { label: '中断月数', weight: 1.5, align: 'center' },
    ],
    rows,
    note: '月数依据参保信息系统提供的缴费记录统计。',
  };
}

// ---------- canonical content and hashes ----------

/**
 * The canonical content of a certificate: everything printed on paper, in print order, as plain
 * strings. Its SHA-256 is the content hash kept in the verification record; a verifier who has
 * the same content (retyped, or read back from the PDF) gets the same hash, a changed figure
 * gives another.
 */
export interface CanonicalContent {
  readonly v: 1;
  readonly kind: CertificateKind;
  readonly code: string;
  readonly title: string;
  readonly issuedAt: string;
  readonly issuer: string;
  readonly sections: readonly (readonly [string, readonly (readonly string[])[]])[];
}

export function canonicalContent(doc: CertificateDocument): CanonicalContent {
  return {
    v: 1,
    kind: doc.kind,
    code: doc.code,
    title: doc.title,
    issuedAt: doc.issuedAtText,
    issuer: doc.issuerName,
    sections: doc.sections.map((s) => {
      if (s.kind === 'fields') return [s.title, s.fields.map((f) => [f.label, f.paper])] as const;
      if (s.kind === 'table') return [s.title, [s.columns.map((c) => c.label), ...s.rows.map((r) => [...r.paper])]] as const;
      return [s.title, [[s.text]]] as const;
    }),
  };
}

export function contentHash(content: CanonicalContent): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The few fields a clerk retypes from the paper (as printed there) to check a certificate. */
export interface RetypedFields {
  readonly name: string;
  readonly certNo: string;
  /** 打印时间 as printed: yyyy-MM-dd HH:mm:ss. */
  readonly issuedAt: string;
}

/**
 * Keyed hash of the retyped fields. It is an HMAC with the hall's key, not a bare SHA-256: the
 * name and ID number are low-entropy, and a bare hash of them could be reversed by enumeration.
 */
export function keyFieldsHash(code: string, kind: CertificateKind, fields: RetypedFields, key: string): string {
  const norm = [code, kind, fields.name.trim(), fields.certNo.trim().toUpperCase(), fields.issuedAt.trim()];
  return createHmac('sha256', key)
    .update(`certificate:${JSON.stringify(norm)}`)
    .digest('hex');
}

export function documentKeyFields(doc: CertificateDocument): RetypedFields {
  return { name: doc.printedName, certNo: doc.printedCertNo, issuedAt: doc.issuedAtText };
}
