/**
 * Importing 办事指南 items from the console: a JSON list of items in the kiosk's own format, or a
 * table (CSV / XLSX, already read into rows) as a 政务服务网 item list exports it, with Chinese
 * column headers (事项名称, 事项编码, 办理时限, 申请材料 …). Every row is mapped, then checked by
 * the same loader as at boot (the `check` callback, kiosk/guides/local-guides.ts) together with
 * the rows accepted before it; a bad row is reported (row number, column, Chinese reason) and
 * skipped, the others are imported. No HTTP, no file system.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  CHANNELS,
  GuideItemSchema,
  QUEUE_SERVICES,
  type Category,
  type Channel,
  type GuideItemData,
  type HallLevel,
  type Material,
  type QueueService,
  type TimeLimit,
} from '../../config/guides/schema.ts';
import type { GuideProblem } from './load-guides.ts';

/** One line of the validation report. */
export interface ImportProblem {
  /** The row as the spreadsheet numbers it (the header is row 1), or the item's position in a JSON list. */
  readonly row: number;
  /** The column header (table) or the field's JSON path (JSON). */
  readonly field: string;
  /** Chinese. */
  readonly reason: string;
}

export interface ImportPlan {
  /** The rows that passed, in file order: new items and replacements of existing ones. */
  readonly items: readonly { readonly row: number; readonly item: GuideItemData; readonly replaces: boolean }[];
  readonly problems: readonly ImportProblem[];
  /** Rows read (data rows of a table, entries of a JSON list). */
  readonly rows: number;
  /** Headers of the table no field is mapped from (ignored). */
  readonly ignoredColumns: readonly string[];
}

export interface ImportContext {
  readonly categories: readonly Category[];
  readonly processTemplates: readonly string[];
  /** Ids of the items the kiosk has now (an imported item with one of them replaces it). */
  readonly existingIds: ReadonlySet<string>;
  /** Named in each item's `source` (e.g. the uploaded file's name). */
  readonly fileName: string;
  /** Mark the imported items as this region's own (本地事项) unless a 本地事项 column says otherwise. */
  readonly markLocal: boolean;
  /**
   * The boot's check of the hall's overlay with `items` laid over the shipped data ([] = it would
   * load). Called once per row with the rows accepted so far plus that row.
   */
  readonly check: (items: readonly GuideItemData[]) => readonly GuideProblem[];
}

type Field =
  | 'id'
  | 'name'
  | 'mainItemName'
  | 'code'
  | 'implementationCode'
  | 'itemType'
  | 'category'
  | 'audience'
  | 'audienceDetail'
  | 'legalBasis'
  | 'acceptanceConditions'
  | 'materials'
  | 'channels'
  | 'process'
  | 'timeLimit'
  | 'statutoryTimeLimit'
  | 'location'
  | 'hours'
  | 'consultPhone'
  | 'complaintPhone'
  | 'fee'
  | 'tips'
  | 'hallLevels'
  | 'queueService'
  | 'keywords'
  | 'region'
  | 'local';

/**
 * Column headers → fields. The first header of each entry is the one the console's template
 * uses; the others are the names 政务服务网 lists and the GB/T 39046 data set use for the same.
 */
