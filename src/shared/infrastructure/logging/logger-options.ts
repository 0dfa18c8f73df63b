import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

// Query parameters that carry credentials or one-time secrets in OAuth redirects; never written to a log. API keys
// belong in the Authorization header, but a client that puts one in the URL must not get it logged either.
const SECRET_QUERY_PARAMS =
  /^(code|state|id_token|access_token|refresh_token|client_secret|session_state|code_verifier|_csrf|api[_-]?key)$/i;

const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'access_token',
  'refresh_token',
  'client_secret',
  'id_token',
  'clearKey',
  'apiKey',
  'api_key',
];

export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const key of [...params.keys()]) if (SECRET_QUERY_PARAMS.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

// Structured JSON logs. Requests are logged by id, method, redacted URL and status only: no headers (cookies,
// Authorization), no bodies, so no token, secret or authorization code can reach the log.
export function loggerOptions(level: string, destination?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level,
        genReqId: (request: IncomingMessage, response: ServerResponse) => {
          const incoming = request.headers['x-request-id'];
          const id = typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
          response.setHeader('x-request-id', id);
          return id;
        },
        serializers: {
          req: (request: { id: string; method: string; url: string }) => ({
            id: request.id,
            method: request.method,
            url: redactUrl(request.url),
          }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          // Only what explains an error: drivers attach whole clients (connection settings) to their errors.
          err: (error: Error & { code?: unknown; status?: unknown }) => ({
            type: error.name,
            message: error.message,
            code: error.code,
            status: error.status,
            stack: error.stack,
          }),
        },
        // A last line of defence should a secret ever be passed to a log call by name.
        redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[redacted]' },
        autoLogging: { ignore: (request: IncomingMessage) => request.url?.startsWith('/assets/') === true },
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
          error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      },
      destination as DestinationStream,
    ].filter(Boolean) as Params['pinoHttp'],
  };
}
