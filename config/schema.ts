import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EvaluationConfigSchema } from './evaluation-schema.ts';
import { InsuranceConfigSchema } from './schema-insurance.ts';
import { CertificateConfigSchema } from './schema-certificate.ts';

/**
 * The one configuration schema. `defaults.json` satisfies it on its own (simulated devices,
 * development secrets); a site file overlays it. Unknown keys are errors: a typo must not be
 * silently ignored in a hall.
 */
const strict = { additionalProperties: false } as const;
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'local time HH:MM' });
const Secret = Type.String({ minLength: 16, description: 'secret; write "$env:NAME" to read it from the environment' });

/** A string enum that validates with a readable message ("must be one of ...") and types as a union. */
function oneOf<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const HallLevel = oneOf(['市', '县', '乡镇', '村'] as const, 'hall level: 市 / 县 / 乡镇 / 村');

const OpeningPeriod = Type.Object(
  {
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { description: 'ISO weekdays, 1 = Monday', minItems: 1 }),
    open: Clock,
    close: Clock,
  },
  strict,
);

const Hall = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'hall code, used in signed ticket codes' }),
    level: HallLevel,
    regionCode: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 administrative division code' }),
    address: Type.String({ minLength: 1 }),
    phones: Type.Object({ consult: Type.String(), complaint: Type.String() }, strict),
    openingHours: Type.Array(OpeningPeriod, { minItems: 1 }),
    timeZone: Type.String({ minLength: 1 }),
    dailyResetTime: Clock,
    upperHall: Type.Optional(
      Type.Object(
        { name: Type.String(), level: HallLevel, address: Type.String(), phone: Type.String() },
        { ...strict, description: 'where items this hall cannot handle are sent (就近办)' },
      ),
    ),
  },
  strict,
);

export const PriorityReason = oneOf(['elderly', 'disabled', 'pregnant', 'talent'] as const);

const Service = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }),
    name: Type.String({ minLength: 1 }),
    prefix: Type.String({ pattern: '^[A-Z]{1,2}$' }),
    numberRange: Type.Object(
      {
        from: Type.Integer({ minimum: 0 }),
        to: Type.Integer({ minimum: 1, description: 'sets the printed width; numbering continues past it (不得限号)' }),
      },
      strict,
    ),
    averageServiceMinutes: Type.Number({ exclusiveMinimum: 0, description: 'seed for the waiting-time estimate' }),
    priorityReasons: Type.Array(PriorityReason, { description: '绿色通道 reasons this service honours' }),
    dailyCap: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'null = no cap (default, 不得限号)' }),
    group: Type.Optional(Type.String({ description: 'heading the service is listed under on the 取号 screen' })),
  },
  strict,
);

const Counter = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 999 }),
    name: Type.String({ minLength: 1 }),
    services: Type.Array(Type.String(), { minItems: 1 }),
    token: Secret,
  },
  strict,
);

const Queue = Type.Object(
  {
    priority: Type.Object(
      {
        elderlyAge: Type.Integer({ minimum: 50, maximum: 100, description: 'age (from the ID number) that earns 绿色通道' }),
        boostMinutes: Type.Integer({ minimum: 0, maximum: 240, description: 'a priority ticket counts as issued this much earlier' }),
        maxConsecutive: Type.Integer({ minimum: 1, maximum: 20, description: 'priority calls in a row before a waiting normal ticket is called' }),
      },
      strict,
    ),
    recallLimit: Type.Integer({ minimum: 0, maximum: 10 }),
    noShowRequeueLimit: Type.Integer({ minimum: 0, maximum: 5, description: 'times a 过号 ticket may return to the queue' }),
    waitEstimateWindow: Type.Integer({ minimum: 1, maximum: 500, description: 'completed tickets in the rolling median' }),
    remote: Type.Union(
      [
        Type.Object(
          {
            url: Type.String({ pattern: '^https?://', description: 'base URL of the daemon that holds the hall queue (https:// for the daemon to start)' }),
            token: Secret,
            caFile: Type.Optional(
              Type.String({ minLength: 1, description: "PEM file of the hall's own CA: the only CA trusted for the holder's certificate" }),
            ),
          },
          strict,
        ),
        Type.Null(),
      ],
      { description: 'null: this daemon holds the queue; otherwise it reaches the queue of another terminal over the API' },
    ),
    appointments: Type.Object(
      {
        earlyMinutes: Type.Integer({ minimum: 0, maximum: 240, description: 'check-in allowed this long before the window' }),
        lateMinutes: Type.Integer({ minimum: 0, maximum: 240, description: 'tolerance after the window starts' }),
        missesBeforeSuspension: Type.Integer({ minimum: 1, maximum: 10 }),
      },
      strict,
    ),
  },
  strict,
);

