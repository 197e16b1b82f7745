/**
 * The sample 电子印章 shipped with the defaults: a red ring with the issuer's name along the top,
 * a star, and 样章 and 仅供演示 across the middle, so nobody can mistake it for a real seal. A hall
 * replaces it with its own PNG (certificate.issuer.sealImage). `npx tsx kiosk/certificates/sample-seal.ts`
 * regenerates assets/sample-seal.png.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as ResvgModule from '@resvg/resvg-js';
import { lazyRequire } from '../../drivers/common/lazy-require.ts';

const resvgModule = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');
import { FONT_BOLD_PATH } from './assets.ts';

export const SAMPLE_SEAL_PATH = fileURLToPath(new URL('./assets/sample-seal.png', import.meta.url));

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sampleSealSvg(issuer: string): string {
  const red = '#d0021b';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">
  <defs><path id="arc" d="M 70 215 A 132 132 0 1 1 330 215"/></defs>
  <g fill="none" stroke="${red}" opacity="0.85">
    <circle cx="200" cy="200" r="188" stroke-width="12"/>
  </g>
  <g fill="${red}" opacity="0.85" font-family="Noto Sans SC" font-weight="700">
    <text font-size="31" text-anchor="middle"><textPath href="#arc" startOffset="50%">${escapeXml(issuer)}</textPath></text>
    <polygon points="200,128 214,170 258,170 222,196 236,238 200,212 164,238 178,196 142,170 186,170"/>
    <text x="200" y="300" font-size="64" text-anchor="middle">样 章</text>
    <text x="200" y="345" font-size="26" text-anchor="middle">仅供演示 无效</text>
  </g>
</svg>`;
}

export function renderSampleSeal(issuer: string): Buffer {
  const resvg = new (resvgModule().Resvg)(sampleSealSvg(issuer), {
    font: { fontFiles: [FONT_BOLD_PATH], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' },
    fitTo: { mode: 'width', value: 400 },
  });
  return Buffer.from(resvg.render().asPng());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SAMPLE_SEAL_PATH, renderSampleSeal('示例县医疗保障事业管理中心'));
  process.stdout.write(`wrote ${SAMPLE_SEAL_PATH}\n`);
}
