/**
 * The configured seal PNG, prepared once per process for fast embedding. pdfkit must decode,
 * split and recompress a PNG with an alpha channel in every document (and its PNG reader walks the
 * file byte by byte in JavaScript): most of a certificate's render time for a 400 px seal. So the
 * seal is decoded and flattened onto white once (resvg), kept as Flate-compressed RGB, written into
 * each PDF as an image XObject as is, and drawn with the "Multiply" blend mode: white vanishes and
 * the red ink lies over the text like a stamp.
 */
import { deflateSync } from 'node:zlib';
import type * as ResvgModule from '@resvg/resvg-js';
import { lazyRequire } from '../../drivers/common/lazy-require.ts';

const resvgModule = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');

/** The seal as raw RGB, Flate-compressed: the stream of a PDF image XObject, written without re-encoding. */
export interface PreparedSeal {
  readonly width: number;
  readonly height: number;
  readonly rgbDeflated: Buffer;
}

const cache = new Map<Buffer, PreparedSeal>();

export function prepareSeal(png: Buffer): PreparedSeal {
  let out = cache.get(png);
  if (out) return out;
  const { width, height } = pngSize(png);
  const rendered = new (resvgModule().Resvg)(svgWrapping(png, width, height), { background: 'white' }).render();
  out = { width: rendered.width, height: rendered.height, rgbDeflated: deflateSync(rgbOf(rendered.width, rendered.height, rendered.pixels)) };
  cache.set(png, out);
  return out;
}

function svgWrapping(png: Buffer, w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><image width="${w}" height="${h}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
}

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** RGBA pixels (already composed over white by resvg's background) → packed RGB. */
function rgbOf(width: number, height: number, rgba: Buffer): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0, o = 0; i < width * height * 4; i += 4, o += 3) {
    out[o] = rgba[i] as number;
    out[o + 1] = rgba[i + 1] as number;
    out[o + 2] = rgba[i + 2] as number;
  }
  return out;
}
