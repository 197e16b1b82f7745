import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  REST_PATHS,
  RestDecodeRequest,
  RestDecodeResponse,
  RestDictionaryResponse,
  RestError,
  RestInsurance,
  RestPayment,
  RestPerson,
  RestPersonQueryRequest,
  RestPersonQueryResponse,
} from '../../drivers/insurance/rest-contract.ts';
import type { CertificateDesk } from '../../kiosk/certificates/desk.ts';
import { CERTIFICATE_KINDS } from '../../kiosk/certificates/types.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { auth } from '../plugins/auth.ts';
import { enumOf, errors, Int, Nullable, replies } from '../schemas.ts';

/** A canonical 验证码 (kiosk/certificates/verification-code.ts): 12 characters of the 30-character alphabet. */
export const CertificateCodeSchema = Type.String({ pattern: '^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{12}$', maxLength: 12, minLength: 12 });

const KindSchema = enumOf(CERTIFICATE_KINDS);

const IdentitySchema = Type.Object({
  source: enumOf(['card', 'e-voucher']),
  maskedName: Type.String(),
  maskedId: Type.String(),
});

const PreviewSectionSchema = Type.Object({
  kind: enumOf(['fields', 'table', 'text']),
  title: Type.String(),
  fields: Type.Optional(Type.Array(Type.Object({ label: Type.String(), value: Type.String() }))),
  columns: Type.Optional(Type.Array(Type.String())),
  rows: Type.Optional(Type.Array(Type.Array(Type.String()))),
  note: Type.Optional(Nullable(Type.String())),
  text: Type.Optional(Type.String()),
});

const PreviewSchema = Type.Object({
  kind: KindSchema,
  title: Type.String(),
  subtitle: Nullable(Type.String()),
  intro: Type.String(),
  codeText: Type.String(),
  issuedAtText: Type.String(),
  validUntilText: Type.String(),
  issuer: Type.String(),
  sections: Type.Array(PreviewSectionSchema),
  notes: Type.Array(Type.String()),
  masked: Type.Boolean(),
});

const TargetSchema = Nullable(enumOf(['a4', 'thermal']));

const PrintStatusSchema = Type.Object({
  code: Type.String(),
  codeText: Type.String(),
  state: enumOf(['printing', 'done', 'failed']),
  dbState: Nullable(Type.String()),
  printId: Nullable(Type.Integer()),
  target: TargetSchema,
  errorCode: Nullable(Type.String()),
  message: Nullable(Type.String({ description: 'Chinese, for the screen' })),
  reprintable: Type.Boolean(),
  referCounter: Type.Integer(),
});

const OverviewSchema = Type.Object({
  identity: IdentitySchema,
  insurances: Type.Array(
    Type.Object({
      insutype: Type.String(),
      insutypeName: Type.String(),
      status: Type.String(),
      statusName: Type.String(),
      insuredSince: Nullable(Type.String()),
      suspendedSince: Nullable(Type.String()),
      employer: Nullable(Type.String()),
      regionCode: Nullable(Type.String()),
      regionName: Nullable(Type.String()),
    }),
  ),
  payments: Nullable(
    Type.Array(
      Type.Object({
        month: Type.String(),
        insutypeName: Type.String(),
        status: enumOf(['paid', 'unpaid', 'back-paid']),
        personal: Nullable(Type.Number()),
        employerPart: Nullable(Type.Number()),
        base: Nullable(Type.Number()),
      }),
    ),
  ),
  amountsShown: Type.Boolean(),
  fetchedAt: Type.Integer(),
});

const KIND_TEXT: Readonly<Record<(typeof CERTIFICATE_KINDS)[number], { name: string; use: string }>> = {
  proof: { name: '个人参保证明', use: '证明您的参保状态，可选附近几个月的缴费明细，用于办理入学、落户、购房等' },
  'transfer-voucher': { name: '参保凭证（参保人员基本医疗保险信息表）', use: '医疗保险关系转出时使用，包含参保和缴费情况' },
};

/**
 * 参保证明 / 参保凭证 for the citizen at this terminal (loopback only): identity (the ID card on
 * the reader, or a scanned 医保电子凭证), 参保信息查询 (masked, amounts only on request), the
 * masked preview, the print (A4 over IPP, or the 80 mm receipt) and its status, and one reprint.
 * The steps live in kiosk/certificates/desk.ts; nothing personal is logged or answered unmasked.
 */
