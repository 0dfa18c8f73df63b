import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '../../domain/domain-error';
import { ProblemResponse } from './problem.dto';
import type { ActingParty } from '../../application/actor';

// The partner API (/api/v1): partners' systems call it with an API key (Authorization: Bearer <key>) limited to
// the key's scopes; the dashboard's own pages call it with the signed-in session, which holds every scope.
export const API_SCOPES = ['read:tenants', 'read:licenses', 'read:reconciliation', 'write:sync', 'read:billing', 'write:billing'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  'read:tenants': 'Customer tenants, their GDAP status and the delegated admins',
  'read:licenses': 'Licences and subscriptions of every tenant',
  'read:reconciliation': 'Reconciliation runs, changes, discrepancies and month-end snapshots',
  'write:sync': 'Start imports (re-read every tenant from Microsoft)',
  'read:billing': 'Billing profiles, company mapping, the invoice preview, approvals and month-end billing snapshots',
  'write:billing': 'Change billing profiles, settings and mappings, decide approvals and freeze month-end snapshots',
};

// Who is calling a partner API route; every query it makes is scoped to `organizationId`.
export interface ApiCaller {
  organizationId: string;
  scopes: readonly ApiScope[];
  via: 'api-key' | 'session';
  apiKeyId: string | null;
  userId: string | null;
  // The key's name or the staff user's, for audit entries.
  name: string;
}

export type RequestWithApiCaller = Request & { apiCaller?: ApiCaller };

// The caller as audit entries and histories name it.
export function callerParty(caller: ApiCaller): ActingParty {
  return {
    organizationId: caller.organizationId,
    userId: caller.userId,
    name: caller.via === 'api-key' ? `API key “${caller.name}”` : caller.name,
  };
}

export const PARTNER_API_SCOPE = 'sync365:partner-api-scope';

// Marks a partner API route and the scope it needs. The request guard authenticates the caller, checks the
// scope and the key's rate limit; the OpenAPI document names the security schemes and the errors they bring.
export const PartnerApi = (scope: ApiScope) =>
  applyDecorators(
    SetMetadata(PARTNER_API_SCOPE, scope),
    ApiBearerAuth('api-key'),
    ApiCookieAuth('session'),
    ApiUnauthorizedResponse({ type: ProblemResponse, description: 'No API key, or an unknown or revoked one (code API.UNAUTHENTICATED).' }),
    ApiForbiddenResponse({ type: ProblemResponse, description: `The API key lacks the scope ${scope} (code API.SCOPE_FORBIDDEN).` }),
    ApiTooManyRequestsResponse({
      type: ProblemResponse,
      description: "The API key's rate limit was reached (code API.RATE_LIMITED); Retry-After says when to try again.",
    }),
  );

export const CurrentApiCaller = createParamDecorator((_: unknown, context: ExecutionContext): ApiCaller => {
  const caller = context.switchToHttp().getRequest<RequestWithApiCaller>().apiCaller;
  if (!caller) throw new Error('CurrentApiCaller used on a route without @PartnerApi()');
  return caller;
});

// A query or body value the API cannot use: 400, naming the field.
export class InvalidParameterError extends DomainError {
  readonly code = 'API.INVALID_PARAMETER';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, `Correct the ${field} parameter; the API reference at /api/docs lists what it accepts.`);
  }
}

// The credential of an `Authorization: Bearer <credential>` header, if the request has one (never Basic, which a
// browser may add by itself).
export function bearerCredential(request: Request): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.get('authorization') ?? '');
  return match?.[1];
}
