import { Type, type Static } from '@sinclair/typebox';

/**
 * The insurance backend (参保信息): which adapter answers person lookups, how long the kiosk
 * waits, when it gives up (circuit breaker) and where it sends citizens when the backend is down.
 * Field names under `nhsa.envelope` are the 医疗保障信息平台 envelope's own names
 * (insurance-backend.md §1), so a site file can be checked against the province's documents.
 *
 * Things the reference could not establish are configuration here, with defaults stated:
 * the 参保状态 code list (some local systems use 3 = 终止), the `psn_cert_type` code of an ID card,
 * which `err_msg` texts mean "no record", the e-voucher decode service URL and the name of the field
 * that carries the scanned QR payload (the vendor library reads the scanner itself; no public REST
 * form was found), and the `x-tif-*` gateway headers (vary by province).
 */
const strict = { additionalProperties: false } as const;
const Url = Type.String({ pattern: '^https?://' });
const NullableSecret = Type.Union([Type.String({ minLength: 8 }), Type.Null()], {
  description: 'secret; write "$env:NAME" to read it from the environment; null when unused',
});

function oneOf<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const InsuranceAdapterName = oneOf(
  ['simulator', 'nhsa', 'rest', 'off'] as const,
  'simulator: start the bundled simulator and talk to it; off: no insurance functions',
);
export const InsuranceStatusName = oneOf(['none', 'active', 'suspended', 'terminated'] as const);

const NhsaEnvelope = Type.Object(
  {
    fixmedins_code: Type.String({ minLength: 12, maxLength: 12, description: '定点医药机构编号 (12); also the first 12 characters of msgid' }),
    fixmedins_name: Type.String({ maxLength: 200 }),
    mdtrtarea_admvs: Type.String({ pattern: '^[0-9]{6}$', description: '就医地医保区划 (6)' }),
    insuplc_admdvs: Type.String({ pattern: '^([0-9]{6})?$', description: '参保地区划; empty for 1101 (it comes back in the answer)' }),
    recer_sys_code: Type.String({ maxLength: 10, description: 'samples use "MBS_LOCAL"' }),
    dev_no: Type.String({ maxLength: 100 }),
    dev_safe_info: Type.String({ maxLength: 2000 }),
    cainfo: Type.String({ maxLength: 1024 }),
    signtype: Type.String({ maxLength: 10, description: '建议使用SM2、SM3' }),
    infver: Type.String({ maxLength: 6 }),
    opter: Type.String({ minLength: 1, maxLength: 30, description: '终端编号 (opter_type is always 2 自助终端)' }),
    opter_name: Type.String({ minLength: 1, maxLength: 50, description: '终端名称' }),
  },
  strict,
);

const Tif = Type.Object(
  {
    enabled: Type.Boolean({ description: 'send x-tif-paasid / x-tif-timestamp / x-tif-nonce / x-tif-signature (provincial gateway)' }),
    paasId: Type.String({ description: 'x-tif-paasid' }),
    paasToken: NullableSecret,
  },
  strict,
);

const Nhsa = Type.Object(
  {
    envelope: NhsaEnvelope,
    signIn: Type.Object(
      {
        ip: Type.String({ description: '9001 signIn.ip of this terminal' }),
        mac: Type.String({ description: '9001 signIn.mac of this terminal' }),
        opter_no: Type.String({ minLength: 1, description: '9001 signIn.opter_no' }),
      },
      strict,
    ),
    idCardCertType: Type.String({ minLength: 1, maxLength: 6, description: 'psn_cert_type of a 居民身份证 (openhis: "01"; samples disagree)' }),
    insuStatusCodes: Type.Record(Type.String({ pattern: '^[0-9A-Za-z]{1,3}$' }), InsuranceStatusName, {
      description: 'psn_insu_stas → status; default 0 未参保, 1 正常参保, 2 暂停参保, 4 终止参保 (add "3": "terminated" where the local system uses 3)',
    }),
    notFoundMessages: Type.Array(Type.String({ minLength: 1 }), {
      description: 'infcode -1 whose err_msg contains one of these means "no record" rather than a failure',
    }),
    tif: Tif,
  },
  strict,
);

