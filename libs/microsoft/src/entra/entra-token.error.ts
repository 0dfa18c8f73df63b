import { parseJson, parseRetryAfter } from '../../../http-kit/src';
import { describeStatus } from '../http/error-body';
import type { ErrorDetails } from '../http/http.types';
import { MicrosoftApiError, SERVICE_NAMES, type MicrosoftApiErrorInit } from '../http/microsoft-api.error';

export interface EntraTokenErrorInit extends MicrosoftApiErrorInit {
  aadstsCodes: number[];
  suberror?: string;
  traceId?: string;
  timestamp?: string;
  errorUri?: string;
  claims?: string;
}

// A refusal from the token endpoint. Branch on `error` and `aadstsCodes` (AADSTS700082: refresh token expired
// by inactivity, 65001: consent missing, 50076: MFA required …), never on the description (FACTS §1.5).
// `correlationId` is Entra's correlation_id, `requestId` the client-request-id we sent.
export class EntraTokenError extends MicrosoftApiError {
  readonly aadstsCodes: number[];
  readonly suberror?: string;
  readonly traceId?: string;
  readonly timestamp?: string;
  readonly errorUri?: string;
  readonly claims?: string;

  constructor(init: EntraTokenErrorInit) {
    super(init);
    this.name = 'EntraTokenError';
    this.aadstsCodes = init.aadstsCodes;
    this.suberror = init.suberror;
    this.traceId = init.traceId;
    this.timestamp = init.timestamp;
    this.errorUri = init.errorUri;
    this.claims = init.claims;
  }

  // OAuth's `error` value, e.g. invalid_grant (the same as `code`).
  get error(): string {
    return this.code;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export function aadstsCodesOf(body: { error_codes?: unknown; error_description?: unknown }): number[] {
  const codes: number[] = [];
  const add = (value: unknown) => {
    const code = Number(value);
    if (Number.isInteger(code) && code > 0 && !codes.includes(code)) codes.push(code);
  };
  if (Array.isArray(body.error_codes)) body.error_codes.forEach(add);
  for (const match of text(body.error_description)?.matchAll(/AADSTS(\d+)/g) ?? []) add(match[1]);
  return codes;
}

export function createEntraTokenError(details: ErrorDetails): EntraTokenError {
  const parsed = parseJson(details.text);
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const error = text(body.error);
  const description = text(body.error_description)?.split(/\r?\n/)[0];
  const aadstsCodes = aadstsCodesOf(body);
  const retryAfterMs = parseRetryAfter(details.headers.get('retry-after'));
  const what =
    error !== undefined
      ? `HTTP ${details.status} ${error}${description ? `: ${description}` : ''}`
      : describeStatus(details.status, details.statusText, details.text);
  return new EntraTokenError({
    service: 'entra',
    status: details.status,
    code: error ?? `http_${details.status}`,
    message: `${SERVICE_NAMES.entra} token request ${details.path} failed with ${what}`,
    microsoftMessage: description,
    requestId: details.requestId,
    correlationId: text(body.correlation_id) ?? details.correlationId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
    attempts: details.attempt,
    method: details.method,
    path: details.path,
    aadstsCodes,
    suberror: text(body.suberror),
    traceId: text(body.trace_id),
    timestamp: text(body.timestamp),
    errorUri: text(body.error_uri),
    claims: text(body.claims),
  });
}