export const COLUMN_MAP: readonly { readonly field: Field; readonly headers: readonly string[]; readonly required?: true }[] = [
  { field: 'name', headers: ['事项名称', '子项名称', '办理项名称', '事项名'], required: true },
  { field: 'code', headers: ['事项编码', '基本编码', '事项代码', '编码'], required: true },
  { field: 'category', headers: ['类别', '事项类别', '所属类别', '分类'], required: true },
  { field: 'audienceDetail', headers: ['服务对象', '办理对象'], required: true },
  { field: 'materials', headers: ['申请材料', '申办材料', '材料清单', '申请材料明细'], required: true },
  { field: 'timeLimit', headers: ['办理时限', '承诺办结时限', '承诺时限', '承诺办理时限'], required: true },
  { field: 'hallLevels', headers: ['办理层级', '行使层级', '层级'], required: true },
  { field: 'legalBasis', headers: ['设定依据', '法律依据', '实施依据'], required: true },
  { field: 'id', headers: ['事项标识', '标识'] },
  { field: 'mainItemName', headers: ['主项名称'] },
  { field: 'implementationCode', headers: ['实施编码', '事项实施编码'] },
  { field: 'itemType', headers: ['事项类型'] },
  { field: 'audience', headers: ['服务对象类型', '面向对象'] },
  { field: 'acceptanceConditions', headers: ['受理条件', '申请条件', '办理条件'] },
  { field: 'channels', headers: ['办理方式', '办理形式'] },
  { field: 'process', headers: ['办理流程'] },
  { field: 'statutoryTimeLimit', headers: ['法定办结时限', '法定时限'] },
  { field: 'location', headers: ['办理地点'] },
  { field: 'hours', headers: ['办理时间'] },
  { field: 'consultPhone', headers: ['咨询电话', '咨询方式'] },
  { field: 'complaintPhone', headers: ['监督投诉电话', '投诉电话', '监督投诉方式'] },
  { field: 'fee', headers: ['是否收费', '收费情况'] },
  { field: 'tips', headers: ['温馨提示', '备注'] },
  { field: 'queueService', headers: ['取号业务', '排队业务'] },
  { field: 'keywords', headers: ['关键词', '检索关键词', '同义词'] },
  { field: 'region', headers: ['地区', '适用地区', '行政区划'] },
  { field: 'local', headers: ['本地事项'] },
];

/** The column a field is reported under (its first header). */
const LABEL: Readonly<Record<Field, string>> = Object.fromEntries(COLUMN_MAP.map((c) => [c.field, c.headers[0]!])) as Record<Field, string>;

const norm = (h: string): string => h.replace(/[\s*＊:：]/g, '').replace(/（.*?）|\(.*?\)/g, '');

const QUEUE_LABELS: Readonly<Record<string, QueueService>> = {
  综合业务: 'general',
  参保登记: 'enrol',
  医疗费用报销: 'reimburse',
  费用报销: 'reimburse',
  异地就医: 'remote',
  单位业务: 'employer',
};

const CHANNEL_WORDS: readonly [RegExp, Channel][] = [
  [/窗口|现场|大厅/, '窗口'],
  [/网上|网办|电脑|网站|pc/i, '网上'],
  [/掌上|移动|手机|app|小程序/i, '掌上'],
  [/自助/, '自助'],
  [/邮寄|快递/, '邮寄'],
  [/医院/, '医院端'],
  [/联办/, '联办'],
];

const LEVEL_WORDS: readonly [RegExp, HallLevel][] = [
  [/^(设区)?市(级)?$|^地市(级)?$/, '市'],
  [/^县|^区县|^县级|^县（?市、?区）?$/, '县'],
  [/^乡镇|^街道|^乡/, '乡镇'],
  [/^村|^社区/, '村'],
];

class RowError extends Error {
  readonly field: string;
  constructor(field: string, reason: string) {
    super(reason);
    this.field = field;
  }
}

/** '①…；②…' / lines / '1. …' → the parts, numbering removed. */
export function splitList(text: string): string[] {
  return text
    .split(/\r?\n|[；;]|(?=[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮])/u)
    .map((s) =>
      s
        .trim()
        .replace(/^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]\s*/u, '')
        .replace(/^(\d{1,2}[.、．)]|[（(]\d{1,2}[)）])\s*/u, '')
        .replace(/[。，,]$/u, '')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

/** 即时办理 / 即办 / 10个工作日 / 10个工作日，特殊情况不超过20个工作日. */
export function parseTimeLimit(text: string, field: string): TimeLimit {
  const t = text.replace(/\s/g, '');
  if (/^(即时|即办|当场|立即|当日)/.test(t)) return { unit: '即办' };
  const days = /(\d{1,3})个?工作日/.exec(t);
  if (!days) throw new RowError(field, `“${text}”无法识别，应为“即时办理”或“N个工作日”（可加“特殊情况不超过M个工作日”）`);
  const value = Number(days[1]);
  if (value < 1 || value > 365) throw new RowError(field, `工作日数应在 1 到 365 之间（现为 ${value}）`);
  const special = /(特殊情况|最长|延长|不超过|≤)[^\d]*(\d{1,3})/.exec(t.slice(days.index + days[0].length));
  const max = special ? Number(special[2]) : undefined;
  if (max !== undefined && max < value) throw new RowError(field, `特殊情况的时限（${max}个工作日）不能少于承诺时限（${value}个工作日）`);
  return max !== undefined ? { unit: '工作日', value, specialCaseMax: max } : { unit: '工作日', value };
}

