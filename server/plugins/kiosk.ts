import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kiosk } from '../../kiosk/compose.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The composed kiosk (kiosk/compose.ts), decorated once for every route plugin. */
    readonly kiosk: Kiosk;
  }
}

/** Decorates the instance with the Kiosk and closes it when the server closes. */
async function kioskPlugin(app: FastifyInstance, { kiosk }: { kiosk: Kiosk }): Promise<void> {
  app.decorate('kiosk', kiosk);
  app.addHook('onClose', async () => {
    await kiosk.close();
  });
}

export default fp(kioskPlugin, { name: 'hall-kiosk-kiosk', fastify: '5.x' });