export const kioskCertificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const citizen = auth('loopback');
  const { config } = kiosk;
  const referCounter = config.insurance.referCounter;
  const desk = (): CertificateDesk => {
    if (!kiosk.certificates)
      throw new KioskError('INSURANCE_UNAVAILABLE', { reason: 'off', counter: referCounter }, `本机未开通参保证明打印，请到 ${referCounter} 号窗口办理`);
    return kiosk.certificates;
  };
  const target = (): 'a4' | 'thermal' | null => (kiosk.devices.a4printer ? 'a4' : kiosk.devices.printer ? 'thermal' : null);

  app.get(
    '/kiosk/certificates/options',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '可打印的证明、缴费明细月数、打印机',
        response: {
          200: Type.Object({
            available: Type.Boolean(),
            kinds: Type.Array(Type.Object({ kind: KindSchema, name: Type.String(), use: Type.String() })),
            paymentMonthsChoices: Type.Array(Type.Integer()),
            target: TargetSchema,
            paperShowsFullId: Type.Boolean({
              description: 'the paper carries the full ID number (certificate.paper.maskIdNumber false); the screen never does',
            }),
            eVoucher: Type.Boolean(),
            referCounter: Type.Integer(),
            validityDays: Type.Integer(),
          }),
        },
      },
    },
    async () => ({
      available: kiosk.certificates !== null,
      kinds: CERTIFICATE_KINDS.map((k) => ({ kind: k, ...KIND_TEXT[k] })),
      paymentMonthsChoices: config.certificate.paymentMonthsChoices,
      target: target(),
      paperShowsFullId: !config.certificate.paper.maskIdNumber,
      eVoucher: kiosk.insurance?.health().eVoucher ?? false,
      referCounter,
      validityDays: config.certificate.validityDays,
    }),
  );

  app.get(
    '/kiosk/certificates/identity',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '办理证明的身份（已脱敏）：身份证或医保电子凭证',
        response: { 200: Type.Object({ identity: Nullable(IdentitySchema), voucherWaiting: Type.Boolean() }) },
      },
    },
    async () => ({ identity: kiosk.certificates?.identity() ?? null, voucherWaiting: kiosk.certificates?.voucherWaiting ?? false }),
  );

  app.post(
    '/kiosk/certificates/identity/e-voucher',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '用刚扫描的医保电子凭证识别身份（凭证内容只在本机内存中，换取身份后即丢弃）',
        response: replies({ 200: Type.Object({ identity: IdentitySchema }), ...errors(400, 409, 503) }),
      },
    },
    async () => ({ identity: await desk().identifyByVoucher() }),
  );

  app.get(
    '/kiosk/certificates/insurance',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '参保信息查询：各险种参保状态（已脱敏），缴费金额仅在 amounts=true 时返回',
        querystring: Type.Object({ amounts: Type.Optional(Type.Boolean()), months: Type.Optional(Int(1, 36)) }, { additionalProperties: false }),
        response: replies({ 200: OverviewSchema, ...errors(404, 409, 503) }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const o = await desk().overview({ amounts: request.query.amounts === true, months: request.query.months ?? 12 });
      return {
        ...o,
        insurances: o.insurances.map((r) => ({ ...r, regionName: r.regionCode ? (config.certificate.regionNames[r.regionCode] ?? null) : null })),
      };
    },
  );

  app.post(
    '/kiosk/certificates/preview',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '生成证明并返回屏幕预览（姓名、证件号码、金额均已遮盖）',
        body: Type.Object({ kind: KindSchema, paymentMonths: Nullable(Int(1, 120)) }, { additionalProperties: false }),
        response: replies({
          200: Type.Object({ code: Type.String(), preview: PreviewSchema, target: TargetSchema, paymentsAvailable: Type.Boolean() }),
          ...errors(400, 404, 409, 422, 503),
        }),
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return desk().preview(request.body.kind, request.body.paymentMonths);
    },
  );

  app.post(
    '/kiosk/certificates/print',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '打印已预览的证明（A4 经 IPP，无 A4 打印机时打印 80 mm 凭条）；打印机接收任务后即返回',
        body: Type.Object({ code: CertificateCodeSchema }, { additionalProperties: false }),
        response: replies({ 200: PrintStatusSchema, ...errors(400, 404, 409, 422, 503) }),
      },
    },
    async (request) => ({ ...(await desk().print(request.body.code)), referCounter }),
  );

  app.get(
    '/kiosk/certificates/print/:code',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '证明打印状态',
        params: Type.Object({ code: CertificateCodeSchema }),
        response: replies({ 200: PrintStatusSchema, ...errors(404, 409) }),
      },
    },
    async (request) => {
      desk().identity();
      return { ...desk().status(request.params.code), referCounter };
    },
  );

  app.post(
    '/kiosk/certificates/print/:code/reprint',
    {
      config: citizen,
      schema: {
        tags: ['certificates'],
        summary: '补打一次（仅限本次办理、内容不变）',
        params: Type.Object({ code: CertificateCodeSchema }),
        response: replies({ 200: PrintStatusSchema, ...errors(403, 404, 409, 503) }),
      },
    },
    async (request) => ({ ...(await desk().reprint(request.params.code)), referCounter }),
  );

  // ---- development API: only with the simulators ----------------------------------------------
  const dev = auth('loopback', 'admin', 'technician');
  if (kiosk.insurance?.adapter === 'simulator') {
    app.get('/dev/insurance', { config: dev, schema: { tags: ['dev'], summary: '参保信息模拟服务的地址（/control/fault 注入故障）' } }, async () => ({
      url: kiosk.insurance?.simulatorUrl ?? null,
      health: kiosk.insurance?.health() ?? null,
    }));
  }
  if (kiosk.devices.simulated('a4printer')) {
    app.get(
      '/dev/simulators/a4printer/jobs/last.pdf',
      { config: dev, schema: { tags: ['dev'], summary: '模拟 A4 打印机最后收到的 PDF' } },
      async (_request, reply) => {
        const job = kiosk.devices.a4Simulator?.lastJob();
        if (!job) throw new KioskError('REQUEST_INVALID', {}, '模拟 A4 打印机还没有收到任务');
        return reply.type('application/pdf').header('cache-control', 'no-store').send(job.data);
      },
    );
    app.get('/dev/simulators/a4printer/jobs', { config: dev, schema: { tags: ['dev'], summary: '模拟 A4 打印机收到的任务（不含内容）' } }, async () =>
      (kiosk.devices.a4Simulator?.jobs() ?? []).map((j) => ({
        id: j.id,
        name: j.name,
        state: j.state,
        pages: j.pages,
        bytes: j.data.length,
        createdAt: j.createdAt,
      })),
    );
  }
};

