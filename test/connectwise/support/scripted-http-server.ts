import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'connectwise');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  pathAndQuery: string;
  headers: Record<string, string>;
  body: string;
}

export type Script = ScriptedResponse | ((request: RecordedRequest, server: ScriptedHttpServer) => ScriptedResponse);

// A local http server playing scripted answers per "METHOD /path" (no query), recording every request. Each route
// plays its scripts in order and repeats the last one.
export class ScriptedHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, { scripts: Script[]; next: number }>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ScriptedHttpServer> {
    let scripted: ScriptedHttpServer | undefined;
    const server = createServer((req, res) => void scripted!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted = new ScriptedHttpServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return scripted;
  }

  script(route: string, ...scripts: Script[]): void {
    this.routes.set(route, { scripts, next: 0 });
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
    const url = new URL(req.url ?? '/', this.url);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
    const request: RecordedRequest = { method: req.method ?? 'GET', url, pathAndQuery: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(request);
    const route = this.routes.get(`${request.method} ${url.pathname}`);
    if (!route) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end(`no script for ${request.method} ${url.pathname}`);
      return;
    }
    const script = route.scripts[Math.min(route.next, route.scripts.length - 1)];
    route.next += 1;
    const answer = typeof script === 'function' ? script(request, this) : script;
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    res.writeHead(answer.status ?? 200, { ...(answer.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...answer.headers });
    res.end(body);
  }
}

export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
