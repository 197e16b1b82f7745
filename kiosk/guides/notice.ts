/**
 * The 一次性告知单 as plain data. The printer layer renders it; nothing here knows
 * about paper width or ESC/POS. No personal information goes on the notice.
 */
import type { HallLevel } from '../../config/guides/schema.ts';
import { formatDateZh } from '../calendar/dates.ts';
import type { IsoDate } from '../calendar/dates.ts';
import { CalendarCoverageError } from '../calendar/working-day-calendar.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { availability } from './availability.ts';
import type { ChecklistResult, MissingRequirement } from './checklist.ts';
import { promisedCompletionDate } from './completion.ts';
import { formatChannels, formatFee, formatMaterial, formatTimeLimit } from './format.ts';
import type { GuideItem } from './load-guides.ts';

/** Hall defaults used where the item does not set its own values. */
export interface NoticeHall {
  readonly name: string;
  readonly level: HallLevel;
  readonly address?: string;
  readonly hours?: string;
  readonly consultPhone?: string;
  readonly complaintPhone?: string;
}

export interface NoticeSection {
  readonly heading: string;
  readonly lines: readonly string[];
}

export interface NoticeDocument {
  readonly title: string;
  readonly sections: readonly NoticeSection[];
  readonly footer: readonly string[];
}

export interface NoticeOptions {
  /** When given, the promised completion date is printed for an application accepted today. */
  readonly calendar?: WorkingDayCalendar;
}

const PROXY_RULE = '委托他人办理的，请携带委托人和代理人的有效身份证件原件及授权委托书。';

function requirementLines(reqs: readonly MissingRequirement[]): string[] {
  return reqs.map((r, i) => {
    const text = r.materials.length === 1 ? formatMaterial(r.materials[0]!) : `以下材料任选其一：${r.materials.map(formatMaterial).join('；或 ')}`;
    return `${i + 1}. ${text}`;
  });
}

function conclusion(result: ChecklistResult): string[] {
  switch (result.outcome) {
    case 'accept-with-commitment':
      // Only materials a commitment replaces (and perhaps 容缺 ones) are missing.
      return [
        '签署个人承诺书后可以受理（承诺制）。',
        '下列“可签署承诺书代替的材料”，没有的可在窗口签署个人承诺书代替。',
        ...(result.deferrable.length ? ['“可容缺后补的材料”请在承诺时限内补齐。'] : []),
      ];
    case 'complete':
      return ['您的申办材料已齐全，符合受理条件，可以受理。'];
    case 'accept-with-deferral':
      return ['主要材料已齐全，可以先行“容缺受理”。', '请签署《容缺受理告知承诺书》，并在承诺时限内补齐下列“可容缺后补的材料”；逾期未补齐的，将按退件处理。'];
    case 'cannot-accept':
      return ['申办材料尚不齐全，暂不能受理。请补齐下列“必须补齐的材料”后再来办理。'];
  }
}

function completionLines(item: GuideItem, today: IsoDate, calendar: WorkingDayCalendar): string[] {
  try {
    const p = promisedCompletionDate(item, today, calendar);
    if (p.immediate) return ['如今日受理，当场办结。'];
    const lines = [`如今日受理，承诺于${formatDateZh(p.date)}前办结（${p.workingDays}个工作日，自受理次日起计算）。`];
    if (p.specialCaseLatest) lines.push(`特殊情况最迟于${formatDateZh(p.specialCaseLatest)}前办结。`);
    return lines;
  } catch (err) {
    if (err instanceof CalendarCoverageError) return ['办结日期以受理时工作人员告知为准。'];
    throw err;
  }
}

export function buildNoticeDocument(item: GuideItem, result: ChecklistResult, hall: NoticeHall, today: IsoDate, options: NoticeOptions = {}): NoticeDocument {
  if (result.itemId !== item.id) {
    throw new Error(`checklist result is for "${result.itemId}", not "${item.id}"`);
  }
  const sections: NoticeSection[] = [];
  sections.push({
    heading: '办理事项',
    lines: [
      `事项名称：${item.name}`,
      ...(item.codeIsPlaceholder ? [] : [`事项编码：${item.code}`]),
      `服务对象：${item.audienceDetail}`,
      `办理时限：${formatTimeLimit(item.timeLimit)}`,
      `是否收费：${formatFee(item)}`,
    ],
  });
  const { byCommitment, blocking } = result;
  sections.push({ heading: '材料审核结果', lines: conclusion(result) });
  if (blocking.length > 0) {
    sections.push({ heading: '必须补齐的材料', lines: requirementLines(blocking) });
  }
  if (byCommitment.length > 0) {
    sections.push({ heading: '可签署承诺书代替的材料', lines: requirementLines(byCommitment) });
  }
  if (result.deferrable.length > 0) {
    sections.push({ heading: '可容缺后补的材料', lines: requirementLines(result.deferrable) });
  }
  if (result.provided.length > 0) {
    sections.push({ heading: '已备齐的材料', lines: result.provided.map((m, i) => `${i + 1}. ${m.name}`) });
  }
  const conditionalLines = [...result.conditional.map((m, i) => `${i + 1}. ${formatMaterial(m)}`), ...(item.materialNotes ?? [])];
  if (conditionalLines.length > 0) sections.push({ heading: '特殊情况另需提供', lines: conditionalLines });

  const avail = availability(item, hall.level);
  const placeLines: string[] = [];
  if (!avail.handledHere) placeLines.push(avail.message);
  else if (avail.restriction) placeLines.push(`本大厅办理范围：${avail.restriction}`);
  const address = item.location ?? (avail.handledHere ? hall.address : undefined);
  const hours = item.hours ?? (avail.handledHere ? hall.hours : undefined);
  if (address) placeLines.push(`办理地点：${address}`);
  if (hours) placeLines.push(`办理时间：${hours}`);
  placeLines.push(`办理方式：${formatChannels(item)}`);
  sections.push({ heading: '办理地点和方式', lines: placeLines });

  if (options.calendar && result.canAcceptNow && avail.handledHere) {
    sections.push({ heading: '预计办结时间', lines: completionLines(item, today, options.calendar) });
  }
  sections.push({
    heading: '温馨提示',
    lines: [...item.tips, PROXY_RULE, '以上为办理本事项所需的全部材料，一次性告知。'],
  });

  const consult = item.consultPhone ?? hall.consultPhone;
  const complaint = item.complaintPhone ?? hall.complaintPhone;
  const footer = [...(consult ? [`咨询电话：${consult}`] : []), ...(complaint ? [`监督投诉电话：${complaint}`] : []), `${hall.name}　${formatDateZh(today)}`];
  return { title: '一次性告知单', sections, footer };
}
