import type { RequestHandler } from 'express';
import { journal } from './journal-write';
import type { ConnectWiseEmulatorState } from '../state/emulator-state';
import { CW_ERRORS, sendFrom } from './cw-error';
import type { FaultRule } from './fault-registry';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Unref'd: a delayed answer nobody waits for any more must not keep a test process alive.
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

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
  return async (req, res, next) => {
    const rule = state.faults.take(req.method, req.cwApiPath ?? req.path);
    if (!rule) return next();
    if (rule.latencyMs) await delay(rule.latencyMs);
    if (rule.kind === 'latency') return next();
    if (WRITES.has(req.method)) journal(state, req, rule.kind === 'reset' ? 0 : statusOf(rule), 'faulted', {});
    if (rule.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (rule.kind === 'badAuth404') return sendFrom(res, CW_ERRORS.badCredentialsCloud);
    sendStatusFault(res, rule);
  };
}

function statusOf(rule: FaultRule): number {
  return rule.kind === 'badAuth404' ? 404 : (rule.status ?? 500);
}

function sendStatusFault(res: Parameters<RequestHandler>[1], rule: FaultRule): void {
  const status = rule.status ?? 500;
  const retryAfter = rule.retryAfterSeconds;
  const headers: Record<string, string> = retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
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
