import { promises as dns, type LookupAddress } from 'node:dns';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { WebhookSender, type WebhookRequest } from '../../application/ports/webhook-sender.port';
import { WebhookDeliveryOptions } from '../../application/webhook-delivery-options';
import { isIpAddress, mayConnect } from '../../domain/network-address';
import type { AttemptOutcome } from '../../domain/webhook-delivery';

// What of the answer is kept for the log: enough to show a receiver's own error message, never a whole page.
const EXCERPT_CHARS = 500;

export const PRIVATE_ADDRESS_ERROR =
  'The address resolves to a private network address, which Sync 365 does not send to. Enter the public https address of the receiver.';

interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  excerpt: string | null;
}

class RefusedAddressError extends Error {
  readonly code = 'SYNC365_PRIVATE_ADDRESS';
}

class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// The one place Sync 365 calls a server that is not Microsoft: the partner's own webhook receiver. Redirects are not
// followed (a 3xx is a failed attempt): a signed body must not be forwarded to an address nobody entered.
// The URL is typed by a staff user and the answer shows in the log, so the connection goes only to public internet
// addresses (network-address.ts): the name is resolved here, every address it has is checked, and the socket
// connects to those checked addresses — never a second lookup a DNS rebinding could answer differently.
@Injectable()
export class HttpsWebhookSender extends WebhookSender {
  constructor(private readonly options: WebhookDeliveryOptions) {
    super();
  }

  async send(request: WebhookRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const failed = (error: string, permanent = false): AttemptOutcome => ({
      status: null,
      error,
      retryAfterSeconds: null,
      durationMs: performance.now() - started,
      responseExcerpt: null,
      ...(permanent ? { permanent } : {}),
    });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return failed('The webhook URL is not a web address.', true);
    }
    if (url.protocol !== 'https:') return failed('Webhook URLs must start with https://.', true);
    const allowedHosts = this.options.allowedHosts;
    // An address written in the URL is connected to without any lookup: checked here.
    if (isIpAddress(url.hostname) && !mayConnect(url.hostname, url.hostname, allowedHosts)) return failed(PRIVATE_ADDRESS_ERROR, true);
    try {
      const answer = await this.post(url, request, allowedHosts);
      const ok = answer.status >= 200 && answer.status < 300;
      return {
        status: answer.status,
        error: ok ? null : statusError(answer),
        retryAfterSeconds: answer.status === 429 || answer.status === 503 ? retryAfterSeconds(header(answer.headers['retry-after'])) : null,
        durationMs: performance.now() - started,
        responseExcerpt: answer.excerpt,
      };
    } catch (error) {
      if (error instanceof RefusedAddressError) return failed(PRIVATE_ADDRESS_ERROR, true);
      return failed(connectionError(error, request.timeoutMs));
    }
  }

  // Every address the name has (a test may play a DNS that answers what it needs).
  protected resolve(hostname: string): Promise<LookupAddress[]> {
    return dns.lookup(hostname, { all: true });
  }

  private post(url: URL, request: WebhookRequest, allowedHosts: readonly string[]): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      let settled = false;
      let responded = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
      };
      // Refused if any of the addresses is not allowed, not only the first: the socket may try each (happy eyeballs).
      const lookup: LookupFunction = (hostname, options, callback) => {
        this.resolve(hostname).then(
          (addresses) => {
            if (addresses.some((a) => !mayConnect(url.hostname, a.address, allowedHosts)))
              return callback(new RefusedAddressError(PRIVATE_ADDRESS_ERROR), '', 0);
            const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
            if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
            if (options.all) return callback(null, usable);
            return callback(null, usable[0].address, usable[0].family);
          },
          (error: NodeJS.ErrnoException) => callback(error, '', 0),
        );
      };
      // A connection of its own (no agent pool): a pooled socket would skip the lookup above.
      const req = httpsRequest(url, {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        agent: false,
        lookup,
      });
      const timer = setTimeout(() => req.destroy(new AttemptTimeoutError()), request.timeoutMs);
      // Once answered, an error (the body cut off, the time up mid-body) leaves the status and what was read.
      req.on('error', (error) => {
        if (!responded) settle(() => reject(error));
      });
      req.on('response', (response) => {
        responded = true;
        void readExcerpt(response).then((excerpt) =>
          settle(() =>
            resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, excerpt }),
          ),
        );
      });
      req.end(request.body);
    });
  }
}

function readExcerpt(response: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const decoder = new TextDecoder();
    let text = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      response.removeListener('data', onData);
      // Nothing more is read: the connection is closed rather than the whole answer downloaded.
      response.destroy();
      const trimmed = text.trim().slice(0, EXCERPT_CHARS);
      resolve(trimmed === '' ? null : trimmed);
    };
    const onData = (chunk: Buffer) => {
      text += decoder.decode(chunk, { stream: true });
      if (text.length >= EXCERPT_CHARS) finish();
    };
    response.on('data', onData);
    response.on('end', finish);
    response.on('error', finish);
    response.on('close', finish);
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function statusError(answer: Answer): string {
  const status = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
  if (answer.status >= 300 && answer.status < 400) {
    const location = header(answer.headers.location);
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
  const { code = '', message = '' } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'The connection was refused: nothing is listening at that address and port.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'The host name could not be found (DNS).';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'The connection was closed before the endpoint answered.';
  if (TLS_CODES.test(code)) return `The endpoint’s https certificate was not accepted (${code}).`;
  return `The endpoint could not be reached${code ? ` (${code})` : message ? ` (${message.slice(0, 200)})` : ''}.`;
}
