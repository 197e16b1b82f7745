import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LoadedAround {
  /** The given packages loaded once the server is ready, before any request. */
  readonly before: string[];
  /** The status of the one request. */
  readonly status: number;
  /** The given packages loaded after it. */
  readonly after: string[];
}

/**
 * Which of `packages` (folder names under node_modules, e.g. '@fastify/send/') a fresh test server
 * has loaded at start and after one GET of `url`. It runs in a process of its own: the test worker
 * may have loaded any of them for another file.
 */
export function packagesLoadedAround(packages: readonly string[], url: string): LoadedAround {
  const script = `
    const { makeServer } = await import('./test/helpers/server.ts');
    const { createRequire } = await import('node:module');
    const cache = createRequire(import.meta.url).cache;
    const packages = ${JSON.stringify(packages)};
    const loaded = () => packages.filter((p) => Object.keys(cache).some((f) => f.includes('/node_modules/' + p.replace(/^\\//, ''))));
    const s = await makeServer();
    const before = loaded();
    const status = (await s.app.inject({ method: 'GET', url: ${JSON.stringify(url)} })).statusCode;
    const after = loaded();
    await s.close();
    process.stdout.write(JSON.stringify({ before, status, after }));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.slice(out.indexOf('{'))) as LoadedAround;
}
