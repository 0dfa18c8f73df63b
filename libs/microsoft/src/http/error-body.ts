import type { ErrorDetails } from './http.types';
import { MicrosoftApiError, SERVICE_NAMES } from './microsoft-api.error';
import { parseJson, parseRetryAfter } from '../../../http-kit/src';

export interface ParsedErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

// The error shapes Microsoft sends on the paths we use:
// - Graph: {"error":{"code","message","innerError":{"request-id",...}}} (graph concepts/errors.md)
// - token endpoint: {"error":"invalid_grant","error_description":"AADSTS...","error_codes":[...]}
// - Partner Center ApiFault: {"code": 2032 | "…", "description", "data", "source"} (error-codes.md)
// - Partner Center 429: {"statusCode":429,"message":"Rate limit is exceeded. …"} (api-throttling-guidance.md)
export function parseMicrosoftErrorBody(body: unknown): ParsedErrorBody | undefined {
  if (!isRecord(body)) return undefined;
  if (isRecord(body.error)) {
    const inner = isRecord(body.error.innerError)
      ? body.error.innerError
      : isRecord(body.error.innererror)
        ? body.error.innererror
        : undefined;
    return { code: text(body.error.code), message: text(body.error.message), requestId: text(inner?.['request-id']) };
  }
  if (typeof body.error === 'string') {
    // error_description continues with "\r\nTrace ID: …"; the first line is the message.
    return { code: text(body.error), message: text(body.error_description)?.split(/\r?\n/)[0] };
  }
  if (typeof body.code === 'number' || text(body.code)) {
    return { code: String(body.code), message: text(body.description) ?? text(body.message) };
  }
  if (text(body.message) || text(body.description)) return { message: text(body.message) ?? text(body.description) };
  return undefined;
}

export function describeStatus(status: number, statusText: string, bodyText: string): string {
  const shape = bodyText.trim() ? 'a body that is not a Microsoft error' : 'an empty body';
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''} with ${shape}`;
}

export function createMicrosoftApiError(details: ErrorDetails): MicrosoftApiError {
  const parsed = parseMicrosoftErrorBody(parseJson(details.text));
  const retryAfterMs = parseRetryAfter(details.headers.get('retry-after'));
  const code = parsed?.code ?? `http_${details.status}`;
  const what = parsed?.message
    ? `HTTP ${details.status}${parsed.code ? ` ${parsed.code}` : ''}: ${parsed.message}`
    : describeStatus(details.status, details.statusText, details.text);
  return new MicrosoftApiError({
    service: details.service,
    status: details.status,
    code,
    message: `${SERVICE_NAMES[details.service]} ${details.method} ${details.path} failed with ${what}`,
    microsoftMessage: parsed?.message,
    requestId: details.headers.get('request-id') ?? parsed?.requestId ?? details.requestId,
    correlationId: details.correlationId,
    retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
    attempts: details.attempt,
    method: details.method,
    path: details.path,
    wwwAuthenticate: details.headers.get('www-authenticate') ?? undefined,
  });
}