const DeviceMode = oneOf(['simulator', 'hardware', 'off'] as const);
const SerialDevice = {
  mode: DeviceMode,
  path: Type.Optional(Type.String({ description: 'serial port for hardware mode, e.g. /dev/ttyUSB0' })),
  baudRate: Type.Integer({ minimum: 1200, maximum: 921600 }),
};
const Devices = Type.Object(
  {
    idcard: Type.Object({ ...SerialDevice, pollIntervalMs: Type.Integer({ minimum: 100, maximum: 10_000 }) }, strict),
    scanner: Type.Object(
      {
        ...SerialDevice,
        transport: oneOf(['serial', 'hid-pos'] as const),
        vendorId: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
        productId: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
      },
      strict,
    ),
    printer: Type.Object(
      {
        ...SerialDevice,
        profile: Type.String({ description: 'printer profile name, see drivers/printer/profiles.ts' }),
        profileOverrides: Type.Optional(
          Type.Object(
            {
              charsPerLine: Type.Optional(Type.Integer({ minimum: 8, maximum: 128 })),
              dotsPerLine: Type.Optional(Type.Integer({ minimum: 96, maximum: 2048 })),
              gbkOnly: Type.Optional(Type.Boolean()),
              chineseModeCommand: Type.Optional(Type.Boolean()),
              cutter: Type.Optional(oneOf(['full', 'partial', 'none'] as const)),
              qr: Type.Optional(oneOf(['native', 'none'] as const)),
              feedBeforeCut: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
            },
            { ...strict, description: 'single fields that differ from the named profile for this printer model' },
          ),
        ),
        statusPollMs: Type.Integer({ minimum: 200, maximum: 60_000 }),
        rollLengthM: Type.Optional(
          Type.Number({
            minimum: 1,
            maximum: 1000,
            description: 'length of a full paper roll in metres (e.g. 80): the console estimates the paper left since the last roll change',
          }),
        ),
      },
      strict,
    ),
    dispenser: Type.Object({ ...SerialDevice, presentTimeoutMs: Type.Integer({ minimum: 1_000, maximum: 600_000 }) }, strict),
  },
  strict,
);

const Api = Type.Object(
  {
    host: Type.String({ description: 'bind address; 127.0.0.1 unless the hall server must reach this daemon' }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    hallServerTokens: Type.Array(Secret, { minItems: 1, description: 'bearer tokens of the hall server and call displays' }),
    terminalTokens: Type.Array(Secret, { description: 'bearer tokens of other kiosks that issue tickets from this queue' }),
    accounts: Type.Array(
      Type.Object(
        {
          user: Type.String({ pattern: '^[A-Za-z0-9._-]{1,32}$', description: 'console login name' }),
          role: Type.Union([Type.Literal('technician'), Type.Literal('hall-admin')], {
            description: 'technician: devices and diagnostics; hall-admin: everything',
          }),
          passwordHash: Type.String({
            pattern: '^scrypt\\$[0-9]{4,7}\\$[0-9]{1,2}\\$[0-9]{1,2}\\$[A-Za-z0-9_-]{16,64}\\$[A-Za-z0-9_-]{43}$',
            description: 'secret; the line `hall-kiosk passwd` prints (scrypt), or "$env:NAME"',
          }),
        },
        strict,
      ),
      { minItems: 1, maxItems: 50, description: 'technician console accounts (POST /api/v1/console/login)' },
    ),
    sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 480, description: 'a console session ends after this long without a request' }),
    rateLimitPerMinute: Type.Integer({ minimum: 10 }),
    trustProxy: Type.Boolean(),
    allowedHosts: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      description: 'extra Host names the daemon answers to (besides localhost, 127.0.0.1, [::1] and api.host); stops DNS rebinding',
    }),
    maxConnectionsPerAddress: Type.Integer({ minimum: 1, maximum: 10_000, description: 'open TCP connections one client address may hold' }),
    tls: Type.Union(
      [
        Type.Object(
          {
            certFile: Type.String({ minLength: 1, description: 'PEM certificate (chain) of this daemon, signed by the hall CA' }),
            keyFile: Type.String({ minLength: 1, description: 'PEM private key; both files are read again on SIGHUP' }),
          },
          strict,
        ),
        Type.Null(),
      ],
      { description: 'null: plain HTTP (loopback only, or --insecure-dev); otherwise HTTPS for counter, terminal, display and hall-server traffic' },
    ),
    screenPort: Type.Union([Type.Integer({ minimum: 1, maximum: 65_535 }), Type.Null()], {
      description:
        "with api.tls: also serve plain HTTP on 127.0.0.1 at this port for the kiosk's own screen (the screen unit opens http://127.0.0.1:8080/); null: none",
    }),
  },
  strict,
);

