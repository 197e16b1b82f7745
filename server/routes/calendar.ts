import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CalendarStore, EditMeta } from '../../kiosk/calendar/calendar-store.ts';
import { hallCoverage } from '../../kiosk/calendar/hall-coverage.ts';
import { importIcs } from '../../kiosk/calendar/ics-import.ts';
import { IMPORT_FORMATS, type ImportResult } from '../../kiosk/calendar/import-types.ts';
import { importJsonDays } from '../../kiosk/calendar/json-import.ts';
import { parseHolidayNotice } from '../../kiosk/calendar/notice-parser.ts';
import { addDays, dayOfWeek, formatIsoDate } from '../../kiosk/calendar/dates.ts';
import { KioskError } from '../../kiosk/errors.ts';
import type { Tx } from '../../kiosk/store/sql.ts';
import { auth } from '../plugins/auth.ts';
import { DaySchema, enumOf, errors, MultilineText, replies, Text } from '../schemas.ts';

const tag = <E extends object = object>(t: string, summary: string, extra?: E) => ({ tags: [t], summary, security: [{ bearer: [] }], ...(extra as E) });
const Year = Type.Integer({ minimum: 1990, maximum: 2200 });
const Operator = Type.Optional(Text(30, { description: '操作人姓名（多人共用管理员账号时填写）' }));
const Reason = Text(200, { minLength: 2, description: '修改原因（记入审计记录）' });
const Format = enumOf(IMPORT_FORMATS);
const ImportBody = Type.Object(
  {
    format: Format,
    /** The notice text, the ICS file content, or the JSON day list. */
    text: MultilineText(1_000_000, { minLength: 1 }),
    year: Type.Optional(Year),
    fileName: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
const CommitBody = Type.Object(
  { ...ImportBody.properties, digest: Type.String({ pattern: '^[0-9a-f]{16}$', maxLength: 16 }), operator: Operator },
  { additionalProperties: false },
);
const DayRowBody = Type.Object(
  {
    kind: enumOf(['holiday', 'adjusted-workday', 'workday'] as const),
    name: Text(30, { minLength: 1 }),
    note: Type.Optional(MultilineText(100)),
    source: Type.Optional(Text(100)),
    reason: Reason,
    operator: Operator,
  },
  { additionalProperties: false },
);
const Warning = Type.Object({
  code: Type.String(),
  year: Type.Integer(),
  message: Type.String(),
  reasons: Type.Array(Type.Object({ kind: Type.String(), detail: Type.String() })),
});
const Nullable = <T extends ReturnType<typeof Type.Object>>(t: T) => Type.Union([t, Type.Null()]);
const CoverageReply = Type.Object({
  firstYear: Type.Integer(),
  lastYear: Type.Integer(),
  coveredUntil: Type.String(),
  today: Type.String(),
  daysLeft: Type.Integer(),
  warnings: Type.Array(Warning),
  source: Type.Unsafe<'local' | 'holder'>({ type: 'string', enum: ['local', 'holder'] }),
  sync: Nullable(
    Type.Object({
      holder: Type.String(),
      lastSyncAt: Type.Union([Type.Integer(), Type.Null()]),
      lastAttemptAt: Type.Union([Type.Integer(), Type.Null()]),
      lastError: Type.Union([Type.String(), Type.Null()]),
      revision: Type.String(),
    }),
  ),
  lastImport: Nullable(
    Type.Object({
      year: Type.Integer(),
      at: Type.Integer(),
      adminUser: Type.String(),
      operator: Type.Union([Type.String(), Type.Null()]),
      source: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/** The console account of the request (a console session), else the kind of caller. */
function adminUser(request: FastifyRequest): string {
  const c = request.caller;
  return c.kind === 'admin' || c.kind === 'technician' ? c.user : c.kind;
}

async function parseImport(body: Static<typeof ImportBody>): Promise<ImportResult> {
  const year = body.year !== undefined ? { year: body.year } : {};
  switch (body.format) {
    case 'notice':
      return parseHolidayNotice(body.text, year);
    case 'ics':
      return importIcs(body.text, { ...year, ...(body.fileName ? { fileName: body.fileName } : {}) });
    case 'json':
      return importJsonDays(body.text, year);
  }
}

/** The live calendar of a year, month by month (as the preview shows an import). */
function yearMonths(store: CalendarStore, year: number) {
  const calendar = store.calendar();
  if (!calendar.isCovered(`${year}-01-01`)) return null;
  return Array.from({ length: 12 }, (_, i) => {
    const days = [];
    for (let d = formatIsoDate({ year, month: i + 1, day: 1 }); Number(d.slice(5, 7)) === i + 1 && d.startsWith(`${year}-`); d = addDays(d, 1)) {
      const info = calendar.dayInfo(d);
      days.push({
        date: d,
        weekday: dayOfWeek(d),
        type: info.type,
        working: info.working,
        label: info.label,
        source: info.row?.source ?? null,
        note: info.row?.note ?? null,
      });
    }
    return { month: i + 1, days };
  });
}

/**
 * The working-day calendar: the admin's view and edits (single days with a reason, imports of the
 * State Council notice / ICS / JSON with a preview first, coverage, audit trail), the coverage
 * and its warnings for the hall server and the counter workstations, and the calendar itself for
 * the hall's other terminals (one calendar per hall). Registered under /api/v1.
 */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const ev = kiosk.evaluations;
  const store = ev.calendar;
  const adminOnly = auth('admin');
  const staffOrAdmin = auth('admin', 'hall-server');
  const meta = (request: FastifyRequest, body: { reason?: string; operator?: string | undefined }): EditMeta => ({
    adminUser: adminUser(request),
    operator: body.operator?.trim() || null,
    reason: body.reason ?? '',
  });
  /** One calendar per hall: a terminal of a remote queue shows the holder's and does not edit it. */
  const writable = () => {
    if (kiosk.calendarSync) throw new KioskError('CALENDAR_READ_ONLY', { holder: kiosk.calendarSync.status().holder });
  };
  /** Runs a calendar change with the deadline refill in one transaction. */
  const write = <T>(fn: (now: number) => Tx<T>): Promise<{ value: T; filledDeadlines: number }> => ev.calendarChange(fn);

  // ------------------------------------------------------------ coverage (hall server, counters, terminals)

  app.get(
    '/calendar/coverage',
    {
      config: auth('hall-server', 'counter', 'terminal', 'admin', 'loopback'),
      schema: tag('calendar', '工作日历覆盖范围及提醒（工作日历尚未包含 YYYY 年）', { response: replies({ 200: CoverageReply, ...errors(401, 403) }) }),
    },
    async () => await hallCoverage(kiosk),
  );

  if (kiosk.engine) {
    app.get(
      '/terminal/calendar',
      {
        config: auth('terminal', 'admin', 'hall-server'),
        schema: tag('terminal', '本大厅的工作日历（供连接本机排队的其他终端同步）; supports If-None-Match', {
          response: replies({ 304: Type.Null(), ...errors(401, 403) }),
        }),
      },
      async (request, reply) => {
        const etag = `"${store.revision()}"`;
        reply.header('etag', etag).header('cache-control', 'no-cache');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
        return store.snapshot();
      },
    );
  }

  // ------------------------------------------------------------ admin: view, single days, coverage

  app.get(
    '/admin/calendar',
    {
      config: adminOnly,
      schema: tag('calendar', '工作日历: coverage and exception days of a year, and the year month by month', {
        querystring: Type.Object({ year: Type.Optional(Year) }),
      }),
    },
    async (request) => {
      const year = request.query.year ?? Number(ev.today().slice(0, 4));
      return { coverage: store.coverage(), year, days: store.rows(year), months: yearMonths(store, year), readOnly: kiosk.calendarSync !== null };
    },
  );

  app.put(
    '/admin/calendar/days/:date',
    {
      config: adminOnly,
      schema: tag('calendar', '录入或修改一天 (节假日 / 调休上班 / 工作日)，须填写原因', {
        params: Type.Object({ date: DaySchema }),
        body: DayRowBody,
        response: replies({ 200: Type.Object({ filledDeadlines: Type.Integer() }), ...errors(400, 401, 403, 409) }),
      }),
    },
    async (request) => {
      writable();
      const b = request.body;
      const date = request.params.date;
      const row = { date, kind: b.kind, name: b.name, ...(b.note ? { note: b.note } : {}), source: b.source ?? 'admin' };
      return { filledDeadlines: (await write((now) => store.setDayTx(row, meta(request, b), now))).filledDeadlines };
    },
  );

  app.delete(
    '/admin/calendar/days/:date',
    {
      config: adminOnly,
      schema: tag('calendar', '删除一天的例外（恢复为普通工作日或周末），须填写原因', {
        params: Type.Object({ date: DaySchema }),
        querystring: Type.Object({ reason: Reason, operator: Operator }),
        response: replies({ 200: Type.Object({ deleted: Type.Boolean() }), ...errors(400, 401, 403, 409) }),
      }),
    },
    async (request) => {
      writable();
      const q = request.query;
      return { deleted: (await write((now) => store.deleteDayTx(request.params.date, meta(request, q), now))).value };
    },
  );

  app.put(
    '/admin/calendar/coverage',
    {
      config: adminOnly,
      schema: tag('calendar', '声明已录入的年份范围', {
        body: Type.Object({ firstYear: Year, lastYear: Year, reason: Type.Optional(Reason), operator: Operator }, { additionalProperties: false }),
        response: replies({ 200: Type.Object({ filledDeadlines: Type.Integer() }), ...errors(400, 401, 403, 409) }),
      }),
    },
    async (request) => {
      writable();
      const b = request.body;
      return {
        filledDeadlines: (
          await write((now) =>
            store.setCoverageTx(
              { firstYear: b.firstYear, lastYear: b.lastYear },
              { ...meta(request, b), reason: b.reason ?? `声明覆盖 ${b.firstYear}–${b.lastYear} 年` },
              now,
            ),
          )
        ).filledDeadlines,
      };
    },
  );

  app.get(
    '/admin/calendar/working-days',
    {
      config: staffOrAdmin,
      schema: tag('calendar', '计算 N 个工作日后的日期 (refuses past the covered years)', {
        querystring: Type.Object({ from: DaySchema, days: Type.Integer({ minimum: 0, maximum: 366 }) }),
        response: replies({ 200: Type.Object({ from: Type.String(), days: Type.Integer(), date: Type.String() }), ...errors(400, 401, 403, 409) }),
      }),
    },
    async (request) => {
      const q = request.query;
      return { ...q, date: store.addWorkingDays(q.from, q.days) };
    },
  );

  // ------------------------------------------------------------ admin: imports

  app.post(
    '/admin/calendar/imports/preview',
    {
      config: adminOnly,
      schema: tag('calendar', '预览导入：解析国务院办公厅通知文本 / ICS / JSON，返回全年日历、未识别的行和发现的问题（不保存）', {
        body: ImportBody,
        response: replies({ ...errors(400, 401, 403) }),
      }),
    },
    async (request) => ({
      ...store.preview(await parseImport(request.body)),
      readOnly: kiosk.calendarSync !== null,
    }),
  );

  app.post(
    '/admin/calendar/imports',
    {
      config: adminOnly,
      schema: tag('calendar', '确认导入：与预览相同的内容及其 digest；替换该年的全部例外日并扩展覆盖范围', {
        body: CommitBody,
        response: replies({ ...errors(400, 401, 403, 409) }),
      }),
    },
    async (request) => {
      writable();
      const b = request.body;
      const result = await parseImport(b);
      const { value: c, filledDeadlines } = await write((now) =>
        store.commitImportTx(result, { adminUser: adminUser(request), operator: b.operator?.trim() || null, digest: b.digest, input: b.text }, now),
      );
      return {
        importId: c.importId,
        year: c.preview.year,
        days: c.preview.days.length,
        changed: c.preview.changes.length,
        coverage: store.coverage(),
        filledDeadlines,
        coverageReport: await hallCoverage(kiosk),
      };
    },
  );

  app.get('/admin/calendar/imports', { config: adminOnly, schema: tag('calendar', '导入记录（谁、何时、导入了哪一年）') }, async () => ({
    imports: await store.imports(),
  }));

  app.get(
    '/admin/calendar/audit',
    {
      config: adminOnly,
      schema: tag('calendar', '工作日历修改记录（单日修改及原因、导入、覆盖范围）', {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
      }),
    },
    async (request) => ({
      entries: await store.auditTrail(request.query.limit ?? 100),
    }),
  );
};

export default calendarRoutes;
