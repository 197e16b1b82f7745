/**
 * Generic rendering of 办事指南 fields: whatever the API returns is shown as label → value, with
 * Chinese labels for the known fields (GB/T 39046 Table 4 wording) and internal metadata hidden.
 */

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: '事项名称',
  mainItemName: '主项名称',
  code: '事项编码',
  itemType: '事项类型',
  category: '事项分类',
  audience: '服务对象',
  object: '服务对象',
  audienceDetail: '服务对象说明',
  acceptanceConditions: '受理条件',
  legalBasis: '设定依据',
  materialNotes: '材料说明',
  channels: '办理方式',
  process: '办理流程',
  timeLimit: '承诺办结时限',
  statutoryTimeLimit: '法定办结时限',
  location: '办理地点',
  hours: '办理时间',
  consultPhone: '咨询电话',
  complaintPhone: '监督投诉电话',
  fee: '是否收费',
  tips: '温馨提示',
  hallLevels: '办理层级',
  kioskActions: '本机可办',
  source: '信息来源',
};

/** Fields shown elsewhere on the page or meaningless to citizens. */
export const HIDDEN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'materials',
  'codeIsPlaceholder',
  'codeScheme',
  'otherCodes',
  'keywords',
  'pinyinKeywords',
  'popularity',
  'province',
  'verifiedAt',
  'queueService',
  'serviceCode',
  'processTemplate',
  'availability',
  'promisedDate',
  'availableHere',
  'fields',
  'promisedNote',
]);

/** Order of the well-known fields; others follow in the order the API sends them. */
const ORDER = Object.keys(FIELD_LABELS);

export interface FieldRow {
  key: string;
  label: string;
  value: string | string[];
}

function hasChinese(s: string): boolean {
  return /[\u4e00-\u9fff]/.test(s);
}

/** Any JSON value as Chinese display text (lists become arrays of lines). */
export function formatValue(value: unknown): string {
  if (value == null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(formatValue).join('、');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // 办结时限 {unit:'工作日'|'即办', value, specialCaseMax?}
    if ('unit' in o && ('value' in o || o.unit === '即办')) {
      if (o.unit === '即办') return '即时办结';
      const base = `${String(o.value)}个${String(o.unit)}`;
      return typeof o.specialCaseMax === 'number' ? `${base}（特殊情况不超过${o.specialCaseMax}个${String(o.unit)}）` : base;
    }
    // 收费 {charged, basis?}
    if ('charged' in o) return o.charged ? `收费${o.basis ? `（${String(o.basis)}）` : ''}` : '不收费';
    if (typeof o.text === 'string') return o.text;
    if (typeof o.title === 'string') return o.title;
    if (typeof o.name === 'string') return o.name;
    // Unknown object: its Chinese-bearing values, without English keys.
    const parts = Object.values(o)
      .filter((v) => v != null && typeof v !== 'boolean')
      .map(formatValue)
      .filter((s) => s && s !== '—');
    const chinese = parts.filter(hasChinese);
    return (chinese.length ? chinese : parts).join('，');
  }
  return String(value);
}

export function fieldRows(item: Record<string, unknown>, categoryName?: (id: string) => string | undefined): FieldRow[] {
  const keys = Object.keys(item).filter((k) => !HIDDEN_FIELDS.has(k));
  keys.sort((a, b) => rank(a) - rank(b));
  const rows: FieldRow[] = [];
  for (const key of keys) {
    const raw = item[key];
    if (raw == null || (Array.isArray(raw) && raw.length === 0) || raw === '') continue;
    const label = FIELD_LABELS[key] ?? '其他信息';
    let value: string | string[];
    if (key === 'category' && typeof raw === 'string') value = categoryName?.(raw) ?? raw;
    else if (Array.isArray(raw) && raw.length > 1 && raw.some((v) => typeof v !== 'string' || v.length > 12)) value = raw.map(formatValue);
    else value = formatValue(raw);
    rows.push({ key, label, value });
  }
  return rows;
}

function rank(key: string): number {
  const i = ORDER.indexOf(key);
  return i === -1 ? ORDER.length : i;
}
