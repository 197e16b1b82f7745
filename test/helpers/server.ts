import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer, type BuildServerOptions } from '../../server/app.ts';
import { fakeClock, tempDbPath } from './engine.ts';

export const HALL = { authorization: 'Bearer dev-hall-server-token-0001' };
export const COUNTER = (n: number) => ({ authorization: `Bearer dev-counter-token-000${n}` });
export const TERMINAL = { authorization: 'Bearer dev-terminal-token-0001' };
export const ADMIN = { authorization: `Basic ${Buffer.from('admin:dev-admin-password-0001').toString('base64')}` };

export interface TestServer {
  app: FastifyInstance;
  kiosk: Kiosk;
  clock: ReturnType<typeof fakeClock>;
  close(): Promise<void>;
}

export async function makeServer(overlay: unknown = {}, options: BuildServerOptions = {}): Promise<TestServer> {
  const clock = fakeClock();
  const kiosk = createKiosk(loadConfig({ overlay }), { clock, dbPath: tempDbPath() });
  const app = await buildServer(kiosk, options);
  await app.ready();
  return {
    app,
    kiosk,
    clock,
    async close() {
      await app.close();
      await kiosk.close();
    },
  };
}
