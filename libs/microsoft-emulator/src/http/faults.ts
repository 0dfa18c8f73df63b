import type { Request, RequestHandler, Response } from 'express';
import { injectFaults as injectFaultRules, retryAfterHeaders } from '../../../emulator-kit/src';
import { graphErrorFor, sendGraphError, sendGraphThrottled } from '../graph/graph-error';
import { sendAadJsonError } from '../identity/aad-error';
import { applyPartnerCenterHeaders, faultForStatus, sendApiFault, sendPartnerCenterThrottled } from '../partner-center/api-fault';
import type { EmulatorState } from '../state/emulator-state';
import type { FaultRule } from './fault-registry';

// A route hook: runs after the route matched, before its handlers.
export function injectFaults(state: EmulatorState): RequestHandler {
  return injectFaultRules({
    take: (req) => state.faults.take(req.method, req.path, req),
    send: (req, res, rule) => sendStatusFault(state, req, res, rule),
  });
}

function sendStatusFault(state: EmulatorState, req: Request, res: Response, rule: FaultRule): void {
  const status = rule.status ?? 500;
  const retryAfter = rule.retryAfterSeconds;
  const headers = retryAfterHeaders(rule);
  if (req.path.startsWith('/v1/')) {
    applyPartnerCenterHeaders(req, res);
    if (status === 429) return sendPartnerCenterThrottled(req, res, retryAfter ?? 60);
    return sendApiFault(req, res, faultForStatus(status), headers);
  }
  if (req.path.startsWith('/v1.0/') || req.path.startsWith('/oidc/')) {
    if (status === 429) return sendGraphThrottled(state, req, res, retryAfter);
    const [code, message] = graphErrorFor(status);
    return sendGraphError(state, req, res, status, code, message, headers);
  }
  res.set(headers);
  const [error, code, message] = aadFailureFor(status);
  sendAadJsonError(state, req, res, { status, error, code, message });
}

function aadFailureFor(status: number): [string, number, string] {
  if (status === 429 || status === 503) return ['temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'];
  if (status >= 500) return ['server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.'];
  if (status === 401) return ['invalid_client', 7000215, 'Invalid client secret provided.'];
  return ['invalid_request', 90014, 'The request is not valid.'];
}
