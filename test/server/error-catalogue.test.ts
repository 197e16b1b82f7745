import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../kiosk/errors.ts';

// The error catalogue (kiosk/errors.ts) ↔ the codes the code sends ↔ README's "## Error codes"
// table. README format: a level-2 heading "## Error codes", then a table whose rows read
// | `CODE` | HTTP status | the catalogue's Chinese message | when it happens / what to do |
const ROOT = join(import.meta.dirname, '..', '..');
const CATALOGUE = join('kiosk', 'errors.ts');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return rel.endsWith('.ts') && rel !== CATALOGUE ? [{ file: rel, text: readFileSync(join(ROOT, rel), 'utf8') }] : [];
  });
}
const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const files = [...sources('kiosk'), ...sources('server')];
const catalogue = new Set(Object.keys(ERRORS));

/** Codes put on the wire: thrown KioskErrors, envelopes, and `code: 'X'` literals in server/. */
function codesSent(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/\b(?:KioskError|evaluationError|envelope)\(\s*'([A-Z0-9_]+)'/g, /\bcode: '([A-Z][A-Z0-9_]+)'/g];
  for (const { file, text } of files) {
    for (const re of patterns) {
      if (re === patterns[1] && !file.startsWith('server')) continue;
      for (const m of text.matchAll(re)) if (CODE.test(m[1]!)) found.set(m[1]!, file);
    }
  }
  return found;
}

function readmeTable(): Map<string, { status: number; message: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.search(/^## Error codes\s*$/m);
  if (start < 0) throw new Error('README.md has no "## Error codes" section');
  const rest = readme.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const rows = new Map<string, { status: number; message: string }>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (m) rows.set(m[1]!, { status: Number(m[2]), message: m[3]! });
  }
  return rows;
}

describe('error catalogue', () => {
  it('lists every code the daemon sends', () => {
    const missing = [...codesSent()].filter(([code]) => !catalogue.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has no code that nothing sends', () => {
    const all = files.map((f) => f.text).join('\n');
    expect([...catalogue].filter((code) => !all.includes(`'${code}'`))).toEqual([]);
  });

  it('gives every code a Chinese message and an HTTP status', () => {
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      expect(message, code).toMatch(/[\u4e00-\u9fff]/);
      expect(status >= 400 && status < 600, code).toBe(true);
    }
  });

  it("matches README's error-code table: same codes, statuses and messages", () => {
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual([...catalogue].sort());
    for (const [code, row] of table) {
      const entry = ERRORS[code as keyof typeof ERRORS];
      expect({ code, status: row.status, message: row.message }).toEqual({ code, status: entry.status, message: entry.message });
    }
  });
});
