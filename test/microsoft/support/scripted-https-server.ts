import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
// The certificate module only, not the emulator's index: these tests do not need the emulator itself.
import { ensureCertificateAuthority, issueServerCertificate } from '../../../libs/microsoft-emulator/src/tls/certificate-authority';

// The CA that NODE_EXTRA_CA_CERTS points at in the test command.
const TEST_CA_DIR = join(__dirname, '..', '..', '..', '.data', 'test');
const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'microsoft');

export interface ScriptedResponse {
  status?: number; // default 200
  headers?: Record<string, string>;
  json?: unknown; // sent as application/json
  body?: string; // sent verbatim (a fixture, HTML, or '' for an empty body)
  reset?: boolean; // destroy the connection without answering
  hang?: boolean; // never answer (the client's timeout fires)
}

export interface RecordedRequest {
  method: string;
  url: URL;
  pathAndQuery: string; // exactly as received on the request line
  headers: Record<string, string>; // lower-case names
  body: string;
}

export type Script = ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse);

// A local https server that plays scripted answers per route and records every request it gets.
// Each route plays its scripts in order and repeats the last one.
export class ScriptedHttpsServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, { scripts: Script[]; next: number }>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  // caDir: another CA than the trusted test CA, to play a server whose certificate is not trusted.
  static async start(options: { caDir?: string } = {}): Promise<ScriptedHttpsServer> {
    const ca = ensureCertificateAuthority(options.caDir ?? TEST_CA_DIR);
    const tls = issueServerCertificate(ca, ['127.0.0.1', 'localhost']);
    // eslint-disable-next-line prefer-const -- the request handler closes over it before the server object exists
    let scripted: ScriptedHttpsServer | undefined;
    const server = createServer({ key: tls.keyPem, cert: tls.certPem + ca.certPem }, (req, res) => void scripted!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted = new ScriptedHttpsServer(server, `https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return scripted;
  }

  // route: "GET /v1/customers" (method and path, no query)
  script(route: string, ...scripts: Script[]): void {
    this.routes.set(route, { scripts, next: 0 });
  }

  requestsTo(route: string): RecordedRequest[] {
    const [method, path] = route.split(' ');
    return this.requests.filter((request) => request.method === method && request.url.pathname === path);
  }

  reset(): void {
    this.routes.clear();
    this.requests.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', this.url),
      pathAndQuery: req.url ?? '/',
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);

    const route = this.routes.get(`${request.method} ${request.url.pathname}`);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NoScript', message: `No script for ${request.method} ${request.url.pathname}` } }));
      return;
    }
    const script = route.scripts[Math.min(route.next, route.scripts.length - 1)];
    route.next++;
    const answer = typeof script === 'function' ? script(request) : script;
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    if (answer.hang) return;
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    const contentType = answer.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {};
    res.writeHead(answer.status ?? 200, { ...contentType, ...answer.headers }).end(body);
  }
}

// Microsoft's sample bodies, byte for byte.
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function fixtureResponse(name: string, status = 200, headers: Record<string, string> = {}): ScriptedResponse {
  return { status, body: fixtureText(name), headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

// The fake clock of the retry tests: records each wait and returns at once.
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