const Decode = Type.Object(
  {
    url: Type.Union([Url, Type.Null()], {
      description:
        'e-voucher decode service (the province front-end, e.g. …/localcfc/api/hsecfc/localQrCodeQuery); null: e-voucher not available. Ignored for the simulator.',
    }),
    transType: oneOf(['ec.query', 'cn.nhsa.qrcode.get'] as const),
    orgId: Type.String({ maxLength: 40 }),
    businessType: Type.String({ maxLength: 5, description: '用码业务类型 (附录 A.1, not public; samples: 01101, 01301)' }),
    officeId: Type.String({ maxLength: 20 }),
    officeName: Type.String({ maxLength: 30 }),
    qrField: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,39}$', description: 'data field carrying the scanned payload (not in any public source)' }),
  },
  strict,
);

const Rest = Type.Object(
  {
    token: NullableSecret,
  },
  strict,
);

export const InsuranceConfigSchema = Type.Object(
  {
    adapter: InsuranceAdapterName,
    url: Type.Union([Url, Type.Null()], { description: 'nhsa: the transaction endpoint; rest: the contract base URL; ignored for simulator' }),
    referCounter: Type.Integer({ minimum: 1, maximum: 999, description: 'the counter that handles 参保 matters, named in every failure message' }),
    timeouts: Type.Object(
      {
        lookupMs: Type.Integer({ minimum: 100, maximum: 60_000, description: 'one attempt of a person lookup (sign-in included)' }),
        decodeMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
        dictionaryMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
      },
      strict,
    ),
    retry: Type.Object(
      {
        attempts: Type.Integer({ minimum: 0, maximum: 1, description: 'extra attempts for lookups after a transient failure (0 or 1)' }),
        delayMs: Type.Integer({ minimum: 0, maximum: 10_000 }),
      },
      strict,
    ),
    breaker: Type.Object(
      {
        failureThreshold: Type.Integer({ minimum: 1, maximum: 100, description: 'consecutive transient failures that open the breaker' }),
        openMs: Type.Integer({ minimum: 100, maximum: 3_600_000, description: 'how long the breaker stays open before one trial call' }),
      },
      strict,
    ),
    paymentMonths: Type.Integer({ minimum: 0, maximum: 120, description: 'months of 缴费 history asked for (rest contract only)' }),
    nhsa: Nhsa,
    decode: Decode,
    rest: Rest,
    simulator: Type.Object(
      {
        protocol: oneOf(['nhsa', 'rest'] as const, 'which adapter talks to the bundled simulator'),
        port: Type.Integer({ minimum: 0, maximum: 65535, description: '0 = any free port' }),
      },
      strict,
    ),
  },
  strict,
);

export type InsuranceConfig = Static<typeof InsuranceConfigSchema>;
export type InsuranceAdapterKind = Static<typeof InsuranceAdapterName>;

/** Rules the schema cannot express; the factory refuses to build an adapter while any is present. */
export function checkInsuranceConfig(c: InsuranceConfig, counterNumbers: readonly number[]): string[] {
  const problems: string[] = [];
  if ((c.adapter === 'nhsa' || c.adapter === 'rest') && !c.url) problems.push(`/insurance/url: required for adapter "${c.adapter}"`);
  if (c.nhsa.tif.enabled && !c.nhsa.tif.paasToken) problems.push('/insurance/nhsa/tif/paasToken: required when tif.enabled');
  if (c.nhsa.tif.enabled && !c.nhsa.tif.paasId) problems.push('/insurance/nhsa/tif/paasId: required when tif.enabled');
  if (c.adapter !== 'off' && counterNumbers.length > 0 && !counterNumbers.includes(c.referCounter)) {
    problems.push(`/insurance/referCounter: no counter number ${c.referCounter}`);
  }
  return problems;
}