/**
 * The `rest` insurance contract (drivers/insurance/rest-contract.ts) for the OpenAPI document:
 * the kiosk is its client, a provincial integrator implements it. Published as components plus a
 * tag that lists the endpoints, so it reads in /docs next to the kiosk's own API.
 */
export function restContractOpenApi(): { schemas: Record<string, unknown>; tag: { name: string; description: string } } {
  const plain = (s: unknown): unknown => {
    const o = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
    delete o.$id;
    return o;
  };
  const schemas = {
    InsuranceRestPersonQueryRequest: plain(RestPersonQueryRequest),
    InsuranceRestPersonQueryResponse: plain(RestPersonQueryResponse),
    InsuranceRestPerson: plain(RestPerson),
    InsuranceRestInsurance: plain(RestInsurance),
    InsuranceRestPayment: plain(RestPayment),
    InsuranceRestDecodeRequest: plain(RestDecodeRequest),
    InsuranceRestDecodeResponse: plain(RestDecodeResponse),
    InsuranceRestDictionaryResponse: plain(RestDictionaryResponse),
    InsuranceRestError: plain(RestError),
  };
  const description = [
    'The `rest` insurance contract: what a 经办 system (or a provincial integrator in front of it) implements so the kiosk',
    'can read 参保 status per 险种 **and** 缴费 history (`insurance.adapter: rest`, base URL `insurance.url`). The kiosk is the client;',
    'these endpoints are not served by this daemon.',
    '',
    `- \`POST ${REST_PATHS.personQuery}\` — body \`InsuranceRestPersonQueryRequest\`, reply \`InsuranceRestPersonQueryResponse\` (\`{found:false}\` for no record)`,
    `- \`POST ${REST_PATHS.evoucherDecode}\` — body \`InsuranceRestDecodeRequest\`, reply \`InsuranceRestDecodeResponse\`; 422 \`EVOUCHER_INVALID\``,
    `- \`GET ${REST_PATHS.dictionary}\` — reply \`InsuranceRestDictionaryResponse\``,
    '- errors: any non-2xx with `InsuranceRestError`; 5xx and 429 mean "later" (retried once, counted by the circuit breaker), 4xx is an answer.',
    '- identities only in POST bodies; `Authorization: Bearer` when `insurance.rest.token` is set; dates `YYYY-MM-DD`, months `YYYY-MM`, amounts in 元.',
  ].join('\n');
  return { schemas, tag: { name: 'insurance-rest-contract', description } };
}
