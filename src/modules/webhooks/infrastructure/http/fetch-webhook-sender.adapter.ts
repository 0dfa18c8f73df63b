import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { WebhookSender, type WebhookRequest } from '../../application/ports/webhook-sender.port';
import type { AttemptOutcome } from '../../domain/webhook-delivery';

// What of the answer is kept for the log: enough to show a receiver's own error message, never a whole page.
const EXCERPT_CHARS = 500;

// The one place Sync 365 calls a server that is not Microsoft: the partner's own webhook receiver. Redirects are not
// followed (a 3xx is a failed attempt): a signed body must not be forwarded to an address nobody entered.
@Injectable()
export class FetchWebhookSender extends WebhookSender {
  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const duration = () => performance.now() - started;
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal });
      const excerpt = await readExcerpt(response);
      const status = response.status;
      const ok = status >= 200 && status < 300;
      return {
        status,
        error: ok ? null : statusError(response),
        retryAfterSeconds: status === 429 || status === 503 ? retryAfterSeconds(response.headers.get('retry-after')) : null,
        durationMs: duration(),
        responseExcerpt: excerpt,
      };
    } catch (error) {
      return { status: null, error: connectionError(error, request.timeoutMs), retryAfterSeconds: null, durationMs: duration(), responseExcerpt: null };
    }
  }
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The status is what counts; an answer cut off mid-body leaves what was read.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const trimmed = text.trim().slice(0, EXCERPT_CHARS);
  return trimmed === '' ? null : trimmed;
}

function statusError(response: Response): string {
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    return `The endpoint answered ${status}, a redirect${location ? ` to ${location.slice(0, 300)}` : ''}. Webhooks are not redirected: enter the final URL.`;
  }
  return `The endpoint answered ${status}; only a 2xx status counts as delivered.`;
}

// Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3).
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

function connectionError(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `No answer within ${Math.round(timeoutMs / 1000)} seconds.`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'The connection was refused: nothing is listening at that address and port.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The host name could not be found (DNS).';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'The connection was closed before the endpoint answered.';
  if (TLS_CODES.test(code)) return `The endpoint’s https certificate was not accepted (${code}).`;
  return `The endpoint could not be reached${code ? ` (${code})` : cause?.message ? ` (${cause.message.slice(0, 200)})` : ''}.`;
}
