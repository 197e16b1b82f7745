import type { Logger } from 'pino';
import type { Kiosk } from './compose.ts';
import type { buildServer as BuildServer, BuildServerOptions } from '../server/app.ts';

const TICK_MS = 30_000;

export interface Daemon {
  readonly app: Awaited<ReturnType<typeof BuildServer>>;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs a composed kiosk: serves HTTP, rolls the business day over and sweeps missed appointments
 * on a timer, and shuts everything down in order.
 */
export async function startDaemon(
  kiosk: Kiosk,
  deps: {
    log: Logger;
    buildServer: typeof BuildServer;
    serverOptions?: BuildServerOptions;
    /** More listeners on the same app (the screen's loopback HTTP beside TLS): each returns its closer. */
    alsoListen?: (app: Awaited<ReturnType<typeof BuildServer>>) => Promise<(() => Promise<void>) | null>;
  },
): Promise<Daemon> {
  const app = await deps.buildServer(kiosk, { ...deps.serverOptions, logger: deps.log.child({ part: 'http' }) });
  const url = await app.listen({ host: kiosk.config.api.host, port: kiosk.config.api.port });
  const closeExtra = (await deps.alsoListen?.(app)) ?? null;
  kiosk.evaluations.outbox.start();
  kiosk.calendarSync?.start();
  await kiosk.printing.reconcile();
  const timer = setInterval(() => {
    Promise.all([kiosk.engine?.tick(), kiosk.appointments?.sweep()]).catch((err: unknown) => {
      deps.log.error({ err: (err as Error).message }, 'periodic queue maintenance failed');
    });
  }, TICK_MS);
  timer.unref();
  return {
    app,
    url,
    async stop() {
      clearInterval(timer);
      await closeExtra?.();
      await app.close();
      await kiosk.close();
    },
  };
}
