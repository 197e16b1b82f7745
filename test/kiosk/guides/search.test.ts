import { describe, expect, it } from 'vitest';
import { GuideCatalog, expandSynonyms } from '../../../kiosk/guides/index.ts';
import type { SearchResult } from '../../../kiosk/guides/index.ts';

const catalog = GuideCatalog.fromDir();
const remoteIds = catalog.byCategory('remote-care').map((i) => i.id);
const ids = (r: SearchResult): string[] => r.hits.map((h) => h.item.id);

function expectRanked(r: SearchResult): void {
  for (let i = 1; i < r.hits.length; i++) {
    expect(r.hits[i - 1]!.score).toBeGreaterThanOrEqual(r.hits[i]!.score);
  }
}

describe('guide search', () => {
  it('finds every 异地就医备案 item for 异地就医', () => {
    const r = catalog.search('异地就医');
    expect(remoteIds.length).toBeGreaterThanOrEqual(4);
    expect(ids(r).slice(0, remoteIds.length).sort()).toEqual([...remoteIds].sort());
    expectRanked(r);
  });

  it('finds 异地就医备案 by pinyin initials and by full pinyin', () => {
    const initials = catalog.search('ydjy');
    const full = catalog.search('yidijiuyi');
    expect(ids(initials).sort()).toEqual([...remoteIds].sort());
    expect(ids(full).sort()).toEqual([...remoteIds].sort());
    expect(ids(catalog.search('YiDi JiuYi')).sort()).toEqual([...remoteIds].sort());
  });

  it('puts items named …报销 first for 报销 and also finds the 零星报销 family', () => {
    const r = catalog.search('报销');
    const top = r.hits.slice(0, 3).map((h) => h.item.name);
    expect(top.every((n) => n.includes('报销'))).toBe(true);
    expect(ids(r)).toEqual(expect.arrayContaining(['outpatient-reimbursement', 'inpatient-reimbursement', 'maternity-medical-payment']));
    expect(ids(r)).not.toContain('unit-enrolment');
    expectRanked(r);
  });

  it('ranks exact name > prefix > contains', () => {
    expect(catalog.search('住院费用报销').hits[0]).toMatchObject({ match: 'name-exact' });
    expect(catalog.search('住院费用报销').hits[0]!.item.id).toBe('inpatient-reimbursement');
    const r = catalog.search('生育');
    const pos = (id: string): number => ids(r).indexOf(id);
    expect(pos('maternity-allowance')).toBeGreaterThanOrEqual(0);
    expect(pos('maternity-allowance')).toBeLessThan(pos('family-planning-payment'));
    expect(r.hits[0]!.match).toBe('name-prefix');
  });

  it('ranks a pinyin-initials name match above a material match', () => {
    const r = catalog.search('mtb');
    expect(r.hits[0]!.item.id).toBe('chronic-disease-qualification');
    expect(r.hits[0]!.match).toBe('initials-name');
    const m = catalog.search('收费票据');
    expect(m.hits.length).toBeGreaterThan(0);
    expect(m.hits.every((h) => h.match === 'material')).toBe(true);
  });

  it('expands synonyms', () => {
    expect(expandSynonyms('报销')).toEqual(expect.arrayContaining(['零星报销', '手工报销']));
    expect(expandSynonyms('异地')).toContain('异地就医');
    const r = catalog.search('大病');
    expect(r.hits[0]).toMatchObject({ match: 'synonym' });
    expect(r.hits[0]!.item.id).toBe('chronic-disease-qualification');
  });

  it('finds what people mean by the card they hold and by 家庭共济 (the words the shipped data lacked)', () => {
    for (const q of ['医保卡', '社保卡', '医保卡余额']) {
      expect(ids(catalog.search(q)), q).toContain('personal-insurance-query');
    }
    for (const q of ['家庭共济', '共济', '给家人用医保', 'jiatinggongji']) {
      expect(ids(catalog.search(q))[0], q).toBe('family-account-sharing');
    }
  });

  it('matches multi-word queries token by token', () => {
    const r = catalog.search('单位 变更');
    expect(ids(r)).toContain('unit-info-change');
  });

  it('tolerates homophone typos in Chinese', () => {
    const r = catalog.search('义地就医');
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits.every((h) => h.match === 'homophone' && remoteIds.includes(h.item.id))).toBe(true);
  });

  it('offers closest matches and popular items when a pinyin typo finds nothing', () => {
    const r = catalog.search('yidijuyi');
    expect(r.hits).toHaveLength(0);
    expect(r.suggestions.closest.length).toBeGreaterThan(0);
    expect(r.suggestions.closest.every((s) => remoteIds.includes(s.item.id))).toBe(true);
    expect(r.suggestions.closest[0]!.distance).toBe(1);
    expect(r.suggestions.popular.length).toBeGreaterThan(0);
    const closest = new Set(r.suggestions.closest.map((s) => s.item.id));
    expect(r.suggestions.popular.some((i) => closest.has(i.id))).toBe(false);
  });

  it('suggests popular items for something unrelated', () => {
    const r = catalog.search('火车票');
    expect(r.hits).toHaveLength(0);
    const expected = catalog.popular(5).map((i) => i.id);
    expect(r.suggestions.popular.map((i) => i.id)).toEqual(expected);
  });

  it('returns popular items for an empty query', () => {
    const r = catalog.search('  ');
    expect(r.hits).toHaveLength(0);
    expect(r.suggestions.popular.length).toBe(5);
  });

  it('applies browse filters and limits', () => {
    const r = catalog.search('变更', { audience: '单位' });
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits.every((h) => h.item.audience.includes('单位'))).toBe(true);
    expect(catalog.search('报销', { limit: 2 }).hits).toHaveLength(2);
    const village = catalog.search('参保', { hallLevel: '村' });
    expect(village.hits.every((h) => h.item.hallLevels.some((l) => l.level === '村'))).toBe(true);
  });
});
