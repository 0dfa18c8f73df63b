import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AUTOTASK_DEMO_CREDENTIALS } from '../../../libs/autotask-emulator/src';

const FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'autotask');

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string; // sent verbatim
  json?: unknown;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

type Script = ScriptedAnswer | ((request: RecordedRequest) => ScriptedAnswer);

// A local http server playing scripted answers per "METHOD /path" (case-insensitive path), recording every request.
// Each route plays its scripts in order and repeats the last.
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
    this.routes.set(route.toLowerCase(), { scripts, next: 0 });
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
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', this.url),
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')])),
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    const route = this.routes.get(`${request.method} ${request.url.pathname}`.toLowerCase());
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [`No script for ${request.method} ${request.url.pathname}`] }));
      return;
    }
    const script = route.scripts[Math.min(route.next, route.scripts.length - 1)];
    route.next++;
    const answer = typeof script === 'function' ? script(request) : script;
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers }).end(body);
  }
}

export function autotaskFixture(name: string, origin?: string): string {
  const text = readFileSync(join(FIXTURES_DIR, name), 'utf8');
  return origin ? text.replaceAll('{{origin}}', origin) : text;
}

export function fixtureAnswer(name: string, status = 200, origin?: string, headers: Record<string, string> = {}): ScriptedAnswer {
  return { status, body: autotaskFixture(name, origin), headers };
}

// The fake clock of retry and limiter tests: records each wait, returns at once, and can run a side effect (move the
// emulator's clock) so time "passes" without a timer.
export function fakeSleep(onSleep?: (ms: number) => void): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      onSleep?.(ms);
    },
  };
}

export const DEMO = AUTOTASK_DEMO_CREDENTIALS;

// A raw call to the emulator with the demo user's headers (or others), for fidelity tests.
export async function callAutotask(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string | undefined> } = {},
): Promise<{ status: number; body: any; headers: Headers; text: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth: Record<string, string | undefined> = { ApiIntegrationCode: DEMO.integrationCode, UserName: DEMO.userName, Secret: DEMO.secret, ...init.headers };
  for (const [name, value] of Object.entries(auth)) if (value !== undefined) headers[name] = value;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path.startsWith('http') ? path : `${baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, headers: response.headers, text };
}
