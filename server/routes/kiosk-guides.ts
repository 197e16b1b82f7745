import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kiosk } from '../../kiosk/compose.ts';
import { businessDay } from '../../kiosk/clock.ts';
import { KioskError } from '../../kiosk/errors.ts';
import {
  buildNoticeDocument,
  checklist,
  formatChannels,
  formatCopies,
  formatFee,
  formatTimeLimit,
  promisedCompletionDate,
  type GuideItem,
  type MissingRequirement,
} from '../../kiosk/guides/index.ts';
import { noticePrintDocument } from '../../kiosk/printing/notice-document.ts';
import { auth } from '../plugins/auth.ts';
import { NoticeReplySchema } from '../schemas/guides.ts';
import { enumOf, errors, Text } from '../schemas.ts';

const Open = (props: Record<string, ReturnType<typeof Type.Any>>) => Type.Object(props, { additionalProperties: true });

/** 办事指南 for the citizen UI: browse, search, item page with availability, checklist and 告知单. */
export const kioskGuideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const citizen = auth('loopback', 'admin');
  const { guides, config } = kiosk;
  const level = config.hall.level;
  const today = () => businessDay(kiosk.clock(), config.hall.timeZone, '00:00');

  const summary = (item: GuideItem) => ({
    id: item.id,
    name: item.name,
    code: item.codeIsPlaceholder ? null : item.code,
    category: item.category,
    audience: item.audience,
    timeLimit: formatTimeLimit(item.timeLimit),
    availableHere: guides.availability(item, level).handledHere,
  });
  const Summary = Type.Object({
    id: Type.String(),
    name: Type.String(),
    code: Type.Union([Type.String(), Type.Null()]),
    category: Type.String(),
    audience: Type.Array(Type.String()),
    timeLimit: Type.String(),
    availableHere: Type.Boolean(),
  });

  app.get(
    '/kiosk/guides',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '办事指南: browse and search (Chinese, full pinyin or initials)',
        querystring: Type.Object({
          q: Type.Optional(Text(50)),
          category: Type.Optional(Text(64)),
          audience: Type.Optional(enumOf(['个人', '单位'] as const)),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Summary),
            suggestions: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
            categories: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), count: Type.Integer() })),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const filter = { ...(q.category ? { category: q.category } : {}), ...(q.audience ? { audience: q.audience } : {}) };
      const categories = guides.categories(filter.audience ? { audience: filter.audience } : {}).map((c) => ({ id: c.id, name: c.name, count: c.count }));
      if (q.q && q.q.trim()) {
        const result = guides.search(q.q, { ...filter, limit: 30 });
        const suggestions = [...result.suggestions.closest.map((c) => c.item), ...result.suggestions.popular]
          .filter((s, i, all) => all.findIndex((x) => x.id === s.id) === i)
          .slice(0, 6)
          .map((s) => ({ id: s.id, name: s.name }));
        return { items: result.hits.map((h) => summary(h.item)), suggestions: result.hits.length ? [] : suggestions, categories };
      }
      return { items: guides.browse(filter).map(summary), suggestions: [], categories };
    },
  );

  app.get(
    '/kiosk/guides/:id',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '办事指南 item page',
        params: Type.Object({ id: Text(64) }),
        response: { 200: Type.Object({ item: Open({}) }), ...errors(404) },
      },
    },
    async (request) => {
      const item = findItem(kiosk, request.params.id);
      const availability = guides.availability(item, level);
      let promisedDate: string | null = null;
      let promisedNote: string | null = null;
      try {
        const p = promisedCompletionDate(item, today(), kiosk.calendar);
        promisedDate = p.date;
      } catch (err) {
        promisedNote = (err as { messageZh?: string }).messageZh ?? '办结日期以受理时工作人员告知为准';
      }
      const hallDefault = (v: string | undefined, fallback: string) => v ?? fallback;
      const hours = config.hall.openingHours.map((h) => `${h.open}-${h.close}`).join('，');
      return {
        item: {
          id: item.id,
          name: item.name,
          code: item.codeIsPlaceholder ? null : item.code,
          serviceCode: item.queueService,
          audience: item.audience,
          kioskFlow: kiosk.certificates ? (item.kioskFlow ?? null) : null,
          materials: item.materials.map((m) => ({ ...m, copiesText: formatCopies(m) })),
          availability: {
            here: availability.handledHere,
            message: availability.message,
            upperHall: availability.handledHere ? null : (config.hall.upperHall ?? null),
          },
          promisedDate,
          promisedNote,
          fields: [
            { label: '事项名称', value: item.name },
            { label: '事项编码', value: item.codeIsPlaceholder ? '（编码待核实）' : item.code },
            { label: '服务对象', value: item.audienceDetail },
            { label: '设定依据', value: item.legalBasis },
            { label: '受理条件', value: item.acceptanceConditions },
            { label: '办理方式', value: formatChannels(item) },
            { label: '办理流程', value: item.process ?? [] },
            { label: '办理时限', value: formatTimeLimit(item.timeLimit) },
            ...(item.statutoryTimeLimit ? [{ label: '法定时限', value: formatTimeLimit(item.statutoryTimeLimit) }] : []),
            { label: '办理地点', value: hallDefault(item.location, config.hall.address) },
            { label: '办理时间', value: hallDefault(item.hours, `工作日 ${hours}`) },
            { label: '咨询电话', value: hallDefault(item.consultPhone, config.hall.phones.consult) },
            { label: '监督投诉电话', value: hallDefault(item.complaintPhone, config.hall.phones.complaint) },
            { label: '是否收费', value: formatFee(item) },
            { label: '温馨提示', value: item.tips },
            // Shipped items are other regions' samples and say so; the hall's own say they are local.
            { label: '内容来源', value: item.local ? '本地事项（已按本地规定核对）' : (item.region ?? '示例数据，本地使用前请核对') },
          ],
        },
      };
    },
  );

  app.post(
    '/kiosk/guides/:id/notice',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '一次性告知: the checklist verdict (kiosk/guides/checklist.ts) for the ticked materials; prints the 告知单 unless print is false',
        params: Type.Object({ id: Text(64) }),
        body: Type.Object({ have: Type.Array(Text(64), { maxItems: 100 }), print: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: NoticeReplySchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      const item = findItem(kiosk, request.params.id);
      const body = request.body;
      const result = checklist(item, new Set(body.have));
      let print = null;
      if (body.print !== false) {
        const notice = buildNoticeDocument(
          item,
          result,
          {
            name: config.hall.name,
            level,
            address: config.hall.address,
            consultPhone: config.hall.phones.consult,
            complaintPhone: config.hall.phones.complaint,
          },
          today(),
          { calendar: kiosk.calendar },
        );
        const outcome = await kiosk.printing.print('notice', noticePrintDocument(notice, kiosk.devices.printerProfile.charsPerLine));
        print = outcome.ok ? { ok: true } : { ok: false, code: outcome.code ?? 'failed', message: outcome.message ?? '打印失败' };
      }
      const requirement = (r: MissingRequirement) => ({ materials: r.materials.map(ref), deferrable: r.deferrable, byCommitment: r.byCommitment });
      return {
        checklist: {
          outcome: result.outcome,
          canAcceptNow: result.canAcceptNow,
          needsCommitment: result.needsCommitment,
          needsPersonalCommitment: result.needsPersonalCommitment,
          blocking: result.blocking.map(requirement),
          byCommitment: result.byCommitment.map(requirement),
          deferrable: result.deferrable.map(requirement),
          conditional: result.conditional.map(ref),
        },
        print,
      };
    },
  );
};

const ref = (m: { id: string; name: string }) => ({ id: m.id, name: m.name });

function findItem(kiosk: Kiosk, id: string): GuideItem {
  const item = kiosk.guides.get(id);
  if (!item) throw new KioskError('GUIDE_UNKNOWN_ITEM', { id });
  return item;
}
