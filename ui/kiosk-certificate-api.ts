/**
 * Wire shapes of /api/v1/kiosk/certificates/* (server/routes/kiosk-certificates.ts) and the small
 * helpers the certificate screens share. Everything the daemon sends here is already masked.
 */
import { ApiError } from './api.ts';

export type CertificateKind = 'proof' | 'transfer-voucher';
export type PrintTarget = 'a4' | 'thermal' | null;

export interface CertificateOptions {
  available: boolean;
  kinds: { kind: CertificateKind; name: string; use: string }[];
  paymentMonthsChoices: number[];
  target: PrintTarget;
  paperShowsFullId: boolean;
  eVoucher: boolean;
  referCounter: number;
  validityDays: number;
}

export interface CertIdentity {
  source: 'card' | 'e-voucher';
  maskedName: string;
  maskedId: string;
}

export interface PreviewSection {
  kind: 'fields' | 'table' | 'text';
  title: string;
  fields?: { label: string; value: string }[];
  columns?: string[];
  rows?: string[][];
  note?: string | null;
  text?: string;
}

export interface CertificatePreview {
  kind: CertificateKind;
  title: string;
  subtitle: string | null;
  intro: string;
  codeText: string;
  issuedAtText: string;
  validUntilText: string;
  issuer: string;
  sections: PreviewSection[];
  notes: string[];
}

export interface PreviewReply {
  code: string;
  preview: CertificatePreview;
  target: PrintTarget;
  paymentsAvailable: boolean;
}

export interface PrintStatus {
  code: string;
  codeText: string;
  state: 'printing' | 'done' | 'failed';
  printId: number | null;
  target: PrintTarget;
  errorCode: string | null;
  message: string | null;
  reprintable: boolean;
  referCounter: number;
}

export interface InsuranceOverview {
  identity: CertIdentity;
  insurances: {
    insutype: string;
    insutypeName: string;
    status: string;
    statusName: string;
    insuredSince: string | null;
    suspendedSince: string | null;
    employer: string | null;
    regionName: string | null;
    regionCode: string | null;
  }[];
  payments:
    | {
        month: string;
        insutypeName: string;
        status: 'paid' | 'unpaid' | 'back-paid';
        personal: number | null;
        employerPart: number | null;
        base: number | null;
      }[]
    | null;
  amountsShown: boolean;
  fetchedAt: number;
}

/** Where a failure sends the citizen: the 参保 counter named by the daemon, else counter 1. */
export interface Failure {
  readonly title: string;
  readonly message: string;
  readonly code: string;
}

const PRINTER_FAULTS: Readonly<Record<string, string>> = {
  'media-empty': '打印机缺纸',
  'media-empty-mid-job': '打印机缺纸',
  'media-jam': '打印机卡纸',
  'media-jam-mid-job': '打印机卡纸',
  'door-open': '打印机舱门未关好',
  offline: '打印机暂时离线',
  unreachable: '暂时无法连接打印机',
};

/** A print that did not come out: what happened and where to go, in plain words. */
export function printFailure(s: PrintStatus): Failure {
  const what = (s.errorCode && PRINTER_FAULTS[s.errorCode]) ?? (s.message && /[\u4e00-\u9fff]/.test(s.message) ? s.message : '打印未成功');
  return {
    title: '证明暂时无法打印',
    message: `${what}，暂时无法打印您的证明。已通知工作人员，请到 ${s.referCounter} 号窗口办理，或呼叫工作人员帮助。`,
    code: s.errorCode ?? 'print-failed',
  };
}

/** Any failed call: the daemon's Chinese message names the counter for insurance errors. */
export function callFailure(e: unknown, referCounter: number): Failure {
  if (e instanceof ApiError) {
    const title =
      e.code === 'INSURANCE_UNAVAILABLE' || e.code === 'INSURANCE_QUERY_FAILED'
        ? '参保信息系统暂时无法连接'
        : e.code === 'INSURANCE_NO_RECORD'
          ? '未查询到您的参保信息'
          : e.code.startsWith('INSURANCE_EVOUCHER')
            ? '医保电子凭证无法使用'
            : '暂时无法办理';
    const message = /窗口/.test(e.message) ? e.message : `${e.message}。如需帮助，请到 ${referCounter} 号窗口办理。`;
    return { title, message, code: e.code };
  }
  return { title: '暂时无法办理', message: `系统繁忙，请到 ${referCounter} 号窗口办理。`, code: 'unknown' };
}

/** '4GZ2-QSSR-SSGY' → '4 G Z 2，Q S S R，S S G Y' for read-aloud. */
export function spokenCode(codeText: string): string {
  return codeText
    .split('-')
    .map((g) => g.split('').join(' '))
    .join('，');
}

export const PAYMENT_STATUS: Readonly<Record<string, string>> = { paid: '已缴费', unpaid: '欠缴', 'back-paid': '补缴' };
