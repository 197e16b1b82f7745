import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_ROWS } from '../fixtures/guides/item-list-rows.ts';
import { ADMIN, makeServer, TECHNICIAN, type TestServer } from '../helpers/server.ts';

// 办事指南内容 from the console over the API: import with a line-by-line report, an edit the
// kiosk's guide page and search show at once, synonyms that change the search, 本地事项, the
// audit trail, and a technician kept out.
const FIXTURES = join(import.meta.dirname, '../fixtures/guides');
let s: TestServer;
beforeAll(async () => {
  s = await makeServer();
});
afterAll(async () => {
  await s.close();
});

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = ADMIN) =>
  s.app.inject({
    method,
    url,
    headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const kioskSearch = async (q: string) =>
  ((await inject('GET', `/api/v1/kiosk/guides?q=${encodeURIComponent(q)}`, undefined, {})).json() as { items: { id: string; name: string }[] }).items;
const upload = (format: 'csv' | 'xlsx' | 'json', data: Buffer, extra: Record<string, unknown> = {}) =>
  inject('POST', '/api/v1/console/guides/import', { format, fileName: `zwfw-items.${format}`, data: data.toString('base64'), ...extra });

describe('办事指南 content from the console', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format} import: both bad rows reported (row, column, reason), the rest imported and on the kiosk`, async () => {
      const res = await upload(format, readFileSync(join(FIXTURES, `zwfw-items.${format}`)));
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        ok: boolean;
        rows: number;
        imported: { row: number; id: string }[];
        problems: { row: number; field: string; reason: string }[];
        version: number;
      };
      expect(body.rows).toBe(4);
      expect(body.problems).toEqual([
        { row: BAD_ROWS.timeLimit, field: '办理时限', reason: expect.stringContaining('“尽快办理”无法识别') },
        { row: BAD_ROWS.category, field: '类别', reason: expect.stringContaining('不是已有的类别') },
      ]);
      expect(body.imported.map((i) => i.row)).toEqual([2, 4]);
      // On the kiosk at once: the new item in search, the replaced one with its new code and as 本地事项.
      expect((await kioskSearch('药店结算'))[0]?.id).toBe('item-11131100mb193224813132036022002');
      const page = (await inject('GET', '/api/v1/kiosk/guides/remote-referral-filing', undefined, {})).json() as {
        item: { code: string; fields: { label: string; value: unknown }[] };
      };
      expect(page.item.code).toBe('11131100MB193224813132036024003');
      expect(page.item.fields.find((f) => f.label === '内容来源')?.value).toBe('本地事项（已按本地规定核对）');
    });
  }

  it('a dry run reports and writes nothing', async () => {
    const before = (await inject('GET', '/api/v1/console/guides')).json() as { version: number };
    const res = (await upload('csv', readFileSync(join(FIXTURES, 'zwfw-items.csv')), { dryRun: true })).json() as {
      dryRun: boolean;
      version: number | null;
      problems: unknown[];
    };
    expect(res).toMatchObject({ dryRun: true, version: null });
    expect(res.problems).toHaveLength(2);
    expect(((await inject('GET', '/api/v1/console/guides')).json() as { version: number }).version).toBe(before.version);
  });

  it('an edited item shows on the kiosk guide page and in its search; a bad edit names the field in Chinese', async () => {
    const { item } = (await inject('GET', '/api/v1/console/guides/items/maternity-allowance')).json() as { item: Record<string, unknown> };
    const bad = (await inject('PUT', '/api/v1/console/guides/items/maternity-allowance', { item: { ...item, name: '' } })).json();
    expect(bad).toEqual({ ok: false, problems: [{ row: 1, field: '/name', reason: '不能为空' }], version: null });

    const edited = { ...item, name: '生育津贴申领（本地）', keywords: [...(item.keywords as string[]), '产假工资'] };
    const ok = (await inject('PUT', '/api/v1/console/guides/items/maternity-allowance', { item: edited })).json() as { ok: boolean };
    expect(ok.ok).toBe(true);
    const page = (await inject('GET', '/api/v1/kiosk/guides/maternity-allowance', undefined, {})).json() as { item: { name: string } };
    expect(page.item.name).toBe('生育津贴申领（本地）');
    expect((await kioskSearch('产假工资')).map((i) => i.name)).toEqual(['生育津贴申领（本地）']);
    // Reverted: the shipped item is back.
    expect((await inject('DELETE', '/api/v1/console/guides/items/maternity-allowance/local-edit')).json()).toMatchObject({ ok: true });
    expect(((await inject('GET', '/api/v1/kiosk/guides/maternity-allowance', undefined, {})).json() as { item: { name: string } }).item.name).toBe(
      '生育津贴支付',
    );
  });

  it('synonyms edited in the console change the kiosk search', async () => {
    expect(await kioskSearch('看牙报账')).toEqual([]);
    const { synonyms } = (await inject('GET', '/api/v1/console/guides/synonyms')).json() as { synonyms: Record<string, string[]> };
    expect(synonyms.医保卡).toContain('医保电子凭证');
    const bad = (await inject('PUT', '/api/v1/console/guides/synonyms', { synonyms: { ...synonyms, 看牙报账: [] } })).json();
    expect(bad).toMatchObject({ ok: false, problems: [{ word: '看牙报账', message: '“看牙报账”至少要对应一个检索词' }] });
    expect((await inject('PUT', '/api/v1/console/guides/synonyms', { synonyms: { ...synonyms, 看牙报账: ['门诊费用报销'] } })).json()).toMatchObject({
      ok: true,
    });
    expect((await kioskSearch('看牙报账'))[0]?.id).toBe('outpatient-reimbursement');
    expect((await inject('PUT', '/api/v1/console/guides/synonyms', { synonyms: null })).json()).toMatchObject({ ok: true });
    expect(await kioskSearch('看牙报账')).toEqual([]);
  });

  it('本地事项: marked and unmarked; the list says where each item comes from', async () => {
    const mark = (local: boolean) => inject('POST', '/api/v1/console/guides/items/unit-enrolment/local', { local });
    expect((await mark(true)).json()).toMatchObject({ ok: true });
    type List = { items: { id: string; local: boolean; region: string | null; edited: boolean }[] };
    let row = ((await inject('GET', '/api/v1/console/guides')).json() as List).items.find((i) => i.id === 'unit-enrolment');
    expect(row).toMatchObject({ local: true, edited: true });
    await mark(false);
    row = ((await inject('GET', '/api/v1/console/guides')).json() as List).items.find((i) => i.id === 'unit-enrolment');
    expect(row).toMatchObject({ local: false, region: expect.stringContaining('示例数据') });
  });

  it('the changes are in the overlay next to the kiosk database, with the earlier versions', () => {
    const dir = dirname(s.kiosk.db.name);
    expect(JSON.parse(readFileSync(`${dir}/guides-local.json`, 'utf8')).items.map((i: { id: string }) => i.id)).toContain(
      'item-11131100mb193224813132036022002',
    );
    expect(existsSync(`${dir}/guides-local.json.v1`)).toBe(true);
  });

  it('every change is in the audit trail with what changed', async () => {
    const { entries } = (await inject('GET', '/api/v1/console/audit?limit=100')).json() as { entries: { target: string; details: Record<string, unknown> }[] };
    const imports = entries.filter((e) => e.target === 'POST /api/v1/console/guides/import');
    expect(imports[imports.length - 1]?.details).toMatchObject({
      format: 'csv',
      imported: ['remote-referral-filing', 'item-11131100mb193224813132036022002'],
      rejectedRows: [3, 5],
    });
    expect(entries.some((e) => e.target === 'PUT /api/v1/console/guides/synonyms')).toBe(true);
    expect(entries.some((e) => e.target === 'PUT /api/v1/console/guides/items/maternity-allowance' && e.details.ok === true)).toBe(true);
  });

  it('a technician cannot reach any of it', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/console/guides'],
      ['GET', '/api/v1/console/guides/items/unit-enrolment'],
      ['PUT', '/api/v1/console/guides/items/unit-enrolment', { item: {} }],
      ['POST', '/api/v1/console/guides/items/unit-enrolment/local', { local: true }],
      ['DELETE', '/api/v1/console/guides/items/unit-enrolment/local-edit'],
      ['POST', '/api/v1/console/guides/import', { format: 'json', fileName: 'x.json', data: '' }],
      ['GET', '/api/v1/console/guides/synonyms'],
      ['PUT', '/api/v1/console/guides/synonyms', { synonyms: null }],
      ['POST', '/api/v1/console/config/import', { config: {} }],
    ];
    for (const [method, url, body] of routes) {
      expect((await inject(method as 'GET', url, body, TECHNICIAN)).statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