function parseLevels(text: string, field: string): GuideItemData['hallLevels'] {
  const parts = text.split(/[、,，/;；\s]+/u).filter(Boolean);
  const out: HallLevel[] = [];
  for (const p of parts) {
    if (/^省/.test(p)) continue; // a kiosk stands in a city, county, township or village hall
    if (/^[–\-—✔✓√]$/.test(p)) continue;
    const level = LEVEL_WORDS.find(([re]) => re.test(p))?.[1];
    if (!level) throw new RowError(field, `“${p}”不是可识别的办理层级，应为 市、县、乡镇 或 村`);
    if (!out.includes(level)) out.push(level);
  }
  if (out.length === 0) throw new RowError(field, '至少要有一个大厅层级（市、县、乡镇 或 村）');
  return out.map((level) => ({ level }));
}

function parseChannels(text: string, field: string): Channel[] {
  const out: Channel[] = [];
  for (const p of text.split(/[、,，/;；\s]+/u).filter(Boolean)) {
    const channel = CHANNEL_WORDS.find(([re]) => re.test(p))?.[1];
    if (!channel) throw new RowError(field, `“${p}”不是可识别的办理方式，应为 ${CHANNELS.join('、')}`);
    if (!out.includes(channel)) out.push(channel);
  }
  return out;
}

function parseYesNo(text: string, field: string): boolean {
  if (/^(是|有|收费|y|yes|true|1)/i.test(text.trim())) return true;
  if (/^(否|无|不|n|no|false|0)/i.test(text.trim())) return false;
  throw new RowError(field, `“${text}”应为“是”或“否”`);
}

function parseMaterials(text: string): Material[] {
  const used = new Set<string>();
  return splitList(text).map((name, i) => {
    const optional = /^(特殊情况|如有|另需|选填)|（(如有|特殊情况|选填)[^）]*）/.test(name);
    // The credential every 医保 item asks for keeps the id the checklist and statistics use.
    let id = /医保电子凭证|身份证|社会保障卡|社保卡/.test(name) && !used.has('credential') ? 'credential' : `m${i + 1}`;
    if (used.has(id)) id = `m${i + 1}-${used.size}`;
    used.add(id);
    return { id, name, originals: 1, copies: 0, required: !optional, deferrable: false };
  });
}

