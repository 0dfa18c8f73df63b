import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorState } from '../state/emulator-state';

export interface AadErrorContext {
  traceId: string;
  correlationId: string;
  timestamp: string; // "2016-01-09 02:02:12Z", Microsoft's format
}

interface EntraRequestIds {
  requestId: string; // x-ms-request-id; the "Trace ID" of error bodies and pages
  correlationId: string;
  clientRequestId?: string; // what the caller sent, when it was a GUID
}

const GUID = /^[0-9a-f-]{36}$/i;
const idsByRequest = new WeakMap<Request, EntraRequestIds>();

// One set of ids per request, so the x-ms-request-id header and the body's trace_id agree (captured Entra
// responses carry the same value in both).
function entraRequestIds(req: Request): EntraRequestIds {
  let ids = idsByRequest.get(req);
  if (!ids) {
    const clientRequestId = callerRequestId(req);
    ids = { requestId: randomUUID(), correlationId: clientRequestId ?? randomUUID(), clientRequestId };
    idsByRequest.set(req, ids);
  }
  return ids;
}

// eSTS reads client-request-id from the header or the query string, never the body (MSAL.js PR #7385 moved it
// to the query of /token for that reason). Which wins when both are sent is undocumented for Entra: the header.
function callerRequestId(req: Request): string | undefined {
  const header = req.get('client-request-id');
  if (header && GUID.test(header)) return header;
  const query = req.query['client-request-id'];
  return typeof query === 'string' && GUID.test(query) ? query : undefined;
}

// Entra's response headers: x-ms-request-id always; the caller's client-request-id only when it asked with
// `return-client-request-id: true` (ADAL and MSAL.NET ask and check the echo; MSAL.js does not ask and
// recorded Entra answers to it carry none).
export function setEntraResponseHeaders(req: Request, res: Response): void {
  const ids = entraRequestIds(req);
  res.set('x-ms-request-id', ids.requestId);
  if (ids.clientRequestId && /^true$/i.test(req.get('return-client-request-id') ?? '')) res.set('client-request-id', ids.clientRequestId);
}

export function aadErrorContext(state: EmulatorState, req: Request): AadErrorContext {
  const ids = entraRequestIds(req);
  return {
    traceId: ids.requestId,
    // Entra echoes the caller's client-request-id as the correlation id.
    correlationId: ids.correlationId,
    timestamp: new Date(state.now())
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z'),
  };
}

export function aadErrorDescription(code: number, message: string, context: AadErrorContext): string {
  return `AADSTS${code}: ${message}\r\nTrace ID: ${context.traceId}\r\nCorrelation ID: ${context.correlationId}\r\nTimestamp: ${context.timestamp}`;
}

export interface AadJsonError {
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

// The JSON error body of the token and discovery endpoints (payloads/aad-token-error-invalid_scope.json).
export function sendAadJsonError(state: EmulatorState, req: Request, res: Response, failure: AadJsonError): void {
  const context = aadErrorContext(state, req);
  setEntraResponseHeaders(req, res);
  res
    .status(failure.status)
    .set('Cache-Control', 'no-store, no-cache')
    .set('Pragma', 'no-cache')
    .json({
      error: failure.error,
      error_description: aadErrorDescription(failure.code, failure.message, context),
      error_codes: [failure.code],
      timestamp: context.timestamp,
      trace_id: context.traceId,
      correlation_id: context.correlationId,
      error_uri: `${state.baseUrl}/error?code=${failure.code}`,
      ...(failure.suberror ? { suberror: failure.suberror } : {}),
    });
}
