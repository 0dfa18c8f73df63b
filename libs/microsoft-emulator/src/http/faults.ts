import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { graphErrorFor, sendGraphError, sendGraphThrottled } from '../graph/graph-error';
import { sendAadJsonError } from '../identity/aad-error';
import { decodeJwt } from '../identity/jwt';
import { applyPartnerCenterHeaders, faultForStatus, sendApiFault, sendPartnerCenterThrottled } from '../partner-center/api-fault';
import type { EmulatorState } from '../state/emulator-state';

export type FaultKind = 'status' | 'reset' | 'malformed' | 'latency';

// A rule of POST /__emulator/faults: which requests it hits and what happens to them.
export interface FaultRule {
  id: string;
  method: string; // GET, POST... or *
  path: string; // glob over the request path: * = one segment, ** = any number
  customerId?: string; // only requests about this customer (in the path, the token's tid, or the {tenant})
  kind: FaultKind;
  status?: number; // kind status: the HTTP status, answered with the service's own error body
  retryAfterSeconds?: number;
  latencyMs?: number; // delay before the fault (or, for kind latency, before the normal answer)
  remaining?: number; // count left; absent = until cleared
  hits: number;
}

export class FaultRegistry {
  private rules: (FaultRule & { pattern: RegExp })[] = [];

  add(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] } {
    const parsed = parseRule(input);
    if (!parsed.ok) return parsed;
    this.rules.push({ ...parsed.rule, pattern: globToRegExp(parsed.rule.path) });
    return parsed;
  }

  list(): FaultRule[] {
    return this.rules.map(({ pattern: _pattern, ...rule }) => rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  // The first matching rule, counted down (and dropped once its count is used up).
  take(req: Request): FaultRule | undefined {
    const index = this.rules.findIndex((rule) => matches(rule, req));
    if (index === -1) return undefined;
    const rule = this.rules[index];
    rule.hits += 1;
    if (rule.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules.splice(index, 1);
    }
    const { pattern: _pattern, ...copy } = rule;
    return copy;
  }
}

// A route hook: runs after the route matched, before its handlers.
export function injectFaults(state: EmulatorState): RequestHandler {
  return async (req, res, next) => {
    const rule = state.faults.take(req);
    if (!rule) return next();
    if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
    switch (rule.kind) {
      case 'latency':
        return next();
      case 'reset':
        // Like a dropped connection: no status line at all.
        req.socket.destroy();
        return;
      case 'malformed':
        sendTruncatedBodies(res);
        return next();
      case 'status':
        return sendStatusFault(state, req, res, rule);
    }
  };
}

// A 200 whose JSON body stops halfway, whatever the handler meant to answer.
function sendTruncatedBodies(res: Response): void {
  const send = res.send.bind(res);
  res.json = (body: unknown) => {
    const text = JSON.stringify(body) ?? '';
    res.status(200).type('application/json; charset=utf-8');
    return send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  };
}

function sendStatusFault(state: EmulatorState, req: Request, res: Response, rule: FaultRule): void {
  const status = rule.status ?? 500;
  const retryAfter = rule.retryAfterSeconds;
  const headers: Record<string, string> = retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
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

function matches(rule: FaultRule & { pattern: RegExp }, req: Request): boolean {
  if (rule.method !== '*' && rule.method !== req.method) return false;
  if (!rule.pattern.test(req.path)) return false;
  if (!rule.customerId) return true;
  const wanted = rule.customerId.toLowerCase();
  if (req.path.toLowerCase().split('/').includes(wanted)) return true;
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const tid = token ? decodeJwt(token)?.claims.tid : undefined;
  return typeof tid === 'string' && tid.toLowerCase() === wanted;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => part.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

function parseRule(input: unknown): { ok: true; rule: FaultRule } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['A fault must be a JSON object.'] };
  const body = input as Record<string, unknown>;
  const known = ['method', 'path', 'customerId', 'kind', 'status', 'count', 'retryAfterSeconds', 'latencyMs'];
  for (const name of Object.keys(body)) if (!known.includes(name)) errors.push(`Unknown field "${name}".`);
  const method = body.method === undefined ? '*' : String(body.method).toUpperCase();
  if (typeof body.path !== 'string' || !body.path.startsWith('/')) errors.push('"path" must be a path glob starting with "/", e.g. "/v1/customers/*/subscribedskus".');
  if (body.customerId !== undefined && typeof body.customerId !== 'string') errors.push('"customerId" must be a string.');
  const status = body.status;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)) errors.push('"status" must be an HTTP error status (400-599).');
  const kinds: FaultKind[] = ['status', 'reset', 'malformed', 'latency'];
  const kind = (body.kind ?? (status !== undefined ? 'status' : body.latencyMs !== undefined ? 'latency' : undefined)) as FaultKind | undefined;
  if (!kind || !kinds.includes(kind)) errors.push(`"kind" must be one of ${kinds.join(', ')} (or give "status" or "latencyMs").`);
  for (const name of ['count', 'retryAfterSeconds', 'latencyMs'] as const) {
    const value = body[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < (name === 'count' ? 1 : 0))) {
      errors.push(`"${name}" must be a ${name === 'count' ? 'positive' : 'non-negative'} integer.`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      id: randomUUID(),
      method,
      path: body.path as string,
      ...(body.customerId ? { customerId: body.customerId as string } : {}),
      kind: kind!,
      ...(status !== undefined ? { status: status as number } : {}),
      ...(body.retryAfterSeconds !== undefined ? { retryAfterSeconds: body.retryAfterSeconds as number } : {}),
      ...(body.latencyMs !== undefined ? { latencyMs: body.latencyMs as number } : {}),
      ...(body.count !== undefined ? { remaining: body.count as number } : {}),
      hits: 0,
    },
  };
}
