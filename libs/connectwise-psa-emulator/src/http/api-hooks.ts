import type { RequestHandler } from 'express';
import { delay, injectFaults as injectFaultRules, retryAfterHeaders } from '../../../emulator-kit/src';
import { journal } from './journal-write';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { CW_ERRORS, sendFrom } from './cw-error';
import type { FaultRule } from './fault-registry';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Before the API routes: request counting, configured latency, injected faults.
export function countAndDelay(state: ConnectWiseEmulatorState, apiPath: (path: string) => string): RequestHandler {
  return async (req, _res, next) => {
    req.cwApiPath = apiPath(req.path);
    const key = `${req.method} ${req.cwApiPath.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
    state.requestCounts.set(key, (state.requestCounts.get(key) ?? 0) + 1);
    if (state.settings.latencyMs > 0) await delay(state.settings.latencyMs);
    next();
  };
}

export function injectFaults(state: ConnectWiseEmulatorState): RequestHandler {
  return injectFaultRules({
    take: (req) => state.faults.take(req.method, req.cwApiPath ?? req.path),
    onFault: (req, rule) => {
      if (WRITES.has(req.method)) journal(state, req, rule.kind === 'reset' ? 0 : statusOf(rule), 'faulted', {});
    },
    send: (_req, res, rule) => (rule.kind === 'badAuth404' ? sendFrom(res, CW_ERRORS.badCredentialsCloud) : sendStatusFault(res, rule)),
  });
}

function statusOf(rule: FaultRule): number {
  return rule.kind === 'badAuth404' ? 404 : (rule.status ?? 500);
}

function sendStatusFault(res: Parameters<RequestHandler>[1], rule: FaultRule): void {
  const status = rule.status ?? 500;
  const retryAfter = rule.retryAfterSeconds;
  const headers = retryAfterHeaders(rule);
  if (status === 429) return sendFrom(res, CW_ERRORS.throttled(retryAfter ?? 5), { 'Retry-After': String(retryAfter ?? 5) });
  if (status === 401) return sendFrom(res, CW_ERRORS.badCredentials, headers);
  if (status === 403) return sendFrom(res, CW_ERRORS.forbidden('this resource'), headers);
  if (status === 404) return sendFrom(res, CW_ERRORS.routeNotFound, headers);
  if (status >= 500) return sendFrom(res, { ...CW_ERRORS.server, status }, headers);
  sendFrom(res, CW_ERRORS.badRequest('The request is invalid.'), headers);
}

// After authentication: the API member's sliding window (429 + Retry-After).
export function rateLimit(state: ConnectWiseEmulatorState): RequestHandler {
  return (req, res, next) => {
    const limit = state.settings.rateLimit;
    if (!limit) return next();
    const decision = state.limiter.take(req.cwMember?.publicKey ?? 'anonymous', limit, state.now());
    if (decision.ok) return next();
    if (WRITES.has(req.method)) journal(state, req, 429, 'faulted', {});
    sendFrom(res, CW_ERRORS.throttled(decision.retryAfterSeconds), { 'Retry-After': String(decision.retryAfterSeconds) });
  };
}