const Privacy = Type.Object(
  {
    hmacKey: Secret,
    identityRetentionDays: Type.Integer({
      minimum: 1,
      maximum: 366,
      description: 'days a ticket or appointment keeps its identity hash (same-person lookups, real-name evaluation); then it is erased',
    }),
    mask: Type.Object(
      {
        idKeepStart: Type.Integer({ minimum: 0, maximum: 6 }),
        idKeepEnd: Type.Integer({ minimum: 0, maximum: 4 }),
        nameKeepStart: Type.Integer({ minimum: 0, maximum: 2 }),
        maskChar: Type.String({ minLength: 1, maxLength: 1 }),
      },
      strict,
    ),
  },
  strict,
);

/** The hall's shared store on PostgreSQL (kiosk/store/postgres.ts); README "Deployment: PostgreSQL with a standby". */
const PostgresStorage = Type.Object(
  {
    url: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description:
          'libpq connection URI; list the primary and the standby for failover: postgresql://kiosk@hall-server:5432,hall-standby:5432/hall?target_session_attrs=read-write (or "$env:NAME")',
      }),
    ),
    password: Type.Optional(Type.String({ minLength: 1, description: 'secret; overrides the URI\'s password; write "$env:NAME" to read it from secrets.env' })),
    poolSize: Type.Integer({ minimum: 1, maximum: 100, description: 'connections this daemon keeps to the store' }),
    statementTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, description: 'per statement, the wait for the hall write lock included' }),
    connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, description: 'per host tried: TCP connect and authentication' }),
    tls: Type.Optional(
      Type.Object(
        {
          caFile: Type.Optional(Type.String({ minLength: 1, description: 'PEM file of the CA that signed the server certificate' })),
          rejectUnauthorized: Type.Boolean({ description: 'false only for a test setup: the server certificate is then not checked' }),
        },
        strict,
      ),
    ),
  },
  strict,
);

const Storage = Type.Object(
  {
    dataDir: Type.String({ minLength: 1, description: "relative paths resolve against the working directory; the terminal's own records stay in SQLite here" }),
    engine: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], {
      description: "where the hall queue is stored: sqlite (this terminal's file, the default) or postgres (shared by every daemon of the hall)",
    }),
    postgres: Type.Optional(PostgresStorage),
  },
  strict,
);

const Ui = Type.Object(
  {
    idleTimeoutSeconds: Type.Integer({ minimum: 15, maximum: 900 }),
    ticketUrlPrefix: Type.Union([Type.String({ pattern: '^https?://' }), Type.Null()]),
  },
  strict,
);

/** Abuse limits at the citizen's kiosk (kiosk/session/abuse-limits.ts); windows run on the app's clock. */
const KioskLimits = Type.Object(
  {
    printedTickets: Type.Object(
      {
        perKiosk: Type.Integer({ minimum: 1, maximum: 100_000, description: 'tickets this kiosk prints (取号 and 补打) within windowSeconds' }),
        windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
        perSession: Type.Integer({ minimum: 1, maximum: 1_000, description: 'tickets one citizen visit (until the kiosk returns home) may print' }),
      },
      strict,
    ),
    declaredPriority: Type.Object(
      {
        perKiosk: Type.Integer({
          minimum: 1,
          maximum: 100_000,
          description: 'declared 绿色通道 tickets (残疾人/孕妇/人才, 待窗口核验) this kiosk issues within windowSeconds',
        }),
        windowSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
        perSession: Type.Integer({ minimum: 1, maximum: 1_000, description: 'declared 绿色通道 tickets per citizen visit' }),
      },
      strict,
    ),
    assistanceCoalesceSeconds: Type.Integer({
      minimum: 0,
      maximum: 3_600,
      description: '呼叫工作人员 again within this many seconds joins the open request instead of raising a new alert',
    }),
  },
  strict,
);

export const ConfigSchema = Type.Object(
  {
    hall: Hall,
    services: Type.Array(Service, { minItems: 1 }),
    counters: Type.Array(Counter),
    queue: Queue,
    devices: Devices,
    api: Api,
    privacy: Privacy,
    storage: Storage,
    ui: Ui,
    kioskLimits: KioskLimits,
    evaluation: EvaluationConfigSchema,
    insurance: InsuranceConfigSchema,
    certificate: CertificateConfigSchema,
  },
  strict,
);

export type KioskConfig = Static<typeof ConfigSchema>;
export type ServiceConfig = KioskConfig['services'][number];
export type CounterConfig = KioskConfig['counters'][number];
export type PriorityReasonName = Static<typeof PriorityReason>;
export type HallLevelName = Static<typeof HallLevel>;
export type DeviceModeName = Static<typeof DeviceMode>;
export type AnySchema = TSchema;
