import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorState } from '../state/emulator-state';

// Graph's error envelope (learn.microsoft.com/graph/errors).
export function sendGraphError(state: EmulatorState, req: Request, res: Response, status: number, code: string, message: string): void {
  const requestId = randomUUID();
  const clientRequestId = req.get('client-request-id') ?? requestId;
  if (status === 401) {
    res.set(
      'WWW-Authenticate',
      `Bearer realm="", authorization_uri="${state.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    );
  }
  res
    .status(status)
    .set('request-id', requestId)
    .set('client-request-id', clientRequestId)
    .json({
      error: {
        code,
        message,
        innerError: {
          date: new Date(state.now()).toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    });
}
