import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

// The scripted servers of the wire clients' contract tests (test/microsoft, test/connectwise, test/emulator's
// Autotask): a local http or https server playing scripted answers per "METHOD /path" (no query), recording every
// request. Each route plays its scripts in order and repeats the last one.

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

export type Script = ScriptedResponse | ((request: RecordedRequest, server: ScriptedServer) => ScriptedResponse);

export interface ScriptedServerOptions {
  tls?: { key: string; cert: string }; // PEM; omitted = plain http
  caseInsensitiveRoutes?: boolean; // Autotask's paths are case-insensitive
  jsonContentType?: 'json-answers' | 'always'; // default: only answers given as `json` say application/json
  unscripted: (request: RecordedRequest) => ScriptedResponse; // the answer to a route without a script
}

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, { scripts: Script[]; next: number }>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: ScriptedServerOptions,
  ) {}

  static async start(options: ScriptedServerOptions): Promise<ScriptedServer> {
    // eslint-disable-next-line prefer-const -- the request handler closes over it before the server object exists
    let scripted: ScriptedServer | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => void scripted!.handle(req, res);
    const server: Server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted = new ScriptedServer(
      server,
      `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
      options,
    );
    return scripted;
  }

  // route: "GET /v1/customers" (method and path, no query)
  script(route: string, ...scripts: Script[]): void {
    this.routes.set(this.routeKey(route), { scripts, next: 0 });
  }

  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter((request) => this.routeKey(`${request.method} ${request.url.pathname}`) === this.routeKey(route));
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

  private routeKey(route: string): string {
    return this.options.caseInsensitiveRoutes ? route.toLowerCase() : route;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', this.url),
      pathAndQuery: req.url ?? '/',
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
      ),
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    const route = this.routes.get(this.routeKey(`${request.method} ${request.url.pathname}`));
    let answer: ScriptedResponse;
    if (route) {
      const script = route.scripts[Math.min(route.next, route.scripts.length - 1)];
      route.next++;
      answer = typeof script === 'function' ? script(request, this) : script;
    } else {
      answer = this.options.unscripted(request);
    }
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    if (answer.hang) return;
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    const json = answer.json !== undefined || this.options.jsonContentType === 'always';
    res
      .writeHead(answer.status ?? 200, { ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...answer.headers })
      .end(body);
  }
}

// The fake clock of retry tests: records each wait, returns at once, and can run a side effect (move an emulator's
// clock) so time "passes" without a timer.
export function recordingSleep(onSleep?: (ms: number) => void): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
      onSleep?.(ms);
    },
  };
}
