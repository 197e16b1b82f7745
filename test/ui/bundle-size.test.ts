import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildUiOnce, DIST_UI } from '../helpers/browser.ts';
import { gzippedJsKb } from './bench-ui.ts';

beforeAll(async () => {
  await buildUiOnce();
}, 120_000);

test('dist/ui: index.html references the bundle and the gzipped JS stays ≤ 150 KB', () => {
  const html = readFileSync(join(DIST_UI, 'index.html'), 'utf8');
  expect(html).toContain('<kiosk-app>');
  expect(html).toMatch(/<script type="module"[^>]*src="\/assets\/[^"]+\.js"/);
  expect(gzippedJsKb()).toBeLessThanOrEqual(150);
  expect(gzippedJsKb()).toBeGreaterThan(5);
  if (existsSync(join(import.meta.dirname, '../../ui/evaluator.html'))) expect(existsSync(join(DIST_UI, 'evaluator.html'))).toBe(true);
});
