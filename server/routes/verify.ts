import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VERIFY_MESSAGES, type VerificationSummary } from '../../kiosk/certificates/verification.ts';
import { dateText, dateTimeText } from '../../kiosk/certificates/format.ts';
import { PUBLIC } from '../plugins/auth.ts';
import { enumOf, errors, Nullable, replies, Text } from '../schemas.ts';
import { UI_DIR } from '../ui.ts';

/** Requests per minute and client address on the public verification routes (the API's limit is for the LAN). */
export const VERIFY_RATE_LIMIT = { max: 20, timeWindow: 60_000 } as const;

/** What a citizen or a clerk types: the 验证码 with or without dashes and spaces. */
const TypedCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z \\-]+$' });

const KIND_NAMES = { proof: '个人参保证明', 'transfer-voucher': '参保凭证' } as const;

const SummarySchema = Type.Object({
  codeText: Type.String(),
  kind: enumOf(['proof', 'transfer-voucher']),
  kindName: Type.String(),
  maskedName: Type.String({ description: 'masked, e.g. 张**' }),
  issuer: Type.String(),
  issuedAt: Type.Integer({ description: 'epoch ms' }),
  issuedAtText: Type.String({ description: 'hall time' }),
  expiresAt: Type.Integer(),
  validUntilText: Type.String(),
});

const VerifyReply = Type.Object({
  status: enumOf(['valid', 'expired', 'unknown', 'malformed']),
  message: Type.String(),
  summary: Nullable(SummarySchema),
});

const CheckReply = Type.Object({
  status: enumOf(['match', 'mismatch', 'unknown', 'malformed']),
  message: Type.String(),
  expired: Type.Boolean(),
  summary: Nullable(SummarySchema),
});

/**
 * 防伪, public: anyone holding a certificate (an employer, a school, another hall) checks its
 * 验证码 — valid / expired / unknown with the masked summary — and whether the content they have
 * (the content hash from the PDF's Keywords, or the name, ID number and 打印时间 retyped from the
 * paper) is what was issued. Rate-limited per address; nothing personal is answered or logged
 * (the request log carries the route pattern, never the code).
 */
export const verifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { verification, config } = app.kiosk;
  const tz = config.hall.timeZone;
  const summary = (s: VerificationSummary) => ({
    codeText: s.code,
    kind: s.kind,
    kindName: KIND_NAMES[s.kind],
    maskedName: s.maskedName,
    issuer: s.issuer,
    issuedAt: s.issuedAt,
    issuedAtText: dateTimeText(s.issuedAt, tz),
    expiresAt: s.expiresAt,
    validUntilText: dateText(s.expiresAt, tz),
  });
  const limited = { ...PUBLIC, rateLimit: VERIFY_RATE_LIMIT };

  app.get(
    '/verify/:code',
    {
      config: limited,
      schema: {
        tags: ['verify'],
        summary: '核验证明真伪（公开，按地址限速）：valid / expired / unknown / malformed',
        params: Type.Object({ code: TypedCode }),
        response: replies({ 200: VerifyReply, ...errors(400, 429) }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = verification.verify(request.params.code);
      if (r.status === 'valid' || r.status === 'expired') return { status: r.status, message: VERIFY_MESSAGES[r.status], summary: summary(r.summary) };
      return { status: r.status, message: VERIFY_MESSAGES[r.status], summary: null };
    },
  );

  app.post(
    '/verify/:code/content',
    {
      config: limited,
      schema: {
        tags: ['verify'],
        summary: '核对证明内容是否与出具时一致：内容哈希（PDF 关键词 content-sha256），或从纸面录入的姓名、证件号码、打印时间',
        params: Type.Object({ code: TypedCode }),
        body: Type.Union([
          Type.Object({ contentHash: Type.String({ minLength: 1, maxLength: 128, pattern: '^[0-9A-Fa-f]+$' }) }, { additionalProperties: false }),
          Type.Object(
            {
              fields: Type.Object(
                { name: Text(60, { minLength: 1 }), certNo: Text(40, { minLength: 1 }), issuedAt: Text(19, { minLength: 1 }) },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
        ]),
        response: replies({ 200: CheckReply, ...errors(400, 429) }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const r = verification.checkContent(request.params.code, request.body);
      if (r.status === 'match' || r.status === 'mismatch')
        return { status: r.status, message: VERIFY_MESSAGES[r.status], expired: r.expired, summary: summary(r.summary) };
      return { status: r.status, message: VERIFY_MESSAGES[r.status], expired: false, summary: null };
    },
  );
};

/**
 * The verification page (ui/verify.html, built to dist/ui): `/verify.html?code=…` is served by the
 * static files; `/verify/<code>` — what the certificate's QR carries — serves the same page.
 */
export async function verifyPageRoutes(app: FastifyInstance): Promise<void> {
  const page = join(UI_DIR, 'verify.html');
  app.get<{ Params: { code: string } }>(
    '/verify/:code',
    { schema: { hide: true }, config: { ...PUBLIC, rateLimit: VERIFY_RATE_LIMIT } },
    async (_request, reply) => {
      if (!existsSync(page)) return reply.type('text/plain; charset=utf-8').send('核验页面尚未构建：请运行 npm run build。');
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(createReadStream(page));
    },
  );
}
