import { describe, expect, it } from 'vitest';
import { calendarFromRows, seedRowsFromChineseDays, CalendarCoverageError } from '../../../kiosk/calendar/index.ts';
import { GuideCatalog, buildNoticeDocument, checklist, promisedCompletionDate } from '../../../kiosk/guides/index.ts';
import type { GuideItem, NoticeDocument, NoticeHall } from '../../../kiosk/guides/index.ts';

const catalog = GuideCatalog.fromDir();
const calendar = calendarFromRows(seedRowsFromChineseDays());
const item = (id: string): GuideItem => {
  const found = catalog.get(id);
  if (!found) throw new Error(`missing item ${id}`);
  return found;
};
const county: NoticeHall = {
  name: '某县医疗保障服务中心',
  level: '县',
  address: '某县人民路1号',
  hours: '工作日 8:30—12:00，14:00—17:30',
  consultPhone: '0000-1234567',
  complaintPhone: '0000-7654321',
};
const section = (doc: NoticeDocument, heading: string): readonly string[] | undefined => doc.sections.find((s) => s.heading === heading)?.lines;

describe('checklist (一次性告知 and 容缺受理)', () => {
  const outpatient = item('outpatient-reimbursement');

  it('accepts a complete application', () => {
    const have = new Set(outpatient.materials.filter((m) => m.required).map((m) => m.id));
    const r = checklist(outpatient, have);
    expect(r).toMatchObject({ outcome: 'complete', canAcceptNow: true, needsCommitment: false });
    expect(r.missingRequired).toHaveLength(0);
  });

  it('allows 容缺受理 when only deferrable materials are missing', () => {
    const r = checklist(outpatient, new Set(['credential', 'hospital-receipts', 'prescription-or-records']));
    expect(r.outcome).toBe('accept-with-deferral');
    expect(r.canAcceptNow).toBe(true);
    expect(r.needsCommitment).toBe(true);
    expect(r.deferrable.flatMap((d) => d.materials.map((m) => m.id))).toEqual(['outpatient-fee-list']);
    expect(r.blocking).toHaveLength(0);
  });

  it('refuses when a main material is missing, listing everything at once', () => {
    const r = checklist(outpatient, new Set(['credential']));
    expect(r.outcome).toBe('cannot-accept');
    expect(r.canAcceptNow).toBe(false);
    expect(r.blocking.flatMap((b) => b.materials.map((m) => m.id))).toEqual(['hospital-receipts']);
    expect(r.deferrable.flatMap((d) => d.materials.map((m) => m.id)).sort()).toEqual(['outpatient-fee-list', 'prescription-or-records'].sort());
    expect(r.conditional.length).toBeGreaterThan(0);
  });

  it('treats alternative materials as one requirement', () => {
    const enrol = item('employee-enrolment');
    expect(checklist(enrol, new Set(['credential'])).outcome).toBe('complete');
    const none = checklist(enrol, new Set());
    expect(none.blocking).toHaveLength(1);
    expect(none.blocking[0]!.materials.map((m) => m.id).sort()).toEqual(['credential', 'employee-enrolment-form']);
  });

  it('reports ids the item does not list', () => {
    expect(checklist(outpatient, new Set(['credential', 'passport-photo'])).unknownIds).toEqual(['passport-photo']);
  });
});

describe('promisedCompletionDate', () => {
  it('is the acceptance day for 即办 items', () => {
    expect(promisedCompletionDate(item('remote-retiree-filing'), '2026-09-30', calendar)).toMatchObject({
      immediate: true,
      date: '2026-09-30',
    });
  });

  it('counts working days from the day after acceptance, across 国庆', () => {
    const p = promisedCompletionDate(item('outpatient-reimbursement'), '2026-09-30', calendar);
    expect(p).toMatchObject({ immediate: false, workingDays: 10, date: '2026-10-20', specialCaseLatest: '2026-11-03' });
  });

  it('refuses dates beyond the calendar', () => {
    expect(() => promisedCompletionDate(item('transfer-continuation'), '2026-12-20', calendar)).toThrow(CalendarCoverageError);
  });
});

describe('buildNoticeDocument (一次性告知单)', () => {
  const outpatient = item('outpatient-reimbursement');

  it('lists what must be brought, what may come later, and contact lines', () => {
    const result = checklist(outpatient, new Set(['credential']));
    const doc = buildNoticeDocument(outpatient, result, county, '2026-09-30');
    expect(doc.title).toBe('一次性告知单');
    expect(section(doc, '办理事项')).toContain('事项名称：门诊费用报销');
    expect(section(doc, '办理事项')).toContain('办理时限：10个工作日（特殊情况不超过20个工作日）');
    expect(section(doc, '材料审核结果')?.[0]).toContain('暂不能受理');
    expect(section(doc, '必须补齐的材料')).toEqual(['1. 医院收费票据（原件1份）']);
    expect(section(doc, '可容缺后补的材料')?.join('\n')).toContain('门急诊费用清单');
    expect(section(doc, '已备齐的材料')?.[0]).toContain('医保电子凭证');
    expect(section(doc, '办理地点和方式')).toContain('办理地点：某县人民路1号');
    expect(section(doc, '温馨提示')?.join('')).toContain('授权委托书');
    expect(doc.footer).toEqual(['咨询电话：0000-1234567', '监督投诉电话：0000-7654321', '某县医疗保障服务中心　2026年9月30日']);
  });

  it('explains 容缺受理 and prints the promised date when a calendar is given', () => {
    const result = checklist(outpatient, new Set(['credential', 'hospital-receipts', 'prescription-or-records']));
    const doc = buildNoticeDocument(outpatient, result, county, '2026-09-30', { calendar });
    expect(section(doc, '材料审核结果')?.join('')).toContain('容缺受理告知承诺书');
    expect(section(doc, '必须补齐的材料')).toBeUndefined();
    expect(section(doc, '预计办结时间')?.[0]).toContain('2026年10月20日');
    expect(section(doc, '预计办结时间')?.[1]).toContain('2026年11月3日');
  });

  it('falls back to wording without a date past the calendar', () => {
    const result = checklist(outpatient, new Set(outpatient.materials.filter((m) => m.required).map((m) => m.id)));
    const doc = buildNoticeDocument(outpatient, result, county, '2026-12-28', { calendar });
    expect(section(doc, '预计办结时间')).toEqual(['办结日期以受理时工作人员告知为准。']);
  });

  it('tells a village applicant where to go instead', () => {
    const village: NoticeHall = { name: '某村便民服务点', level: '村' };
    const result = checklist(outpatient, new Set(['credential']));
    const doc = buildNoticeDocument(outpatient, result, village, '2026-09-30', { calendar });
    expect(section(doc, '办理地点和方式')?.[0]).toContain('请到县（市、区）级');
    expect(section(doc, '预计办结时间')).toBeUndefined();
    expect(doc.footer).toEqual(['某村便民服务点　2026年9月30日']);
  });

  it('does not print placeholder codes', () => {
    const temp = item('remote-temporary-filing');
    const doc = buildNoticeDocument(temp, checklist(temp, new Set()), county, '2026-09-30');
    expect(section(doc, '办理事项')?.some((l) => l.startsWith('事项编码'))).toBe(false);
    const real = buildNoticeDocument(outpatient, checklist(outpatient, new Set()), county, '2026-09-30');
    expect(section(real, '办理事项')).toContain('事项编码：432036011W08');
  });

  it('rejects a checklist made for another item', () => {
    expect(() => buildNoticeDocument(outpatient, checklist(item('inpatient-reimbursement'), new Set()), county, '2026-09-30')).toThrow();
  });
});