function audienceOf(text: string, detail: string): GuideItemData['audience'] {
  const source = text || detail;
  const out: ('个人' | '单位')[] = [];
  if (/个人|自然人|人员|居民|职工|参保人|患者|对象|群众/.test(source)) out.push('个人');
  if (/单位|法人|企业|机构|药店|组织/.test(source)) out.push('单位');
  return out.length ? out : ['个人'];
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');

/** The kiosk's item from one table row (cells by field); throws RowError for the first bad cell. */
function rowToItem(cells: Partial<Record<Field, string>>, row: number, ctx: ImportContext): GuideItemData {
  const get = (f: Field): string => (cells[f] ?? '').trim();
  const need = (f: Field): string => {
    const v = get(f);
    if (!v) throw new RowError(LABEL[f], '不能为空');
    return v;
  };
  const name = need('name');
  const code = need('code');
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/.test(code)) throw new RowError(LABEL.code, `“${code}”不是有效的事项编码（2–40 位字母、数字或连字符）`);
  const codeIsPlaceholder = /^PH-/i.test(code);
  const categoryText = need('category');
  const category = ctx.categories.find((c) => c.id === categoryText || c.name === categoryText);
  if (!category) throw new RowError(LABEL.category, `“${categoryText}”不是已有的类别，应为 ${ctx.categories.map((c) => c.name).join('、')} 之一`);
  const id = get('id') || `item-${slug(code)}`;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || id.length < 2 || id.length > 64) {
    throw new RowError(LABEL.id, `“${id}”不是有效的事项标识（小写字母、数字和连字符，2–64 位）`);
  }
  const audienceDetail = need('audienceDetail');
  const materials = parseMaterials(need('materials'));
  if (materials.length === 0) throw new RowError(LABEL.materials, '至少要有一项申请材料');
  const timeLimit = parseTimeLimit(need('timeLimit'), LABEL.timeLimit);
  const statutory = get('statutoryTimeLimit') ? parseTimeLimit(get('statutoryTimeLimit'), LABEL.statutoryTimeLimit) : undefined;
  const hallLevels = parseLevels(need('hallLevels'), LABEL.hallLevels);
  const legalBasis = splitList(need('legalBasis'));
  const channels = get('channels') ? parseChannels(get('channels'), LABEL.channels) : (['窗口'] as Channel[]);
  const steps = get('process') ? splitList(get('process')) : [];
  const queueText = get('queueService');
  const queueService: QueueService | undefined = queueText ? (QUEUE_LABELS[queueText] ?? QUEUE_SERVICES.find((q) => q === queueText)) : 'general';
  if (!queueService) throw new RowError(LABEL.queueService, `“${queueText}”不是可识别的取号业务，应为 ${Object.keys(QUEUE_LABELS).join('、')}`);
  const feeText = get('fee');
  const charged = feeText ? parseYesNo(feeText, LABEL.fee) : false;
  const local = get('local') ? parseYesNo(get('local'), LABEL.local) : ctx.markLocal;
  const implementation = get('implementationCode');
  const template = timeLimit.unit === '即办' ? 'standard-instant' : 'review-payment';
  const optional = <K extends Field>(f: K, key: keyof GuideItemData) => (get(f) ? { [key]: get(f) } : {});
  const keywords = [
    ...new Set(
      get('keywords')
        .split(/[、,，;；\s]+/u)
        .filter(Boolean),
    ),
  ];

  return {
    id,
    name,
    ...optional('mainItemName', 'mainItemName'),
    code,
    codeIsPlaceholder,
    ...(implementation ? { otherCodes: [{ scheme: '实施编码', value: implementation }] } : {}),
    ...optional('itemType', 'itemType'),
    category: category.id,
    audience: audienceOf(get('audience'), audienceDetail),
    audienceDetail,
    legalBasis,
    acceptanceConditions: get('acceptanceConditions') ? splitList(get('acceptanceConditions')) : [audienceDetail],
    materials,
    channels,
    ...(steps.length
      ? { process: steps }
      : ctx.processTemplates.includes(template)
        ? { processTemplate: template }
        : { process: ['到窗口提交申请材料', '工作人员受理审核', '办结'] }),
    timeLimit,
    ...(statutory ? { statutoryTimeLimit: statutory } : {}),
    ...optional('location', 'location'),
    ...optional('hours', 'hours'),
    ...optional('consultPhone', 'consultPhone'),
    ...optional('complaintPhone', 'complaintPhone'),
    fee: charged ? { charged: true, basis: feeText.replace(/^(是|收费)[，,：:\s]*/, '') || '按规定收费' } : { charged: false },
    tips: get('tips') ? splitList(get('tips')) : [],
    hallLevels,
    queueService,
    keywords,
    popularity: 50,
    region: get('region') || `本大厅导入（${ctx.fileName}）`,
    ...(local ? { local: true } : {}),
    source: [{ ref: `维护台导入：${ctx.fileName} 第 ${row} 行`, itemName: name }],
  };
}

const checkItem = TypeCompiler.Compile(GuideItemSchema);

