import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorState } from '../state/emulator-state';

export interface AadErrorContext {
  traceId: string;
  correlationId: string;
  timestamp: string; // "2016-01-09 02:02:12Z", Microsoft's format
}

export function aadErrorContext(state: EmulatorState, req: Request): AadErrorContext {
  const clientRequestId = req.get('client-request-id');
  return {
    traceId: randomUUID(),
    // Entra echoes the caller's client-request-id as the correlation id.
    correlationId: clientRequestId && /^[0-9a-f-]{36}$/i.test(clientRequestId) ? clientRequestId : randomUUID(),
    timestamp: new Date(state.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
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
