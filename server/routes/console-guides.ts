import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { GuideItemData } from '../../config/guides/schema.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { planJsonImport, planTableImport, type ImportContext, type ImportPlan } from '../../kiosk/guides/import.ts';
import { readTable } from '../../kiosk/guides/import-files.ts';
import { checkSynonyms, LOCAL_GUIDES_FILE, LocalGuideStore, localGuidesFileFor, rawItem } from '../../kiosk/guides/local-guides.ts';
import { SEARCH_SYNONYMS } from '../../kiosk/guides/synonyms.ts';
import { auth } from '../plugins/auth.ts';
import { errors, replies, Text } from '../schemas.ts';

const Problem = Type.Object({ row: Type.Integer(), field: Type.String(), reason: Type.String() });
const ImportReply = Type.Object({
  ok: Type.Boolean({ description: 'true when at least one row was imported (or would be, for a dry run) and the file could be read' }),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  imported: Type.Array(Type.Object({ row: Type.Integer(), id: Type.String(), name: Type.String(), replaces: Type.Boolean() })),
  problems: Type.Array(Problem),
  ignoredColumns: Type.Array(Type.String()),
  version: Type.Union([Type.Integer(), Type.Null()]),
});
const SaveReply = Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem), version: Type.Union([Type.Integer(), Type.Null()]) });

/**
 * 办事指南 content from the console (hall-admin only): list, edit, mark as local, import (JSON,
 * CSV, XLSX) with a line-by-line report, and the search synonyms. Changes go to the hall's overlay
 * file (kiosk/guides/local-guides.ts) and reach the kiosk's guide screens at once. The console's
 * audit hook records every change; the handlers add what changed (ids, counts, version).
 */
