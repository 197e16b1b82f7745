/**
 * TypeBox schema of the 办事指南 (service guide) data in config/guides/.
 * Field names are English; the Chinese field each one carries (GB/T 39046-2020
 * Table 4 and the 绵阳 annex-1 columns) is noted next to it. See README.md.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

const NonEmpty = Type.String({ minLength: 1 });
const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 2, maxLength: 64 });

/** Hall levels a kiosk can stand in, from highest to lowest (永州 annex: 市级/县级/乡镇（街道）/村（社区）). */
export const HALL_LEVELS = ['市', '县', '乡镇', '村'] as const;
export type HallLevel = (typeof HALL_LEVELS)[number];
export const HallLevelSchema = Type.Union(HALL_LEVELS.map((l) => Type.Literal(l)));

/** 服务对象 as the kiosk groups it. */
export const AUDIENCES = ['个人', '单位'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const AudienceSchema = Type.Union(AUDIENCES.map((a) => Type.Literal(a)));

/** 办理方式 (channels). */
export const CHANNELS = ['窗口', '网上', '掌上', '自助', '邮寄', '医院端', '联办'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = Type.Union(CHANNELS.map((c) => Type.Literal(c)));

/** Queue service codes used for 取号. */
export const QUEUE_SERVICES = ['general', 'enrol', 'reimburse', 'remote', 'employer'] as const;
export type QueueService = (typeof QUEUE_SERVICES)[number];
export const QueueServiceSchema = Type.Union(QUEUE_SERVICES.map((q) => Type.Literal(q)));

/** One 申办材料 entry. */
export const MaterialSchema = Type.Object(
  {
    /** Stable id, unique within the item; the kiosk's checklist refers to it. */
    id: Slug,
    /** 材料名称 */
    name: NonEmpty,
    /** 原件份数 */
    originals: Type.Integer({ minimum: 0 }),
    /** 复印件份数 */
    copies: Type.Integer({ minimum: 0 }),
    /** 是否必备材料 */
    required: Type.Boolean(),
    /** 容缺受理: may be handed in later under a signed 容缺受理告知承诺书 */
    deferrable: Type.Boolean(),
    /** 材料说明 / 备注 */
    notes: Type.Optional(Type.String()),
    /** 实现政务数据共享的可不提供 */
    sharedDataMayReplace: Type.Optional(Type.Boolean()),
    /**
     * Required materials that share a group are alternatives: any one of them
     * satisfies the requirement (e.g. the unit's form OR the individual's ID).
     */
    alternativeGroup: Type.Optional(Slug),
  },
  { additionalProperties: false },
);
export type Material = Static<typeof MaterialSchema>;

/** 办理时限: either 即办 or N working days (optionally a longer cap for special cases). */
export const TimeLimitSchema = Type.Union(
  [
    Type.Object({ unit: Type.Literal('即办'), note: Type.Optional(Type.String()) }, { additionalProperties: false }),
    Type.Object(
      {
        unit: Type.Literal('工作日'),
        value: Type.Integer({ minimum: 1, maximum: 365 }),
        /** 特殊情况不超过 N 个工作日 */
        specialCaseMax: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
        note: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'expected {"unit":"即办"} or {"unit":"工作日","value":N,"specialCaseMax"?:M}' },
);
export type TimeLimit = Static<typeof TimeLimitSchema>;

export const HallLevelEntrySchema = Type.Object(
  {
    level: HallLevelSchema,
    /** Restriction at that level, e.g. 仅开放基本信息查询. */
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type HallLevelEntry = Static<typeof HallLevelEntrySchema>;

export const SourceRefSchema = Type.Object(
  {
    /** Which seed/reference section, e.g. 'seeds/003 附件 #10' or 'reference/guide-items.md #13 (S20)'. */
    ref: NonEmpty,
    /** The item's name as written in that source. */
    itemName: NonEmpty,
    /** Which fields this source supplied (free text list, e.g. ["code", "hallLevels"]). */
    fields: Type.Optional(Type.Array(Type.String())),
    url: Type.Optional(Type.String()),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type SourceRef = Static<typeof SourceRefSchema>;

export const OtherCodeSchema = Type.Object(
  {
    scheme: NonEmpty,
    value: NonEmpty,
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const GuideItemSchema = Type.Object(
  {
    /** Stable id used by URLs, the queue mapping and statistics. */
    id: Slug,
    /** 事项名称 (子项名称) */
    name: NonEmpty,
    /** 主项名称 */
    mainItemName: Type.Optional(NonEmpty),
    /** 编码: 基本编码 as a source gives it, else a placeholder with codeIsPlaceholder = true. */
    code: NonEmpty,
    codeIsPlaceholder: Type.Boolean(),
    /** Where the code comes from, e.g. '永州市 基本编码 (seeds/003)'. */
    codeScheme: Type.Optional(Type.String()),
    /** Further real codes, e.g. 衡水 实施编码. */
    otherCodes: Type.Optional(Type.Array(OtherCodeSchema)),
    /** 事项类型 (公共服务, 行政确认, 行政给付…) */
    itemType: Type.Optional(Type.String()),
    /** 类别: id of an entry in categories.json */
    category: Slug,
    /** 服务对象 grouping */
    audience: Type.Array(AudienceSchema, { minItems: 1, uniqueItems: true }),
    /** 服务对象 as the guide words it */
    audienceDetail: NonEmpty,
    /** 设定依据 */
    legalBasis: Type.Array(NonEmpty, { minItems: 1 }),
    /** 受理条件 */
    acceptanceConditions: Type.Array(NonEmpty, { minItems: 1 }),
    /** 申办材料 */
    materials: Type.Array(MaterialSchema, { minItems: 1 }),
    /** Remarks that belong to the material list as a whole (special cases). */
    materialNotes: Type.Optional(Type.Array(NonEmpty)),
    /** 办理方式 */
    channels: Type.Array(ChannelSchema, { minItems: 1, uniqueItems: true }),
    /** 办理流程: explicit steps, or the name of a template in process-templates.json */
    process: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })),
    processTemplate: Type.Optional(Slug),
    /** 承诺办结时限 */
    timeLimit: TimeLimitSchema,
    /** 法定办结时限, where a source states one */
    statutoryTimeLimit: Type.Optional(TimeLimitSchema),
    /** 办理地点 / 办理时间 / 咨询电话 / 监督投诉电话: omit to use the hall's defaults */
    location: Type.Optional(NonEmpty),
    hours: Type.Optional(NonEmpty),
    consultPhone: Type.Optional(NonEmpty),
    complaintPhone: Type.Optional(NonEmpty),
    /** 是否收费 (+ 收费依据) */
    fee: Type.Object({ charged: Type.Boolean(), basis: Type.Optional(Type.String()) }, { additionalProperties: false }),
    /** 温馨提示 */
    tips: Type.Array(NonEmpty),
    /** 办理层级: the hall levels that may handle the item */
    hallLevels: Type.Array(HallLevelEntrySchema, { minItems: 1 }),
    /** Queue service for 取号 */
    queueService: QueueServiceSchema,
    /** Search keywords and synonyms (Chinese); pinyin is computed at load. */
    keywords: Type.Array(NonEmpty),
    /** Extra pinyin spellings users type, e.g. 'yibao'. Optional. */
    pinyinKeywords: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]+$' }))),
    /** Relative popularity 0–100 (used to rank ties and suggest popular items). */
    popularity: Type.Integer({ minimum: 0, maximum: 100 }),
    /** What the kiosk itself can do for it: 查询, 打印, 备案… (empty = guide and ticket only). */
    kioskActions: Type.Optional(Type.Array(NonEmpty)),
    /** The kiosk screen that does it (shown as a button on the guide page when the function is on). */
    kioskFlow: Type.Optional(Type.Union([Type.Literal('certificate'), Type.Literal('insurance-info')])),
    /** Province the wording follows ('JS' = 江苏, 'HN-YZ' = 湖南永州 …) */
    province: Type.Optional(Type.String()),
    /**
     * 内容来源地区: which region's guide and codes the item follows, in Chinese, shown on the
     * kiosk (the shipped items are samples from other regions and say so).
     */
    region: Type.Optional(NonEmpty),
    /** 本地事项: checked for this hall's region (set in the console); the kiosk then shows no sample note. */
    local: Type.Optional(Type.Boolean()),
    verifiedAt: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    source: Type.Array(SourceRefSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type GuideItemData = Static<typeof GuideItemSchema>;

/** A file in config/guides/items/: an array of items. */
export const GuideItemFileSchema = Type.Array(GuideItemSchema);

export const CategorySchema = Type.Object(
  {
    id: Slug,
    name: NonEmpty,
    description: Type.Optional(Type.String()),
    /** Display order, ascending */
    order: Type.Integer(),
  },
  { additionalProperties: false },
);
export type Category = Static<typeof CategorySchema>;
export const CategoryFileSchema = Type.Array(CategorySchema, { minItems: 1 });

export const ProcessTemplateSchema = Type.Object(
  {
    id: Slug,
    description: Type.Optional(Type.String()),
    steps: Type.Array(NonEmpty, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ProcessTemplate = Static<typeof ProcessTemplateSchema>;
export const ProcessTemplateFileSchema = Type.Array(ProcessTemplateSchema);

/** The names of the files the loader expects inside the guides directory. */
export const GUIDE_FILES = {
  categories: 'categories.json',
  processTemplates: 'process-templates.json',
  itemsDir: 'items',
} as const;
