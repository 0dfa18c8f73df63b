import { randomUUID } from 'node:crypto';
import { MicrosoftApiError } from './microsoft-api.error';

export interface JsonRequest {
  service: MicrosoftApiError['service'];
  url: string;
  accessToken: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

// One GET against a Microsoft API with a timeout and a correlation id; Microsoft's error body (Graph's
// {error:{code,message}} or Partner Center's ApiFault) becomes a MicrosoftApiError.
export async function getJson<T>(request: JsonRequest): Promise<T> {
  const requestId = randomUUID();
  let response: Response;
  try {
    response = await fetch(request.url, {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${request.accessToken}`,
        'client-request-id': requestId,
        ...request.headers,
      },
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : `failed (${(error as Error).cause ?? (error as Error).message})`;
    throw new MicrosoftApiError(request.service, 0, 'network_error', `The request to ${new URL(request.url).host} ${reason}.`, requestId);
  }
  const text = await response.text();
  if (!response.ok) throw toApiError(request.service, response, text, requestId);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new MicrosoftApiError(request.service, response.status, 'malformed_response', `${new URL(request.url).host} answered with a body that is not JSON.`, requestId);
  }
}

function toApiError(service: MicrosoftApiError['service'], response: Response, text: string, requestId: string): MicrosoftApiError {
  let code = `http_${response.status}`;
  let message = `${service} answered HTTP ${response.status}.`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; code?: number | string; description?: string; message?: string };
    if (body.error && typeof body.error === 'object') {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    } else if (body.code !== undefined || body.description || body.message) {
      code = String(body.code ?? code);
      message = body.description ?? body.message ?? message;
    }
  } catch {
    // Not JSON (an HTML gateway page or an empty body): keep the status-based code.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new MicrosoftApiError(service, response.status, code, message, response.headers.get('request-id') ?? requestId, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}