/** TypeBox's English messages, in Chinese. */
function chineseSchemaMessage(message: string): string {
  if (/Expected required property/.test(message)) return '缺少这一项';
  if (/Unexpected property/.test(message)) return '不是办事指南的字段';
  if (/string length greater or equal to 1/.test(message)) return '不能为空';
  if (/string length/.test(message)) return '长度不符合要求';
  if (/Expected string to match/.test(message)) return '格式不正确';
  if (/Expected string/.test(message)) return '应为文字';
  if (/Expected integer/.test(message)) return '应为整数';
  if (/Expected number|Expected integer/.test(message)) return '应为数字';
  if (/Expected boolean/.test(message)) return '应为 true 或 false';
  if (/Expected array length/.test(message)) return '至少要有一项';
  if (/Expected array/.test(message)) return '应为列表';
  if (/Expected object/.test(message)) return '应为对象';
  if (/Expected union|Expected kind/.test(message)) return '取值不在允许的范围内';
  if (/greater or equal|less or equal/.test(message)) return '数值超出允许范围';
  if (/unique/.test(message)) return '有重复的值';
  return `不符合要求（${message}）`;
}

/** The loader's English cross-check messages, in Chinese. */
function chineseLoaderMessage(message: string): string {
  const m = message.replace(/ \(item "[^"]*"\)$/, '');
  let x: RegExpExecArray | null;
  if ((x = /^duplicate code "([^"]+)"/.exec(m))) return `事项编码“${x[1]}”已被其他事项使用`;
  if (/^duplicate item id/.test(m)) return '事项标识已被其他事项使用';
  if ((x = /^unknown category "([^"]+)"/.exec(m))) return `类别“${x[1]}”不存在`;
  if ((x = /^unknown process template "([^"]+)"/.exec(m))) return `办理流程模板“${x[1]}”不存在`;
  if (/placeholder codes must start with "PH-"/.test(m)) return '占位编码必须以 PH- 开头';
  if (/specialCaseMax is smaller than value/.test(m)) return '特殊情况的时限不能少于承诺时限';
  if (/duplicate material id/.test(m)) return '申请材料有重复的标识';
  if (/originals and copies are both 0/.test(m)) return '原件和复印件份数不能都为 0';
  if (/process steps or processTemplate is required/.test(m)) return '缺少办理流程';
  if (/either process or processTemplate/.test(m)) return '办理流程与流程模板只能给一个';
  if (/duplicate hall level/.test(m)) return '办理层级有重复';
  return chineseSchemaMessage(m);
}

const FIELD_OF_PATH: readonly [RegExp, Field][] = [
  [/^\/code/, 'code'],
  [/^\/id/, 'id'],
  [/^\/category/, 'category'],
  [/^\/process/, 'process'],
  [/^\/materials/, 'materials'],
  [/^\/(statutoryTimeLimit)/, 'statutoryTimeLimit'],
  [/^\/timeLimit/, 'timeLimit'],
  [/^\/hallLevels/, 'hallLevels'],
  [/^\/name/, 'name'],
];

/** `/items/3/materials/1/name` → `/materials/1/name` (the path inside the item). */
const innerPath = (path: string): string => path.replace(/^\/(items\/)?\d+/, '');

/** Checks one candidate with the rows accepted before it; problems in report form. */
function checkCandidate(item: GuideItemData, accepted: readonly GuideItemData[], row: number, ctx: ImportContext, table: boolean): ImportProblem[] {
  const schema = [...checkItem.Errors(item)];
  const fieldOf = (path: string): string => {
    if (!table) return path || '（整项）';
    const f = FIELD_OF_PATH.find(([re]) => re.test(path))?.[1];
    return f ? LABEL[f] : path;
  };
  if (schema.length) {
    const seen = new Set<string>();
    return schema
      .map((e) => ({ row, field: fieldOf(e.path), reason: chineseSchemaMessage(e.message) }))
      .filter((p) => (seen.has(p.field + p.reason) ? false : (seen.add(p.field + p.reason), true)));
  }
  const problems = ctx
    .check([...accepted.filter((a) => a.id !== item.id), item])
    .filter((p) => p.message.includes(`(item "${item.id}")`) || !/\(item "/.test(p.message));
  return problems.map((p) => ({ row, field: fieldOf(innerPath(p.path)), reason: chineseLoaderMessage(p.message) }));
}

function plan(
  candidates: readonly { row: number; item: GuideItemData | ImportProblem }[],
  rows: number,
  ignored: string[],
  ctx: ImportContext,
  table: boolean,
): ImportPlan {
  const problems: ImportProblem[] = [];
  const items: { row: number; item: GuideItemData; replaces: boolean }[] = [];
  const ids = new Set<string>();
  for (const c of candidates) {
    if ('reason' in c.item) {
      problems.push(c.item);
      continue;
    }
    const item = c.item;
    if (ids.has(item.id)) {
      problems.push({ row: c.row, field: table ? (LABEL.id ?? 'id') : '/id', reason: `事项标识“${item.id}”在文件中重复出现` });
      continue;
    }
    const found = checkCandidate(
      item,
      items.map((i) => i.item),
      c.row,
      ctx,
      table,
    );
    if (found.length) {
      problems.push(...found);
      continue;
    }
    ids.add(item.id);
    items.push({ row: c.row, item, replaces: ctx.existingIds.has(item.id) });
  }
  return { items, problems, rows, ignoredColumns: ignored };
}

/**
 * A table's rows (first row with a 事项名称 column is the header; spreadsheet row numbers) → the
 * import plan.
 */
export function planTableImport(table: readonly (readonly string[])[], ctx: ImportContext): ImportPlan {
  const headerIndex = table.slice(0, 10).findIndex((r) => r.some((h) => COLUMN_MAP[0]!.headers.includes(norm(h))));
  if (headerIndex < 0) {
    return {
      items: [],
      problems: [
        { row: 1, field: '表头', reason: '找不到表头：表格中应有“事项名称”列（以及事项编码、类别、服务对象、申请材料、办理时限、办理层级、设定依据）' },
      ],
      rows: 0,
      ignoredColumns: [],
    };
  }
  const header = table[headerIndex]!.map(norm);
  const columnOf = new Map<Field, number>();
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const hit = COLUMN_MAP.find((c) => c.headers.includes(h));
    if (hit && !columnOf.has(hit.field)) columnOf.set(hit.field, i);
    else if (h && !hit) ignored.push(table[headerIndex]![i]!.trim());
  });
  const missing = COLUMN_MAP.filter((c) => c.required && !columnOf.has(c.field));
  if (missing.length) {
    return {
      items: [],
      problems: missing.map((c) => ({
        row: headerIndex + 1,
        field: c.headers[0]!,
        reason: `缺少“${c.headers[0]}”列（也可写作 ${c.headers.slice(1).join('、')}）`,
      })),
      rows: 0,
      ignoredColumns: ignored,
    };
  }
  const candidates: { row: number; item: GuideItemData | ImportProblem }[] = [];
  let rows = 0;
  table.slice(headerIndex + 1).forEach((cellsRow, i) => {
    const row = headerIndex + 2 + i;
    if (cellsRow.every((c) => !String(c ?? '').trim())) return; // empty line
    rows++;
    const cells: Partial<Record<Field, string>> = {};
    for (const [field, col] of columnOf) cells[field] = String(cellsRow[col] ?? '');
    try {
      candidates.push({ row, item: rowToItem(cells, row, ctx) });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      candidates.push({ row, item: { row, field: err.field, reason: err.message } });
    }
  });
  return plan(candidates, rows, ignored, ctx, true);
}

/** A JSON list of items in the kiosk's format (config/guides/schema.ts), or `{ "items": [...] }`. */
export function planJsonImport(value: unknown, ctx: ImportContext): ImportPlan {
  const list = Array.isArray(value) ? value : (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(list))
    return {
      items: [],
      problems: [{ row: 0, field: '（整个文件）', reason: '应为办事指南事项的 JSON 列表，或 {"items": [...]}' }],
      rows: 0,
      ignoredColumns: [],
    };
  const candidates = list.map((entry, i) => {
    const row = i + 1;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { row, item: { row, field: '（整项）', reason: '应为对象' } };
    const item = ctx.markLocal && (entry as { local?: unknown }).local === undefined ? { ...(entry as GuideItemData), local: true } : (entry as GuideItemData);
    return { row, item };
  });
  return plan(candidates, list.length, [], ctx, false);
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM) → rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
