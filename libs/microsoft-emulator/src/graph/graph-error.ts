import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorState } from '../state/emulator-state';

// Graph's error envelope (learn.microsoft.com/graph/errors).
export function sendGraphError(
  state: EmulatorState,
  req: Request,
  res: Response,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const { requestId, clientRequestId } = graphRequestIds(req, res);
  if (status === 401) {
    res.set(
      'WWW-Authenticate',
      `Bearer realm="", authorization_uri="${state.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    );
  }
  res
    .status(status)
    .set(extraHeaders)
    .json({
      error: {
        code,
        message,
        innerError: { date: graphDate(state), 'request-id': requestId, 'client-request-id': clientRequestId },
      },
    });
}

// payloads/graph-error-429-throttled.json; Retry-After is left out when the caller passes undefined
// (throttling.md: some 429s come without it).
export function sendGraphThrottled(state: EmulatorState, req: Request, res: Response, retryAfterSeconds: number | undefined): void {
  const { requestId } = graphRequestIds(req, res);
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  res.status(429).json({
    error: {
      code: 'TooManyRequests',
      innerError: { code: '429', date: graphDate(state), message: 'Please retry after', 'request-id': requestId, status: '429' },
      message: 'Please retry again later.',
    },
  });
}

const CODES: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad request.'],
  401: ['InvalidAuthenticationToken', 'Access token validation failure.'],
  403: ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'],
  404: ['Request_ResourceNotFound', 'Resource not found.'],
  409: ['Conflict', 'Conflict.'],
  500: ['InternalServerError', 'An internal server error occurred.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable.'],
  504: ['GatewayTimeout', 'Gateway timeout.'],
};

export function graphErrorFor(status: number): [string, string] {
  return (
    CODES[status] ?? (status >= 500 ? ['InternalServerError', 'An internal server error occurred.'] : ['BadRequest', 'Request failed.'])
  );
}

function graphRequestIds(req: Request, res: Response): { requestId: string; clientRequestId: string } {
  const requestId = randomUUID();
  const clientRequestId = req.get('client-request-id') ?? requestId;
  res.set('request-id', requestId).set('client-request-id', clientRequestId);
  return { requestId, clientRequestId };
}

// Graph prints the date without fraction or zone: "2020-08-18T12:51:51".
function graphDate(state: EmulatorState): string {
  return new Date(state.now()).toISOString().replace(/\.\d+Z$/, '');
}
