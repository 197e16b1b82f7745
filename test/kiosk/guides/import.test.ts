import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../kiosk/guides/import-files.ts';
import { parseCsv, parseTimeLimit, planJsonImport, planTableImport, type ImportContext } from '../../../kiosk/guides/import.ts';
import { LocalGuideStore, localGuidesPath, openGuideCatalog, rawItem, readLocalGuides } from '../../../kiosk/guides/local-guides.ts';
import { BAD_ROWS } from '../../fixtures/guides/item-list-rows.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/guides');

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'guides-import-'));
  const catalog = openGuideCatalog(localGuidesPath(dataDir));
  const store = new LocalGuideStore(catalog, localGuidesPath(dataDir));
  const ctx: ImportContext = {
    categories: catalog.categoryList,
    processTemplates: catalog.processTemplates,
    existingIds: new Set(catalog.items.map((i) => i.id)),
    fileName: 'zwfw-items',
    markLocal: true,
    check: (items) => store.check({ items }),
  };
  return { dataDir, catalog, store, ctx };
}

describe('importing a 政务服务网 item list', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format}: reports both bad rows (row, column, Chinese reason) and imports the others`, async () => {
      const { catalog, store, ctx, dataDir } = setup();
      const table = await readTable(format, readFileSync(join(FIXTURES, `zwfw-items.${format}`)));
      if ('reason' in table) throw new Error(table.reason);
      const plan = planTableImport(table, ctx);
      expect(plan.rows).toBe(4);
      expect(plan.problems).toEqual([
        { row: BAD_ROWS.timeLimit, field: '办理时限', reason: expect.stringContaining('“尽快办理”无法识别') },
        { row: BAD_ROWS.category, field: '类别', reason: expect.stringContaining('“养老保险”不是已有的类别') },
      ]);
      expect(plan.ignoredColumns).toEqual(['序号', '更新时间']);
      expect(plan.items.map((i) => [i.row, i.item.id, i.replaces])).toEqual([
        [2, 'remote-referral-filing', true],
        [4, 'item-11131100mb193224813132036022002', false],
      ]);
      const pharmacy = plan.items[1]!.item;
      expect(pharmacy).toMatchObject({
        name: '定点零售药店费用结算',
        category: 'designated-institution',
        audience: ['单位'],
        timeLimit: { unit: '工作日', value: 20 },
        hallLevels: [{ level: '市' }, { level: '县' }],
        channels: ['窗口', '网上'],
        local: true,
        materials: [{ name: '医保费用结算申报表' }, { name: '费用明细' }],
      });

      const saved = store.save({ items: plan.items.map((i) => i.item) }, { at: 1, user: 'admin' });
      expect(saved.ok).toBe(true);
      // The kiosk's catalogue has them at once: the replaced item's new code, the new item in search.
      expect(catalog.get('remote-referral-filing')).toMatchObject({ code: '11131100MB193224813132036024003', local: true });
      expect(catalog.search('药店结算').hits[0]?.item.id).toBe('item-11131100mb193224813132036022002');
      // And a restart reads the same from the overlay file.
      expect(openGuideCatalog(localGuidesPath(dataDir)).get('item-11131100mb193224813132036022002')?.name).toBe('定点零售药店费用结算');
      expect(readLocalGuides(localGuidesPath(dataDir)).version).toBe(1);
    });
  }

  it('a row that clashes with an item the kiosk has is reported with the loader’s reason in Chinese', () => {
    const { ctx, catalog } = setup();
    const code = catalog.get('inpatient-reimbursement')!.code;
    const header = ['事项名称', '事项编码', '类别', '服务对象', '申请材料', '办理时限', '办理层级', '设定依据'];
    const plan = planTableImport(
      [header, ['住院费用报销（本地）', code, '费用报销', '参保人员', '医院收费票据', '10个工作日，特殊情况不超过20个工作日', '县级', '社会保险法']],
      ctx,
    );
    expect(plan.items).toEqual([]);
    expect(plan.problems).toEqual([{ row: 2, field: '事项编码', reason: `事项编码“${code}”已被其他事项使用` }]);
  });

  it('a table without the required columns names each missing column', () => {
    const plan = planTableImport([['事项名称', '事项编码']], setup().ctx);
    expect(plan.problems.map((p) => p.field)).toEqual(['类别', '服务对象', '申请材料', '办理时限', '办理层级', '设定依据']);
    expect(plan.problems[0]).toMatchObject({ row: 1, reason: expect.stringContaining('缺少“类别”列') });
  });

  it('JSON: each bad entry named by position and field, the good ones kept', () => {
    const { ctx, catalog } = setup();
    const good = { ...rawItem(catalog.get('insurance-certificate')!), name: '出具《参保凭证》（本地）' };
    const plan = planJsonImport([good, { ...good, id: 'bad-one', code: 'PH-X-1', timeLimit: { unit: '天' } }, 'x'], ctx);
    expect(plan.items.map((i) => i.item.id)).toEqual(['insurance-certificate']);
    expect(plan.problems).toEqual([
      { row: 2, field: '/timeLimit', reason: '取值不在允许的范围内' },
      { row: 3, field: '（整项）', reason: '应为对象' },
    ]);
  });

  it('time limits and CSV as 政务服务网 lists write them', () => {
    expect(parseTimeLimit('即时办结', 'x')).toEqual({ unit: '即办' });
    expect(parseTimeLimit('10个工作日（特殊情况不超过20个工作日）', 'x')).toEqual({ unit: '工作日', value: 10, specialCaseMax: 20 });
    expect(parseCsv('\uFEFFa,"b,""c"""\r\n1,"多\n行"\n')).toEqual([
      ['a', 'b,"c"'],
      ['1', '多\n行'],
    ]);
  });
});

describe('search synonyms edited by the hall', () => {
  it('change what the kiosk search finds, and reset to the shipped table', () => {
    const { catalog, store } = setup();
    expect(catalog.search('医保卡').hits.length).toBeGreaterThan(0);
    expect(catalog.search('家庭共济').hits[0]?.item.id).toBe('family-account-sharing');
    expect(catalog.search('看牙').hits).toEqual([]);
    expect(store.save({ synonyms: { ...catalog.synonyms, 看牙: ['门诊费用报销'] } }, { at: 2, user: 'admin' }).ok).toBe(true);
    expect(catalog.search('看牙').hits[0]?.item.id).toBe('outpatient-reimbursement');
    expect(store.save({ synonyms: null }, { at: 3, user: 'admin' }).ok).toBe(true);
    expect(catalog.search('看牙').hits).toEqual([]);
    expect(store.versions()).toEqual([1]); // the version before the current one (2)
  });
});

describe('shipped guide data', () => {
  it('every sample item says which region its content and codes come from', () => {
    const { catalog } = setup();
    for (const item of catalog.items) expect(item.region, item.id).toMatch(/^示例数据：内容.*江苏省.*；事项编码/);
  });
});
