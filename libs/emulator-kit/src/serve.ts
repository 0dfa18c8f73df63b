import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ServeOptions {
  port?: number; // 0 (default) = a free port
  host?: string; // default 127.0.0.1
  tls?: { key: string; cert: string }; // PEM; omitted = plain http
}

export interface Serving {
  url: string; // origin, e.g. http://127.0.0.1:40123, no trailing slash
  close(): Promise<void>;
}

// An emulator's app on a local port: resolves once listening (rejects if the port is taken), with the URL clients
// use (a wildcard host is reached as 127.0.0.1) and a close that also drops keep-alive sockets.
export async function serve(app: RequestListener, options: ServeOptions = {}): Promise<Serving> {
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, app) : createHttpServer(app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${publicHost(host)}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Drop keep-alive sockets too, or close() waits for clients to hang up.
        server.closeAllConnections();
      }),
  };
}

export function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
