import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded the first time it is needed instead of at start-up. The daemon's idle memory
 * budget (issue 11) cannot carry pdfkit, the pinyin dictionary, resvg, qrcode and serialport for
 * a kiosk that may print no certificate and search no guide all morning; each of these adds
 * 5–30 MB of resident memory when imported. Types come from an `import type` at the call site.
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
