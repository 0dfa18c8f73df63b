import type { LookupAddress } from 'node:dns';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureCertificateAuthority, issueServerCertificate } from '../../../../../libs/microsoft-emulator/src';
import { projectRoot } from '../../../../shared/infrastructure/project-root';
import type { WebhookRequest } from '../../application/ports/webhook-sender.port';
import { WebhookDeliveryOptions } from '../../application/webhook-delivery-options';
import { HttpsWebhookSender, PRIVATE_ADDRESS_ERROR, retryAfterSeconds } from './https-webhook-sender.adapter';

describe('Retry-After from a webhook receiver', () => {
  it('reads seconds or an HTTP date, and ignores what is neither', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Fri, 27 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});

// A DNS that answers what the test says, counting the questions (a second lookup is what DNS rebinding exploits).
class FakeDnsSender extends HttpsWebhookSender {
  readonly lookups: string[] = [];
  constructor(
    options: WebhookDeliveryOptions,
    private readonly answers: Record<string, LookupAddress[]>,
  ) {
    super(options);
  }
  protected override async resolve(hostname: string): Promise<LookupAddress[]> {
    this.lookups.push(hostname);
    const answer = this.answers[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  }
}

const FAKE_HOST = 'hooks.example.test';

// A receiver on 127.0.0.1 with a certificate from the test CA (trusted through NODE_EXTRA_CA_CERTS, set by `npm test`).
describe('sending a webhook over https, to public addresses only (against a local receiver)', () => {
  let server: Server;
  let port: number;
  let handler: (request: IncomingMessage, response: ServerResponse, body: string) => void;
  const received: { host: string; path: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    const ca = ensureCertificateAuthority(join(projectRoot, '.data', 'test'));
    const { certPem, keyPem } = issueServerCertificate(ca, ['127.0.0.1', 'localhost', FAKE_HOST]);
    server = createServer({ cert: certPem, key: keyPem }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ host: request.headers.host ?? '', path: request.url ?? '/', headers: request.headers, body });
        handler(request, response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    received.length = 0;
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const optionsAllowing = (...allowedHosts: string[]) => Object.assign(new WebhookDeliveryOptions(), { allowedHosts });
  const webhook = (url: string, timeoutMs = 10_000): WebhookRequest => ({
    url,
    body: '{"id":"e1","type":"webhook.test"}',
    timeoutMs,
    headers: { 'Content-Type': 'application/json', 'Sync365-Event': 'webhook.test' },
  });

  it('posts the body with its headers to an allowed receiver and records the status', async () => {
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${port}/hooks?x=1`));
    expect(outcome).toMatchObject({ status: 200, error: null, retryAfterSeconds: null, responseExcerpt: '{"received":true}' });
    expect(outcome.permanent).toBeUndefined();
    expect(received).toEqual([expect.objectContaining({ path: '/hooks?x=1', body: '{"id":"e1","type":"webhook.test"}' })]);
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/json',
      'sync365-event': 'webhook.test',
      'content-length': '33',
    });
  });

  it('keeps only the first 500 characters of an error answer, and the reason', async () => {
    handler = (_request, response) => response.writeHead(500, 'Internal Server Error').end(`Receiver failed: ${'x'.repeat(100_000)}`);
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${port}/`));
    expect(outcome.status).toBe(500);
    expect(outcome.error).toBe('The endpoint answered 500 Internal Server Error; only a 2xx status counts as delivered.');
    expect(outcome.responseExcerpt).toHaveLength(500);
    expect(outcome.responseExcerpt).toMatch(/^Receiver failed: x+$/);
  });

  it('does not follow a redirect: the attempt fails and says where it pointed', async () => {
    handler = (_request, response) => response.writeHead(302, { location: 'https://elsewhere.example.com/hooks' }).end();
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${port}/`));
    expect(outcome.status).toBe(302);
    expect(outcome.error).toMatch(/a redirect to https:\/\/elsewhere\.example\.com\/hooks\. Webhooks are not redirected/);
    expect(received).toHaveLength(1);
  });

  it('reads Retry-After on 429 and 503', async () => {
    handler = (_request, response) => response.writeHead(429, { 'retry-after': '120' }).end('slow down');
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${port}/`));
    expect(outcome).toMatchObject({ status: 429, retryAfterSeconds: 120, responseExcerpt: 'slow down' });
  });

  it('gives up on an endpoint that does not answer in time, to be retried later', async () => {
    handler = () => undefined;
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${port}/`, 300));
    expect(outcome).toMatchObject({
      status: null,
      error: expect.stringMatching(/^No answer within \d+ seconds\.$/),
      responseExcerpt: null,
    });
    expect(outcome.permanent).toBeUndefined();
  });

  it('says so when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await new HttpsWebhookSender(optionsAllowing('127.0.0.1')).send(webhook(`https://127.0.0.1:${closedPort}/`));
    expect(outcome).toMatchObject({ status: null, error: 'The connection was refused: nothing is listening at that address and port.' });
    expect(outcome.permanent).toBeUndefined();
  });

  it('refuses a private address written in the URL without connecting, as a permanent failure', async () => {
    for (const url of [
      `https://127.0.0.1:${port}/`,
      `https://[::ffff:127.0.0.1]:${port}/`,
      `https://0.0.0.0:${port}/`,
      'https://169.254.169.254/latest/meta-data/',
    ]) {
      const outcome = await new HttpsWebhookSender(optionsAllowing()).send(webhook(url));
      expect([url, outcome]).toEqual([
        url,
        expect.objectContaining({ status: null, error: PRIVATE_ADDRESS_ERROR, permanent: true, responseExcerpt: null }),
      ]);
    }
    expect(received).toHaveLength(0);
  });

  it('refuses localhost, resolved by the system, unless allowed by name or by the address it resolves to', async () => {
    const refused = await new HttpsWebhookSender(optionsAllowing('receiver.internal')).send(webhook(`https://localhost:${port}/`));
    expect(refused).toMatchObject({ status: null, error: PRIVATE_ADDRESS_ERROR, permanent: true });
    expect(received).toHaveLength(0);
    expect((await new HttpsWebhookSender(optionsAllowing('localhost')).send(webhook(`https://localhost:${port}/`))).status).toBe(200);
    expect((await new HttpsWebhookSender(optionsAllowing('127.0.0.1', '::1')).send(webhook(`https://localhost:${port}/`))).status).toBe(
      200,
    );
  });

  it('refuses a name that resolves to a private address (DNS rebinding), without connecting', async () => {
    const sender = new FakeDnsSender(optionsAllowing(), { [FAKE_HOST]: [{ address: '127.0.0.1', family: 4 }] });
    const outcome = await sender.send(webhook(`https://${FAKE_HOST}:${port}/`));
    expect(outcome).toMatchObject({ status: null, error: PRIVATE_ADDRESS_ERROR, permanent: true });
    expect(received).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is private, since the connection may try each', async () => {
    const sender = new FakeDnsSender(optionsAllowing(), {
      [FAKE_HOST]: [
        { address: '93.184.216.34', family: 4 },
        { address: '::ffff:169.254.169.254', family: 6 },
      ],
    });
    expect(await sender.send(webhook(`https://${FAKE_HOST}:${port}/`))).toMatchObject({ error: PRIVATE_ADDRESS_ERROR, permanent: true });
  });

  it('connects to the very address it checked, looked up once (no second lookup to rebind)', async () => {
    const sender = new FakeDnsSender(optionsAllowing(FAKE_HOST), { [FAKE_HOST]: [{ address: '127.0.0.1', family: 4 }] });
    const outcome = await sender.send(webhook(`https://${FAKE_HOST}:${port}/hooks`));
    expect(outcome).toMatchObject({ status: 200, error: null });
    expect(sender.lookups).toEqual([FAKE_HOST]);
    // The name stays the request's (Host header, certificate check); only the address is ours.
    expect(received).toEqual([expect.objectContaining({ host: `${FAKE_HOST}:${port}`, path: '/hooks' })]);
  });

  it('reports a name that does not resolve as a DNS failure, to be retried', async () => {
    const outcome = await new FakeDnsSender(optionsAllowing(), {}).send(webhook(`https://${FAKE_HOST}:${port}/`));
    expect(outcome).toMatchObject({ status: null, error: 'The host name could not be found (DNS).' });
    expect(outcome.permanent).toBeUndefined();
  });
});
