import {
  ConnectWiseApiError,
  ConnectWiseAuthenticationError,
  ConnectWiseForbiddenError,
  ConnectWiseNotFoundError,
  ConnectWiseRateLimitError,
  ConnectWiseValidationError,
  type ConnectWiseApiErrorInit,
  type ConnectWiseFieldError,
} from './connectwise-api.error';
import { parseJson } from '../../../http-kit/src';

export interface ParsedConnectWiseError {
  code?: string;
  message?: string;
  errors: ConnectWiseFieldError[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

// ConnectWise's error body (CTC issue 30; CWREST ErrorResponse):
// {"code":"InvalidObject","message":"configuration object is invalid","errors":[{"code":"MissingRequiredField",
//  "message":"id or deviceIdentifier is required.","resource":"configuration","field":"id"}]}
// 401s come as {"code":"Unauthorized","message":…} or {"code":"ConnectWiseApi","message":"UserNotAuthenticated"} (CTC
// Invoke-CWMWebRequest.ps1).
export function parseConnectWiseErrorBody(body: unknown): ParsedConnectWiseError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const errors = Array.isArray(record.errors)
    ? record.errors
        .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
        .map((item) => ({ code: text(item.code), message: text(item.message), resource: text(item.resource), field: text(item.field) }))
    : [];
  const code = text(record.code);
  const message = text(record.message);
  if (!code && !message && errors.length === 0) return undefined;
  return { code, message, errors };
}

// ConnectWise's message with its field errors: "agreementAddition object is invalid: The product field is required."
export function psaMessageOf(parsed: ParsedConnectWiseError | undefined): string | undefined {
  if (!parsed) return undefined;
  const details = parsed.errors.map((error) => error.message ?? `${error.field ?? 'a field'}: ${error.code ?? 'invalid'}`);
  if (!parsed.message) return details.length > 0 ? details.join(' ') : undefined;
  return details.length > 0 ? `${parsed.message.replace(/[.\s]+$/, '')}: ${details.join(' ')}` : parsed.message;
}

export const FIXES = {
  authentication:
    'ConnectWise did not accept the API keys. Check the company ID (the one typed at ConnectWise sign-in), the API member’s public and private keys (System → Members → API Members → API Keys) and the client ID from developer.connectwise.com, then save them again.',
  cloudNotFound:
    'ConnectWise answered "not found" where it hides wrong credentials (ConnectWise cloud does this). Check the site, the company ID and the API member’s public and private keys, then save them again.',
  companyInfoNotFound:
    'ConnectWise knows no company with this company ID on this site. Check the site (e.g. na.myconnectwise.net) and the company ID you sign in with.',
  forbidden:
    'The API member’s security role does not allow this. In ConnectWise, give that role access to Finance → Agreements (Inquire, Add, Edit), Procurement → Product Catalog (Inquire) and Companies → Company Maintenance (Inquire).',
  notFound: 'The record is no longer in ConnectWise (deleted, merged or moved). Choose the company, agreement or product again.',
  validation:
    'ConnectWise refused the change for the reason it gives. Correct that in ConnectWise or in the mapping (for example choose an active catalog product), then sync again.',
  conflict: 'ConnectWise refused the change because of another record (it says which). Resolve that in ConnectWise, then sync again.',
  rateLimited: 'ConnectWise is limiting how fast it is called. Nothing was changed by this call; it will be tried again later.',
  server: 'ConnectWise had a problem of its own. Try again in a few minutes; if it goes on, check ConnectWise’s status page.',
  network: 'ConnectWise could not be reached. Check the site address and the network, then try again.',
  protocol: 'ConnectWise answered in a way Sync 365 cannot read. Check that the site address points at ConnectWise PSA.',
} as const;

export interface ErrorContext {
  method: string;
  path: string; // no query string
  attempt: number;
  // 404 where ConnectWise cloud means "bad credentials" rather than "no such record" (collections, companyinfo).
  notFoundMeans: 'record' | 'credentials' | 'company-id';
}

export function createConnectWiseError(
  status: number,
  statusText: string,
  bodyText: string,
  retryAfterSeconds: number | undefined,
  context: ErrorContext,
): ConnectWiseApiError {
  const parsed = parseConnectWiseErrorBody(parseJson(bodyText));
  const psaMessage = psaMessageOf(parsed);
  const what = psaMessage
    ? `HTTP ${status}${parsed?.code ? ` ${parsed.code}` : ''}: ${psaMessage}`
    : `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  const base: Omit<ConnectWiseApiErrorInit, 'kind' | 'fix'> = {
    status,
    code: parsed?.code ?? `http_${status}`,
    message: `ConnectWise PSA ${context.method} ${context.path} failed with ${what}`,
    psaMessage,
    errors: parsed?.errors,
    retryAfterSeconds,
    attempts: context.attempt,
    method: context.method,
    path: context.path,
  };
  if (status === 400) return new ConnectWiseValidationError({ ...base, fix: FIXES.validation });
  if (status === 401) return new ConnectWiseAuthenticationError({ ...base, fix: FIXES.authentication });
  if (status === 403) return new ConnectWiseForbiddenError({ ...base, fix: FIXES.forbidden });
  if (status === 404) {
    if (context.notFoundMeans === 'company-id') return new ConnectWiseAuthenticationError({ ...base, fix: FIXES.companyInfoNotFound });
    if (context.notFoundMeans === 'credentials') return new ConnectWiseAuthenticationError({ ...base, fix: FIXES.cloudNotFound });
    return new ConnectWiseNotFoundError({ ...base, fix: FIXES.notFound });
  }
  if (status === 409) return new ConnectWiseApiError({ ...base, kind: 'conflict', fix: FIXES.conflict });
  if (status === 429) return new ConnectWiseRateLimitError({ ...base, fix: FIXES.rateLimited });
  if (status >= 500) return new ConnectWiseApiError({ ...base, kind: 'server', fix: FIXES.server });
  return new ConnectWiseApiError({ ...base, kind: 'protocol', fix: FIXES.protocol });
}
