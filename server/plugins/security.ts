import type { Socket } from 'node:net';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { KioskError } from '../../kiosk/errors.ts';

/** Longest request target answered; longer ones get 414. */
export const MAX_URL_LENGTH = 2048;

/**
 * The Content-Security-Policy of every page. The UI (ui/*.html, Vite's build) loads its scripts
 * as files, so no inline script is allowed; Lit templates carry `style="..."` attributes and the
 * pages one `<style>` block, so inline styles are. Speech and receipt previews are blob: URLs.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  // The kiosk and the hall LAN speak plain HTTP until api.tls: never rewrite requests to https.
  'upgrade-insecure-requests': null,
};

export interface SecurityOptions {
  maxConnectionsPerAddress: number;
}

/**
 * Hardening of the HTTP surface: security headers on every reply (@fastify/helmet), a cap on the
 * TCP connections one address may hold (slow clients cannot exhaust the daemon), and 414 for
 * overlong URLs. Timeouts are set where the server is built (server/app.ts).
 */
async function security(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    // Plain HTTP on the LAN for now: an HSTS header would lock browsers out of it.
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
  });

  const open = new Map<string, number>();
  app.server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = (open.get(address) ?? 0) + 1;
    if (n > options.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, n);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });

  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH) throw new KioskError('URI_TOO_LONG', { length: request.url.length, limit: MAX_URL_LENGTH });
  });
}

export default fp(security, { name: 'hall-kiosk-security', fastify: '5.x' });
