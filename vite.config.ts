import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Multi-page build of the citizen UI. The evaluator page belongs to another part of the project and
// is only built when it exists.
const input: Record<string, string> = { index: here('./ui/index.html') };
if (existsSync(here('./ui/evaluator.html'))) input.evaluator = here('./ui/evaluator.html');
input.console = here('./ui/console.html');
input.display = here('./ui/display.html');
input.verify = here('./ui/verify.html');
input.counter = here('./ui/counter.html');
input.window = here('./ui/window.html');
input.report = here('./ui/report.html');

export default defineConfig({
  root: here('./ui'),
  base: '/',
  publicDir: false,
  build: {
    outDir: here('./dist/ui'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: { input },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      // The daemon's API; SSE (/api/v1/kiosk/events) streams through the same proxy.
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
