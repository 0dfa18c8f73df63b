import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureCertificateAuthority, issueServerCertificate } from '../../libs/microsoft-emulator/src';
import { projectRoot } from '../../src/shared/infrastructure/project-root';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  receivedAt: Date;
  // What the receiver answered.
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  // The next `times` deliveries of `eventType` are answered with `status` (others get 200).
  failNext(eventType: string, times: number, status?: number): void;
  close(): Promise<void>;
}

// A partner's webhook receiver as a partner would write one: node:https with a certificate for 127.0.0.1 issued by
// the test CA (which `npm test` makes the app trust through NODE_EXTRA_CA_CERTS). It records every delivery with
// its raw body and answers 200 unless told to fail.
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const ca = ensureCertificateAuthority(join(projectRoot, '.data', 'test'));
  const { certPem, keyPem } = issueServerCertificate(ca, ['127.0.0.1']);
  const received: ReceivedWebhook[] = [];
  const failures: { eventType: string; remaining: number; status: number }[] = [];
  const server: Server = createServer({ cert: certPem, key: keyPem }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
      );
      const failure = failures.find((f) => f.eventType === headers['sync365-event'] && f.remaining > 0);
      if (failure) failure.remaining -= 1;
      const status = failure?.status ?? 200;
      received.push({ path: request.url ?? '/', headers, rawBody: Buffer.concat(chunks).toString('utf8'), receivedAt: new Date(), status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status < 300 ? { received: true } : { error: 'The receiver is having a bad day' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    received,
    failNext(eventType, times, status = 500) {
      failures.push({ eventType, remaining: times, status });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Checks a delivery's Sync365-Signature the way the README tells partners to, written independently of the app's code.
export function signatureVerifies(webhook: Pick<ReceivedWebhook, 'headers' | 'rawBody'>, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((webhook.headers['sync365-signature'] ?? '').split(',').map((part) => part.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${webhook.rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
