import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_SERVICES } from '../../../config/guides/schema.ts';
import { GuideDataError, defaultGuidesDir, loadGuides } from '../../../kiosk/guides/index.ts';

describe('shipped guide data', () => {
  const data = loadGuides();

  it('loads at least 30 items with every guide field filled', () => {
    expect(data.items.length).toBeGreaterThanOrEqual(30);
    for (const item of data.items) {
      expect(item.process.length, item.id).toBeGreaterThan(0);
      expect(item.materials.length, item.id).toBeGreaterThan(0);
      expect(item.legalBasis.length, item.id).toBeGreaterThan(0);
      expect(item.hallLevels.length, item.id).toBeGreaterThan(0);
      expect(item.source.length, item.id).toBeGreaterThan(0);
      expect(QUEUE_SERVICES).toContain(item.queueService);
    }
  });

  it('keeps ids and codes unique and marks placeholders', () => {
    const ids = data.items.map((i) => i.id);
    const codes = data.items.map((i) => i.code);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(codes).size).toBe(codes.length);
    for (const item of data.items) {
      expect(item.code.startsWith('PH-'), item.id).toBe(item.codeIsPlaceholder);
    }
    // A real code from seeds/003 (永州): 异地安置退休人员备案.
    expect(data.items.find((i) => i.id === 'remote-retiree-filing')?.code).toBe('432036005W01');
  });

  it('gives every category at least one item', () => {
    for (const c of data.categories) {
      expect(
        data.items.some((i) => i.category === c.id),
        c.id,
      ).toBe(true);
    }
  });
});

describe('broken guide data', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function copyData(): string {
    dir = mkdtempSync(join(tmpdir(), 'guides-'));
    cpSync(defaultGuidesDir(), dir, { recursive: true });
    return dir;
  }

  function editItems(file: string, edit: (items: Record<string, unknown>[]) => void): void {
    const path = join(dir, 'items', file);
    const items = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    edit(items);
    writeFileSync(path, JSON.stringify(items, null, 2));
  }

  function loadError(): GuideDataError {
    try {
      loadGuides(dir);
    } catch (err) {
      if (err instanceof GuideDataError) return err;
      throw err;
    }
    throw new Error('expected loadGuides to fail');
  }

  it('names the file and JSON path of every problem, all at once', () => {
    copyData();
    editItems('remote-care.json', (items) => {
      const first = items[0]!;
      delete first['name'];
      const materials = first['materials'] as Record<string, unknown>[];
      materials[1]!['originals'] = 'one';
    });
    editItems('reimbursement.json', (items) => {
      items[1]!['category'] = 'no-such-category';
      items[1]!['id'] = 'remote-long-term-filing'; // also the id of remote-care.json /1
    });
    writeFileSync(join(dir, 'items', 'maternity.json'), '[{"id": "x",');

    const err = loadError();
    const where = err.problems.map((p) => `${p.file} ${p.path}`);
    expect(where).toContain('items/remote-care.json /0/name');
    expect(where).toContain('items/remote-care.json /0/materials/1/originals');
    expect(where).toContain('items/reimbursement.json /1/category');
    // Files load in name order, so the later one is flagged, naming the first.
    const dup = err.problems.find((p) => p.file === 'items/remote-care.json' && p.path === '/1/id');
    expect(dup?.message).toContain('items/reimbursement.json /1');
    expect(err.problems.find((p) => p.file === 'items/maternity.json')?.message).toMatch(/invalid JSON/);
    expect(err.message).toContain('items/remote-care.json /0/name');
    expect(err.message).toContain('items/reimbursement.json /1/category');
  });

  it('checks codes, templates and material ids across items', () => {
    copyData();
    editItems('enrolment.json', (items) => {
      items[1]!['code'] = items[0]!['code'];
      items[2]!['processTemplate'] = 'missing-template';
      const materials = items[0]!['materials'] as Record<string, unknown>[];
      materials[1]!['id'] = materials[0]!['id'];
    });
    const err = loadError();
    const where = err.problems.map((p) => `${p.file} ${p.path}`);
    expect(where).toContain('items/enrolment.json /1/code');
    expect(where).toContain('items/enrolment.json /2/processTemplate');
    expect(where).toContain('items/enrolment.json /0/materials/1/id');
  });

  it('rejects a placeholder flag on a code that looks real', () => {
    copyData();
    editItems('transfer.json', (items) => {
      items[0]!['codeIsPlaceholder'] = true;
    });
    const err = loadError();
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ file: 'items/transfer.json', path: '/0/code' });
  });
});
