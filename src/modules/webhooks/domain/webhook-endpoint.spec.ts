import { assertPublicHost, endpointUrl, newSigningSecret, subscribedEvents } from './webhook-endpoint';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

describe('webhook endpoints', () => {
  it('accepts an https URL', () => {
    expect(endpointUrl('  https://hooks.example.com/sync365?x=1 ', [])).toBe('https://hooks.example.com/sync365?x=1');
    expect(endpointUrl('https://93.184.216.34:8443/hook', [])).toBe('https://93.184.216.34:8443/hook');
  });

  it('refuses a URL naming a private, loopback or local address, in any spelling, saying why and what to do', () => {
    for (const url of [
      'https://127.0.0.1:8443/hook',
      'https://localhost/hook',
      'https://app.localhost/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/',
      'https://192.168.0.10/',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      // The URL parser reads these as 127.0.0.1.
      'https://2130706433/',
      'https://0x7f.1/',
      'https://127.1/',
    ]) {
      expect(() => endpointUrl(url, [])).toThrow(/Sync 365 only sends to public internet addresses/);
    }
    const refusal = (() => {
      try {
        return endpointUrl('https://127.0.0.1/', []);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({ code: 'WEBHOOKS.INVALID_ENDPOINT', fix: expect.stringContaining('WEBHOOK_ALLOWED_HOSTS') });
  });

  it('accepts a private host the operator allowed (WEBHOOK_ALLOWED_HOSTS), and only that one', () => {
    expect(endpointUrl('https://127.0.0.1:8443/hook', ['127.0.0.1', 'localhost'])).toBe('https://127.0.0.1:8443/hook');
    expect(endpointUrl('https://localhost:8443/hook', ['127.0.0.1', 'localhost'])).toBe('https://localhost:8443/hook');
    expect(() => endpointUrl('https://10.0.0.1/', ['127.0.0.1', 'localhost'])).toThrow(/public internet addresses/);
    expect(() => assertPublicHost('https://10.0.0.1/', [])).toThrow(/public internet addresses/);
    expect(() => assertPublicHost('https://hooks.example.com/', [])).not.toThrow();
  });

  it('refuses plain http with a message saying why', () => {
    expect(() => endpointUrl('http://hooks.example.com/sync365', [])).toThrow(/must start with https:\/\//);
  });

  it('refuses what is not a URL, an empty one, and credentials in the URL', () => {
    expect(() => endpointUrl('hooks.example.com', [])).toThrow(/is not a web address/);
    expect(() => endpointUrl('', [])).toThrow(/Enter the URL/);
    expect(() => endpointUrl(undefined, [])).toThrow(/Enter the URL/);
    expect(() => endpointUrl('https://user:pass@hooks.example.com/', [])).toThrow(/user name or password/);
  });

  it('keeps the chosen events, known ones only, in the catalogue order, and requires one', () => {
    expect(subscribedEvents(['tenants.import-finished', 'licensing.quantity-changed', 'licensing.quantity-changed', 'nope'])).toEqual([
      'licensing.quantity-changed',
      'tenants.import-finished',
    ]);
    expect(subscribedEvents('consent.reconsent-needed')).toEqual(['consent.reconsent-needed']);
    expect(subscribedEvents(WEBHOOK_EVENT_TYPES.map((e) => e.type))).toEqual(WEBHOOK_EVENT_TYPES.map((e) => e.type));
    expect(() => subscribedEvents(undefined)).toThrow(/at least one event/);
    expect(() => subscribedEvents(['webhook.test'])).toThrow(/at least one event/);
  });

  it('generates secrets of 32 random bytes, never the same twice', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64url')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(a);
  });
});
