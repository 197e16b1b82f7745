import { describe, expect, it } from 'vitest';
import { GuideCatalog, availability } from '../../../kiosk/guides/index.ts';
import type { GuideItem } from '../../../kiosk/guides/index.ts';

const catalog = GuideCatalog.fromDir();
const item = (id: string): GuideItem => {
  const found = catalog.get(id);
  if (!found) throw new Error(`missing item ${id}`);
  return found;
};

describe('browsing', () => {
  it('lists categories in order with counts covering every item', () => {
    const cats = catalog.categories();
    expect(cats.map((c) => c.order)).toEqual([...cats.map((c) => c.order)].sort((a, b) => a - b));
    expect(cats.reduce((n, c) => n + c.count, 0)).toBe(catalog.items.length);
  });

  it('browses by category, most popular first', () => {
    const remote = catalog.byCategory('remote-care');
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.every((i) => i.category === 'remote-care')).toBe(true);
    for (let i = 1; i < remote.length; i++) {
      expect(remote[i - 1]!.popularity).toBeGreaterThanOrEqual(remote[i]!.popularity);
    }
  });

  it('browses by 服务对象', () => {
    const units = catalog.byAudience('单位');
    expect(units.every((i) => i.audience.includes('单位'))).toBe(true);
    expect(units.map((i) => i.id)).toContain('unit-enrolment');
    expect(units.map((i) => i.id)).not.toContain('resident-enrolment');
    const people = catalog.byAudience('个人');
    expect(people.map((i) => i.id)).toContain('resident-enrolment');
    // Items for both appear in both lists.
    expect(units.map((i) => i.id)).toContain('employee-enrolment');
    expect(people.map((i) => i.id)).toContain('employee-enrolment');
  });

  it('filters by what a village point can handle', () => {
    const village = catalog.browse({ hallLevel: '村' });
    expect(village.length).toBeGreaterThan(0);
    expect(village.every((i) => i.hallLevels.some((h) => h.level === '村'))).toBe(true);
    expect(catalog.categories({ hallLevel: '村' }).reduce((n, c) => n + c.count, 0)).toBe(village.length);
  });

  it('looks up by id and code', () => {
    expect(catalog.byCode('432036011W07')?.id).toBe('inpatient-reimbursement');
    expect(catalog.get('no-such-item')).toBeUndefined();
  });
});

describe('availability by hall level', () => {
  it('handles 城乡居民参保登记 at a village point', () => {
    const a = availability(item('resident-enrolment'), '村');
    expect(a.handledHere).toBe(true);
  });

  it('passes on a restriction that applies at the level', () => {
    const a = availability(item('personal-insurance-query'), '村');
    expect(a).toMatchObject({ handledHere: true, restriction: '仅开放基本信息查询' });
  });

  it('sends a village applicant up to the nearest level that handles the item', () => {
    const reimb = availability(item('outpatient-reimbursement'), '村');
    expect(reimb).toMatchObject({ handledHere: false, goTo: '县', direction: 'up' });
    expect(reimb.message).toContain('县（市、区）级');
    const change = availability(item('resident-info-change'), '村');
    expect(change).toMatchObject({ handledHere: false, goTo: '乡镇', direction: 'up' });
  });

  it('points down when only lower levels handle the item', () => {
    const a = catalog.availability(item('resident-enrolment'), '市');
    expect(a).toMatchObject({ handledHere: false, goTo: '县', direction: 'down' });
  });
});