export const consoleGuideRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const catalog = kiosk.guides;
  const file = localGuidesFileFor(kiosk.db);
  // An in-memory database (a throwaway kiosk) has no data directory: edits stay in memory there.
  const store = new LocalGuideStore(catalog, file ?? join(mkdtempSync(join(tmpdir(), 'hall-kiosk-guides-')), LOCAL_GUIDES_FILE));
  const hallAdmin = auth('admin');
  const user = (request: { caller: { kind: string; user?: string } }): string => {
    const c = request.caller;
    if (c.kind !== 'admin' || !c.user) throw new KioskError('AUTH_FORBIDDEN');
    return c.user;
  };
  /** The overlay with `items` laid over it (same id replaces). */
  const merged = (items: readonly GuideItemData[]): GuideItemData[] => {
    const ids = new Set(items.map((i) => i.id));
    return [...store.current().items.filter((i) => !ids.has(i.id)), ...items];
  };
  const context = (fileName: string, markLocal: boolean): ImportContext => ({
    categories: catalog.categoryList,
    processTemplates: catalog.processTemplates,
    existingIds: new Set(catalog.items.map((i) => i.id)),
    fileName,
    markLocal,
    check: (items) => store.check({ items: merged(items) }),
  });
  const save = (plan: ImportPlan, who: string) => {
    if (!plan.items.length) return null;
    const saved = store.save({ items: merged(plan.items.map((i) => i.item)) }, { at: kiosk.clock(), user: who });
    // Every row was checked with the ones before it; a failure here is a bug, not a bad row.
    if (!saved.ok) throw new Error(`guide overlay rejected after a passing check: ${saved.problems.map((p) => p.message).join('; ')}`);
    return saved.local.version;
  };
  const overlayIds = () => new Set(store.current().items.map((i) => i.id));

  app.get(
    '/console/guides',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '办事指南事项列表（含本地修改、本地事项标记与内容来源）',
        response: replies({
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                code: Type.String(),
                codeIsPlaceholder: Type.Boolean(),
                category: Type.String(),
                local: Type.Boolean(),
                region: Type.Union([Type.String(), Type.Null()]),
                edited: Type.Boolean({ description: 'kept in the hall overlay (edited or imported here)' }),
              }),
            ),
            categories: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
            version: Type.Integer(),
            savedAt: Type.Union([Type.Integer(), Type.Null()]),
            savedBy: Type.Union([Type.String(), Type.Null()]),
            file: Type.String(),
          }),
          ...errors(401, 403),
        }),
      },
    },
    async () => {
      const local = store.current();
      const edited = overlayIds();
      return {
        items: catalog.items.map((i) => ({
          id: i.id,
          name: i.name,
          code: i.code,
          codeIsPlaceholder: i.codeIsPlaceholder,
          category: i.category,
          local: i.local === true,
          region: i.region ?? null,
          edited: edited.has(i.id),
        })),
        categories: catalog.categoryList.map((c) => ({ id: c.id, name: c.name })),
        version: local.version,
        savedAt: local.savedAt,
        savedBy: local.user,
        file: store.path,
      };
    },
  );

  app.get(
    '/console/guides/items/:id',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '一个办事指南事项的完整数据（编辑用，格式同 config/guides/items）',
        params: Type.Object({ id: Text(64) }),
        response: replies({ 200: Type.Object({ item: Type.Record(Type.String(), Type.Unknown()), edited: Type.Boolean() }), ...errors(401, 403, 404) }),
      },
    },
    async (request) => {
      const item = catalog.get(request.params.id);
      if (!item) throw new KioskError('GUIDE_UNKNOWN_ITEM', { id: request.params.id });
      return { item: rawItem(item) as unknown as Record<string, unknown>, edited: overlayIds().has(item.id) };
    },
  );

  app.put(
    '/console/guides/items/:id',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '保存一个办事指南事项（新增或修改；与启动时相同的校验，问题用中文指出字段），立即生效',
        params: Type.Object({ id: Text(64) }),
        body: Type.Object({ item: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false }),
        response: replies({ 200: SaveReply, ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      const who = user(request);
      const item = request.body.item;
      if (item.id !== request.params.id) return { ok: false, problems: [{ row: 1, field: '/id', reason: '事项标识与地址中的不一致' }], version: null };
      const plan = planJsonImport([item], context('维护台编辑', false));
      request.auditDetails = { guide: request.params.id, ok: plan.problems.length === 0 };
      if (plan.problems.length) return { ok: false, problems: [...plan.problems], version: null };
      const version = save(plan, who);
      request.auditDetails = { guide: request.params.id, ok: true, version };
      return { ok: true, problems: [], version };
    },
  );

  app.post(
    '/console/guides/items/:id/local',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '标记（或取消标记）为本地事项：已按本地区规定核对的事项，终端不再显示“示例数据”来源说明',
        params: Type.Object({ id: Text(64) }),
        body: Type.Object({ local: Type.Boolean() }, { additionalProperties: false }),
        response: replies({ 200: SaveReply, ...errors(400, 401, 403, 404) }),
      },
    },
    async (request) => {
      const who = user(request);
      const found = catalog.get(request.params.id);
      if (!found) throw new KioskError('GUIDE_UNKNOWN_ITEM', { id: request.params.id });
      const { local: _was, ...rest } = rawItem(found);
      const item: GuideItemData = request.body.local ? { ...rest, local: true } : rest;
      const saved = store.save({ items: merged([item]) }, { at: kiosk.clock(), user: who });
      if (!saved.ok) return { ok: false, problems: saved.problems.map((p) => ({ row: 1, field: p.path, reason: p.message })), version: null };
      request.auditDetails = { guide: found.id, local: request.body.local, version: saved.local.version };
      return { ok: true, problems: [], version: saved.local.version };
    },
  );

  app.delete(
    '/console/guides/items/:id/local-edit',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '撤销本大厅对一个事项的修改（恢复随程序提供的内容；本地新增的事项则删除）',
        params: Type.Object({ id: Text(64) }),
        response: replies({ 200: SaveReply, ...errors(401, 403, 404) }),
      },
    },
    async (request) => {
      const who = user(request);
      const current = store.current();
      if (!current.items.some((i) => i.id === request.params.id)) throw new KioskError('GUIDE_UNKNOWN_ITEM', { id: request.params.id });
      const saved = store.save({ items: current.items.filter((i) => i.id !== request.params.id) }, { at: kiosk.clock(), user: who });
      if (!saved.ok) return { ok: false, problems: saved.problems.map((p) => ({ row: 1, field: p.path, reason: p.message })), version: null };
      request.auditDetails = { guide: request.params.id, reverted: true, version: saved.local.version };
      return { ok: true, problems: [], version: saved.local.version };
    },
  );

  app.post(
    '/console/guides/import',
    {
      config: hallAdmin,
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['console'],
        summary: '导入办事指南事项（JSON、或政务服务网导出的 CSV / XLSX 事项清单）：逐行校验，合格的行导入，有问题的行逐行报告（行号、列、原因）',
        body: Type.Object(
          {
            format: Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')]),
            fileName: Text(200, { minLength: 1 }),
            /** The file's bytes, base64. */
            data: Type.String({ maxLength: 8 * 1024 * 1024 }),
            markLocal: Type.Optional(Type.Boolean({ description: 'mark the imported items as this region’s own (default true)' })),
            dryRun: Type.Optional(Type.Boolean({ description: 'report only, import nothing' })),
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: ImportReply, ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      const who = user(request);
      const { format, fileName, data, markLocal, dryRun } = request.body;
      const bytes = Buffer.from(data, 'base64');
      const ctx = context(fileName, markLocal ?? true);
      let plan: ImportPlan;
      if (format === 'json') {
        let value: unknown;
        try {
          value = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
        } catch {
          value = undefined;
        }
        plan =
          value === undefined
            ? { items: [], problems: [{ row: 0, field: '（整个文件）', reason: '不是有效的 JSON 文件' }], rows: 0, ignoredColumns: [] }
            : planJsonImport(value, ctx);
      } else {
        const table = await readTable(format, bytes);
        plan =
          'reason' in table
            ? { items: [], problems: [{ row: 0, field: '（整个文件）', reason: table.reason }], rows: 0, ignoredColumns: [] }
            : planTableImport(table, ctx);
      }
      const version = dryRun ? null : save(plan, who);
      request.auditDetails = {
        format,
        imported: plan.items.map((i) => i.item.id),
        rejectedRows: [...new Set(plan.problems.map((p) => p.row))],
        dryRun: dryRun === true,
        version,
      };
      return {
        ok: plan.items.length > 0,
        dryRun: dryRun === true,
        rows: plan.rows,
        imported: plan.items.map((i) => ({ row: i.row, id: i.item.id, name: i.item.name, replaces: i.replaces })),
        problems: [...plan.problems],
        ignoredColumns: [...plan.ignoredColumns],
        version,
      };
    },
  );

  const SynonymsSchema = Type.Record(Type.String(), Type.Array(Type.String()));
  app.get(
    '/console/guides/synonyms',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '办事指南检索同义词（本大厅修改过的，或随程序提供的）',
        response: replies({ 200: Type.Object({ synonyms: SynonymsSchema, edited: Type.Boolean() }), ...errors(401, 403) }),
      },
    },
    async () => {
      const local = store.current().synonyms;
      return { synonyms: Object.fromEntries(Object.entries(local ?? SEARCH_SYNONYMS).map(([k, v]) => [k, [...v]])), edited: local !== null };
    },
  );

  app.put(
    '/console/guides/synonyms',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '保存检索同义词（null：恢复随程序提供的）；终端检索立即使用',
        body: Type.Object({ synonyms: Type.Union([Type.Null(), Type.Unknown()]) }, { additionalProperties: false }),
        response: replies({
          200: Type.Object({
            ok: Type.Boolean(),
            problems: Type.Array(Type.Object({ word: Type.String(), message: Type.String() })),
            version: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        }),
      },
    },
    async (request) => {
      const who = user(request);
      const table = request.body.synonyms;
      if (table !== null) {
        const problems = checkSynonyms(table);
        if (problems.length) return { ok: false, problems, version: null };
      }
      const clean =
        table === null
          ? null
          : Object.fromEntries(Object.entries(table as Record<string, string[]>).map(([k, v]) => [k.trim(), [...new Set(v.map((t) => t.trim()))]]));
      const saved = store.save({ synonyms: clean }, { at: kiosk.clock(), user: who });
      if (!saved.ok) return { ok: false, problems: saved.problems.map((p) => ({ word: '', message: p.message })), version: null };
      request.auditDetails = { synonyms: clean === null ? 'reset' : Object.keys(clean).length, version: saved.local.version };
      return { ok: true, problems: [], version: saved.local.version };
    },
  );
};
