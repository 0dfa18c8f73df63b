import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { injectFaults as injectFaultRules, retryAfterHeaders } from '../../../emulator-kit/src';
import type { ApiUser } from '../scenario/scenario';
import type { AutotaskState } from '../state/autotask-state';
import { sendErrors } from './autotask-errors';

declare module 'express-serve-static-core' {
  interface Request {
    apiUser?: ApiUser;
  }
}

// The path after /ATServicesRest, e.g. /V1.0/Companies/query.
export function apiPath(req: Request): string {
  return req.originalUrl.split('?')[0].replace(/^\/ATServicesRest/i, '');
}

// Fault injection first: a fault plays the gateway or Autotask failing whatever the credentials.
export function injectFaults(state: AutotaskState): RequestHandler {
  return injectFaultRules({
    take: (req) => state.faults.take(req.method, apiPath(req)),
    send: (_req, res, rule) => {
      const status = rule.status ?? 500;
      res.set(retryAfterHeaders(rule));
      sendErrors(res, status, rule.message ?? defaultFaultMessage(status));
    },
  });
}

function defaultFaultMessage(status: number): string {
  if (status === 401) return 'Unauthorized: the API credentials were not accepted.';
  if (status === 403) return 'The logged in resource does not have permission to perform this action.';
  if (status === 404) return 'The requested resource was not found.';
  if (status === 429) return 'API request threshold exceeded. Try again later.';
  return 'An unexpected error occurred while processing the request.';
}

// The three headers [ATSW]. Documented refusals (apigrate/autotask-restapi#19): an unknown user name or tracking
// identifier answers 500, a wrong secret 401. Missing headers answer 401 (assumed). With authRefusal "notFound"
// every refusal is a 404.
export function authenticate(state: AutotaskState): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const userName = req.get('UserName') ?? '';
    const secret = req.get('Secret') ?? '';
    const integrationCode = req.get('ApiIntegrationCode') ?? '';
    const refuse = (status: number, message: string) => sendErrors(res, state.settings.authRefusal === 'notFound' ? 404 : status, message);
    if (!userName || !secret || !integrationCode)
      return refuse(401, 'Missing authentication headers: ApiIntegrationCode, UserName and Secret are required.');
    const user = state.apiUser(userName);
    if (!user) return refuse(500, `The user name "${userName}" is not an API user of this database.`);
    if (user.integrationCode !== integrationCode)
      return refuse(500, 'The API tracking identifier (ApiIntegrationCode) is not valid for this user.');
    if (user.secret !== secret) return refuse(401, 'Unauthorized: the user name or secret is not valid.');
    req.apiUser = user;
    next();
  };
}

// The database's hourly threshold [ATTHR][ATLIM]: a request over it answers 429 (the status Autotask uses is not
// documented; the issue names 429) and is not counted; below it, counted, with the latency Autotask adds as usage
// climbs. ThresholdInformation counts too but is never refused (both assumed).
export function enforceThreshold(state: AutotaskState): RequestHandler {
  return async (req, res, next) => {
    const used = state.usageCount();
    const { threshold, timeframeMinutes } = state.settings;
    // ThresholdInformation stays answerable over the threshold (assumed: it is how integrations see when to resume).
    const monitoring = /\/ThresholdInformation$/i.test(apiPath(req));
    if (used >= threshold && !monitoring) {
      return sendErrors(
        res,
        429,
        `API request threshold exceeded: this Autotask database has made ${used} of the ${threshold} requests allowed per ${timeframeMinutes} minutes. Try again later.`,
      );
    }
    state.countRequest();
    const step = [...state.settings.usageLatency]
      .sort((a, b) => b.fromFraction - a.fromFraction)
      .find((candidate) => used + 1 >= candidate.fromFraction * threshold);
    if (step && step.ms > 0) await new Promise((resolve) => setTimeout(resolve, step.ms));
    next();
  };
}

export function requireWrite(state: AutotaskState): RequestHandler {
  return (req, res, next) => {
    if (req.apiUser?.permissions === 'readOnly') {
      state.record({
        method: req.method,
        path: apiPath(req),
        entity: entityOfPath(apiPath(req)),
        userName: req.apiUser.userName,
        status: 403,
        body: req.body,
        errors: ['forbidden'],
      });
      return sendErrors(res, 403, 'The logged in resource does not have the security level needed to create or edit this entity.');
    }
    next();
  };
}

export function entityOfPath(path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments[1]?.toLowerCase() === 'contracts' && segments[3])
    return segments[3].toLowerCase() === 'services'
      ? 'ContractServices'
      : segments[3].toLowerCase() === 'serviceadjustments'
        ? 'ContractServiceAdjustments'
        : segments[3];
  return segments[1] ?? '';
}
