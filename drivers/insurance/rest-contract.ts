import { Type, type Static } from '@sinclair/typebox';

/**
 * The `rest` contract: this product's own JSON interface for a hall's 经办 system. The 经办 side's
 * real interface is not public (insurance-backend.md §1 "Design caveat"); this is what a provincial
 * integrator implements to give the kiosk 参保 status per 险种 *and* 缴费 history, which the
 * 定点医药机构 interface (1101) does not carry.
 *
 * Rules every endpoint follows:
 * - Identities travel only in POST bodies, never in URLs (URLs end up in access logs).
 * - `Authorization: Bearer <token>` when the kiosk is configured with a token.
 * - Errors: any non-2xx status with `{ error: { code, message } }`; 5xx and 429 mean "try later",
 *   4xx is a definitive answer. A person without a record is `200 { found: false }`.
 * - Dates are `YYYY-MM-DD`, months `YYYY-MM`, amounts in 元 as JSON numbers.
 *
 * The schemas are TypeBox so the server can publish them in its OpenAPI document unchanged.
 */
const strict = { additionalProperties: false } as const;
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Amount = Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: '元; null when not applicable' });

export const REST_PATHS = {
  personQuery: '/v1/persons/query',
  evoucherDecode: '/v1/evoucher/decode',
  dictionary: '/v1/dictionaries/{type}',
} as const;

export const RestPersonQueryRequest = Type.Object(
  {
    certType: Type.String({ minLength: 1, maxLength: 6, description: 'psn_cert_type, "01" 居民身份证' }),
    certNo: Type.String({ minLength: 1, maxLength: 50 }),
    name: Type.Optional(Type.String({ maxLength: 50 })),
    ecToken: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'present when the citizen identified with a 医保电子凭证' })),
    paymentMonths: Type.Integer({ minimum: 0, maximum: 120, description: 'how many months of 缴费 history, counting back from the current month' }),
  },
  { ...strict, $id: 'InsuranceRestPersonQueryRequest' },
);

export const RestPerson = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    certType: Type.String(),
    certNo: Type.String({ minLength: 1 }),
    gender: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unknown')]),
    birthDate: Nullable(Day),
    nationCode: Nullable(Type.String()),
  },
  strict,
);

export const RestInsurance = Type.Object(
  {
    insutype: Type.String({ pattern: '^[0-9]{3}$', description: '险种: 310 职工基本医疗保险, 390 城乡居民基本医疗保险, 510 生育保险, …' }),
    status: Type.Union([Type.Literal('none'), Type.Literal('active'), Type.Literal('suspended'), Type.Literal('terminated')], {
      description: 'none 未参保, active 正常参保, suspended 暂停参保, terminated 终止参保',
    }),
    statusCode: Type.Optional(Type.String({ description: "the 经办 system's own code, for staff" })),
    personType: Nullable(Type.String({ description: 'psn_type' })),
    insuredSince: Nullable(Day),
    suspendedSince: Nullable(Day),
    employer: Nullable(Type.String({ description: '参保单位' })),
    regionCode: Nullable(Type.String({ pattern: '^[0-9]{6}$', description: '统筹区' })),
    civilServant: Type.Union([Type.Boolean(), Type.Null()]),
  },
  strict,
);

export const RestPayment = Type.Object(
  {
    month: Month,
    insutype: Type.String({ pattern: '^[0-9]{3}$' }),
    employer: Nullable(Type.String()),
    base: Amount,
    personal: Amount,
    employerPart: Amount,
    status: Type.Union([Type.Literal('paid'), Type.Literal('unpaid'), Type.Literal('back-paid')], {
      description: 'paid 已缴, unpaid 欠缴, back-paid 补缴; a month absent from the list had no contribution',
    }),
    regionCode: Nullable(Type.String({ pattern: '^[0-9]{6}$' })),
  },
  strict,
);

export const RestPersonQueryResponse = Type.Union(
  [
    Type.Object(
      {
        found: Type.Literal(true),
        person: RestPerson,
        insurances: Type.Array(RestInsurance),
        payments: Type.Union([Type.Array(RestPayment), Type.Null()], { description: 'null: this system has no 缴费 history' }),
      },
      strict,
    ),
    Type.Object({ found: Type.Literal(false) }, strict),
  ],
  { $id: 'InsuranceRestPersonQueryResponse' },
);

export const RestDecodeRequest = Type.Object(
  {
    qrCode: Type.String({ minLength: 1, maxLength: 2048, description: 'the scanned 医保电子凭证 payload, opaque' }),
    deviceType: Type.Literal('SelfService'),
    terminalId: Type.String({ minLength: 1, maxLength: 30 }),
  },
  { ...strict, $id: 'InsuranceRestDecodeRequest' },
);

export const RestDecodeResponse = Type.Object(
  {
    ecToken: Type.String({ minLength: 1 }),
    idNo: Type.String({ minLength: 1 }),
    idType: Type.String(),
    userName: Type.String({ minLength: 1 }),
    insuOrg: Nullable(Type.String()),
  },
  { ...strict, $id: 'InsuranceRestDecodeResponse' },
);

export const RestDictionaryResponse = Type.Object(
  {
    type: Type.String(),
    entries: Type.Array(
      Type.Object({ value: Type.String({ minLength: 1 }), label: Type.String({ minLength: 1 }), parentValue: Type.Optional(Type.String()) }, strict),
    ),
  },
  { ...strict, $id: 'InsuranceRestDictionaryResponse' },
);

export const RestError = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'e.g. EVOUCHER_INVALID, BAD_REQUEST, UNAUTHORIZED, BACKEND_ERROR' }),
      message: Type.String(),
    }),
  },
  { $id: 'InsuranceRestError' },
);

/** Error codes the contract defines; an integrator may add others (treated as a failed query). */
export const REST_ERROR_CODES = {
  evoucherInvalid: 'EVOUCHER_INVALID',
  badRequest: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  backendError: 'BACKEND_ERROR',
} as const;

export type RestPersonQueryRequestBody = Static<typeof RestPersonQueryRequest>;
export type RestPersonQueryResponseBody = Static<typeof RestPersonQueryResponse>;
export type RestDecodeRequestBody = Static<typeof RestDecodeRequest>;
export type RestDecodeResponseBody = Static<typeof RestDecodeResponse>;
export type RestDictionaryResponseBody = Static<typeof RestDictionaryResponse>;
export type RestErrorBody = Static<typeof RestError>;
