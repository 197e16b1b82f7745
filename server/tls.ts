import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createSecureContext, type Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { isLoopbackHost } from '../config/load.ts';
import type { KioskConfig } from '../config/schema.ts';

/**
 * TLS on the hall's LAN. The daemon serves HTTPS with `api.tls` (certificate and key files, read
 * again on SIGHUP without dropping the daemon); a terminal on another daemon's queue
 * (`queue.remote`) talks to it over https and trusts only the hall's own CA (`queue.remote.caFile`,
 * server/clients/pinned-fetch.ts). `startProblems()` is what the daemon refuses to start on.
 */
export interface ServerTls {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** SHA-256 fingerprint of the leaf certificate, as `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
}

/** Reads and checks the certificate and key (a pair that does not match throws). */
export function readServerTls(files: { readonly certFile: string; readonly keyFile: string }): ServerTls {
  const cert = readFileSync(files.certFile);
  const key = readFileSync(files.keyFile);
  createSecureContext({ key, cert }); // throws on a bad PEM or a key that does not belong to the certificate
  return { key, cert, fingerprint: new X509Certificate(cert).fingerprint256 };
}

/** Reads a CA file and checks that it holds at least one certificate. */
export function readCaFile(file: string): Buffer {
  const ca = readFileSync(file);
  new X509Certificate(ca); // throws when it is not a PEM certificate
  return ca;
}

/**
 * Loads the files again and swaps them into the listening server: open connections keep their
 * session, new ones get the new certificate. On any error the old certificate stays in use.
 */
export function reloadServerTls(server: unknown, files: { readonly certFile: string; readonly keyFile: string }): ServerTls {
  const tls = readServerTls(files);
  (server as TlsServer).setSecureContext({ key: tls.key, cert: tls.cert });
  return tls;
}

/**
 * With `api.tls`, the kiosk's own Chromium still talks plain HTTP — on loopback only, where no token
 * travels (the citizen routes need no credential, and a loopback socket cannot be reached from the
 * LAN): the same Fastify instance answers on 127.0.0.1:`api.screenPort` through `app.routing`, with
 * the same hooks, auth and limits. Resolves with a function that closes it.
 */
export async function listenScreenLoopback(app: FastifyInstance, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: HttpServer = createServer((req, res) => app.routing(req, res));
  server.headersTimeout = app.server.headersTimeout;
  server.requestTimeout = app.server.requestTimeout;
  server.keepAliveTimeout = app.server.keepAliveTimeout;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Why the daemon must not start with this transport configuration (empty: fine). Each entry is
 * Chinese first, then English, and names the configuration key.
 */
export function startProblems(config: KioskConfig, options: { readonly insecureDev: boolean }): string[] {
  const problems: string[] = [];
  const { tls, host } = config.api;
  if (tls) {
    try {
      readServerTls(tls);
    } catch (err) {
      problems.push(`api.tls 的证书或私钥无法使用 (api.tls certificate/key unusable: ${(err as Error).message})`);
    }
  } else if (!isLoopbackHost(host) && !options.insecureDev) {
    problems.push(
      `api.host=${host} 可从局域网访问，但未配置 api.tls，令牌将以明文传输；请配置 api.tls.certFile / keyFile ` +
        `(api.host=${host} is reachable from the LAN without api.tls; configure api.tls, or pass --insecure-dev for a demo)`,
    );
  }
  const remote = config.queue.remote;
  if (remote) {
    if (!/^https:\/\//i.test(remote.url)) {
      problems.push(`queue.remote.url 必须使用 https:// (queue.remote.url must be https://, got ${new URL(remote.url).protocol}//${new URL(remote.url).host})`);
    }
    if (!remote.caFile) {
      problems.push(
        "queue.remote.caFile 未配置：请指定大厅自有 CA 证书文件 (queue.remote.caFile missing: the hall CA that signs the queue holder's certificate)",
      );
    } else {
      try {
        readCaFile(remote.caFile);
      } catch (err) {
        problems.push(`queue.remote.caFile 无法读取或不是证书 (queue.remote.caFile unusable: ${(err as Error).message})`);
      }
    }
  }
  return problems;
}
