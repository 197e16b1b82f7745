import { Type, type Static } from '@sinclair/typebox';

/**
 * 好差评 configuration: reasons, staff, evaluation window, 差评 follow-up deadlines, rate limits,
 * the monthly window score and the upload to the provincial 好差评 system.
 */
const strict = { additionalProperties: false } as const;

const Reason = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'stable code, exported in the reason-code list' }),
    name: Type.String({ minLength: 1, maxLength: 40 }),
    requiresText: Type.Optional(Type.Boolean({ description: 'choosing it requires free text (其他)' })),
  },
  strict,
);

const Staff = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'staff number (工号)' }),
    name: Type.String({ minLength: 1, maxLength: 30 }),
    identityHash: Type.Optional(
      Type.String({ minLength: 16, maxLength: 128, description: "HMAC of the staff member's ID number (privacy.hmacKey): refuses self-evaluation" }),
    ),
    pinHash: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'HMAC-SHA256 (privacy.hmacKey) of the sign-in PIN; when set, the counter workstation asks for it',
      }),
    ),
  },
  strict,
);

const LevelCodes = Type.Unsafe<'gbt39046' | 'provincial'>({
  type: 'string',
  enum: ['gbt39046', 'provincial'],
  description: 'gbt39046: 1 = 非常满意 … 5 = 非常不满意; provincial: 5 = 非常满意 … 1 = 非常不满意',
});

const Upload = Type.Object(
  {
    url: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()], { description: 'provincial endpoint; null keeps records queued' }),
    token: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { description: 'bearer token sent to the endpoint' }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000 }),
    pollMs: Type.Integer({ minimum: 50, maximum: 600_000, description: 'how often the outbox looks for due rows' }),
    backoffBaseMs: Type.Integer({ minimum: 10, maximum: 3_600_000 }),
    backoffMaxMs: Type.Integer({ minimum: 10, maximum: 86_400_000 }),
    batchSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    concurrency: Type.Integer({ minimum: 1, maximum: 32 }),
    levelCodes: LevelCodes,
    channelCodes: Type.Object(
      { 'counter-evaluator': Type.String(), kiosk: Type.String(), 'ticket-qr': Type.String() },
      { ...strict, description: '评价渠道 codes of the target (GB/T 39046 labels: 政务大厅平板电脑 4, 政务大厅其他终端 5, 二维码 3)' },
    ),
    fields: Type.Record(Type.String(), Type.String(), {
      description: 'canonical field → target field name; only mapped fields are sent (see kiosk/evaluations/export-record.ts)',
    }),
    static: Type.Record(Type.String(), Type.String(), { description: 'constant fields added to every record (dataSource, deptCode…)' }),
  },
  strict,
);

export const EvaluationConfigSchema = Type.Object(
  {
    windowDays: Type.Integer({ minimum: 1, maximum: 90, description: 'days after 办结 a ticket may be evaluated' }),
    appendWindowDays: Type.Integer({ minimum: 1, maximum: 90, description: 'days after the first evaluation a 追加评价 is accepted' }),
    evaluatorTimeoutSeconds: Type.Integer({ minimum: 10, maximum: 600, description: 'counter evaluator returns to idle (recorded as 未评价)' }),
    reasons: Type.Object(
      { version: Type.String({ minLength: 1, maxLength: 32 }), items: Type.Array(Reason, { minItems: 1 }) },
      { ...strict, description: 'reason list, versioned; each evaluation stores the version it used' },
    ),
    staff: Type.Array(Staff),
    phoneKey: Type.String({ minLength: 16, description: 'secret for AES-256-GCM encryption of 回访 phone numbers; "$env:NAME" to read from the environment' }),
    followUp: Type.Object(
      {
        contactWorkingDays: Type.Integer({ minimum: 0, maximum: 30, description: '回访 within N working days of the 差评' }),
        rectifyWorkingDays: Type.Integer({ minimum: 0, maximum: 60, description: '整改反馈 within N working days of the 差评' }),
      },
      strict,
    ),
    rateLimits: Type.Object(
      {
        perDevicePerMinute: Type.Integer({ minimum: 1, maximum: 100_000, description: 'accepted evaluations per device per minute' }),
        perTicketAttempts: Type.Integer({ minimum: 2, maximum: 1000, description: 'submission attempts per ticket per 10 minutes' }),
      },
      strict,
    ),
    score: Type.Object(
      {
        full: Type.Number({ minimum: 0, description: '服务对象评价 full marks per month (15)' }),
        basicallySatisfied: Type.Number({ minimum: 0, description: 'deduction per 基本满意 (0.5)' }),
        dissatisfied: Type.Number({ minimum: 0, description: 'deduction per 不满意 (1)' }),
        veryDissatisfied: Type.Number({ minimum: 0, description: 'deduction per 非常不满意 (1: counted like 不满意)' }),
      },
      strict,
    ),
    upload: Upload,
  },
  strict,
);

export type EvaluationConfig = Static<typeof EvaluationConfigSchema>;
export type UploadConfig = EvaluationConfig['upload'];
export type StaffConfig = EvaluationConfig['staff'][number];
export type ReasonConfig = EvaluationConfig['reasons']['items'][number];
