import { Type, type Static } from '@sinclair/typebox';

/**
 * 参保证明 / 参保凭证 configuration: who issues them (经办机构 and its 电子印章 image), the template
 * text, how long a certificate stays verifiable, which personal fields are masked on paper, and
 * the A4 printer the certificates go to (IPP). The on-screen preview is always masked
 * (privacy.mask); this block only decides the paper.
 */
const strict = { additionalProperties: false } as const;

const Template = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 40 }),
    subtitle: Type.Optional(Type.String({ maxLength: 60 })),
    intro: Type.String({ maxLength: 400, description: 'paragraph under the title; {issuer} and {region} are replaced' }),
    notes: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 10,
      description: 'printed as 说明 1., 2., ...; {validityDays}, {verifyUrlBase} and {issuer} are replaced',
    }),
  },
  strict,
);

const PrinterMode = Type.Unsafe<'off' | 'simulator' | 'ipp'>({
  type: 'string',
  enum: ['off', 'simulator', 'ipp'],
  description: 'off: no A4 printer (certificates go to the 80 mm receipt printer); simulator: the built-in IPP simulator; ipp: a real queue',
});

export const CertificateConfigSchema = Type.Object(
  {
    issuer: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 60, description: '经办机构 printed at the foot of every certificate' }),
        sealImage: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          description: 'PNG of the 电子印章 (relative paths resolve against the working directory); null prints no seal',
        }),
      },
      strict,
    ),
    verifyUrlBase: Type.String({
      pattern: '^https?://',
      description: 'the QR and the paper carry <verifyUrlBase><验证码>; end it with / or =',
    }),
    validityDays: Type.Integer({ minimum: 1, maximum: 3660, description: 'days a certificate can be verified after printing' }),
    keepExpiredDays: Type.Integer({
      minimum: 0,
      maximum: 366,
      description: 'days an expired verification record is kept (answers 已过期 instead of 查无此证明) before the purge',
    }),
    paymentMonthsChoices: Type.Array(Type.Integer({ minimum: 1, maximum: 120 }), {
      minItems: 1,
      maxItems: 8,
      description: 'lengths of the 缴费明细 table the citizen may choose',
    }),
    paper: Type.Object(
      {
        maskName: Type.Boolean({ description: 'mask the name on paper (default false)' }),
        maskIdNumber: Type.Boolean({ description: 'mask the ID number on paper (default false: the full number, as on issued samples)' }),
      },
      strict,
    ),
    regionNames: Type.Record(Type.String({ pattern: '^[0-9]{6}$' }), Type.String({ minLength: 1 }), {
      description: '统筹区 names by 6-digit 区划 code; an unknown code is printed as the code',
    }),
    templates: Type.Object({ proof: Template, transferVoucher: Template }, strict),
    printer: Type.Object(
      {
        mode: PrinterMode,
        target: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          description: 'a CUPS queue name (ipp://localhost:631/printers/<name>) or an ipp://, ipps://, http:// or https:// printer URI',
        }),
        statusPollMs: Type.Integer({ minimum: 500, maximum: 600_000 }),
        jobPollMs: Type.Integer({ minimum: 50, maximum: 10_000 }),
        requestTimeoutMs: Type.Integer({ minimum: 200, maximum: 120_000 }),
        jobTimeoutMs: Type.Integer({ minimum: 1_000, maximum: 900_000, description: 'a job not completed by then is cancelled and reported' }),
        stallCancelMs: Type.Integer({
          minimum: 0,
          maximum: 600_000,
          description: 'a job stopped by a printer fault (缺纸, 卡纸) is cancelled after this long, so it cannot print later unattended',
        }),
      },
      strict,
    ),
  },
  strict,
);

export type CertificateConfig = Static<typeof CertificateConfigSchema>;
