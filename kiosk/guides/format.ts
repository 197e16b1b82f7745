/** Chinese wording of guide fields for screens and printouts. */
import type { TimeLimit } from '../../config/guides/schema.ts';
import type { GuideItem } from './load-guides.ts';
import type { Channel, Material } from '../../config/guides/schema.ts';

/** '即时办结' or '10个工作日（特殊情况不超过20个工作日）'. */
export function formatTimeLimit(limit: TimeLimit): string {
  if (limit.unit === '即办') return '即时办结';
  const base = `${limit.value}个工作日`;
  return limit.specialCaseMax !== undefined && limit.specialCaseMax > limit.value ? `${base}（特殊情况不超过${limit.specialCaseMax}个工作日）` : base;
}

/** '原件1份，复印件1份' (parts with 0 are left out). */
export function formatCopies(m: Material): string {
  const parts: string[] = [];
  if (m.originals > 0) parts.push(`原件${m.originals}份`);
  if (m.copies > 0) parts.push(`复印件${m.copies}份`);
  return parts.join('，');
}

export function formatMaterial(m: Material): string {
  const copies = formatCopies(m);
  return `${m.name}${copies ? `（${copies}）` : ''}${m.notes ? `；${m.notes}` : ''}`;
}

const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  窗口: '窗口办理',
  网上: '网上办理',
  掌上: '掌上办理',
  自助: '自助终端办理',
  邮寄: '邮寄材料',
  医院端: '定点医院办理',
  联办: '部门联办',
};

export function formatChannels(item: GuideItem): string {
  return item.channels.map((c) => CHANNEL_LABELS[c]).join('、');
}

export function formatFee(item: GuideItem): string {
  return item.fee.charged ? `收费${item.fee.basis ? `（${item.fee.basis}）` : ''}` : '不收费';
}
