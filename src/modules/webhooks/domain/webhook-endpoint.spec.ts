import { endpointUrl, newSigningSecret, subscribedEvents } from './webhook-endpoint';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';

describe('webhook endpoints', () => {
  it('accepts an https URL', () => {
    expect(endpointUrl('  https://hooks.example.com/sync365?x=1 ')).toBe('https://hooks.example.com/sync365?x=1');
    expect(endpointUrl('https://127.0.0.1:8443/hook')).toBe('https://127.0.0.1:8443/hook');
  });

  it('refuses plain http with a message saying why', () => {
    expect(() => endpointUrl('http://hooks.example.com/sync365')).toThrow(/must start with https:\/\//);
  });

  it('refuses what is not a URL, an empty one, and credentials in the URL', () => {
    expect(() => endpointUrl('hooks.example.com')).toThrow(/is not a web address/);
    expect(() => endpointUrl('')).toThrow(/Enter the URL/);
    expect(() => endpointUrl(undefined)).toThrow(/Enter the URL/);
    expect(() => endpointUrl('https://user:pass@hooks.example.com/')).toThrow(/user name or password/);
  });

  it('keeps the chosen events, known ones only, in the catalogue order, and requires one', () => {
    expect(subscribedEvents(['tenants.import-finished', 'licensing.quantity-changed', 'licensing.quantity-changed', 'nope'])).toEqual(['licensing.quantity-changed', 'tenants.import-finished']);
    expect(subscribedEvents('consent.reconsent-needed')).toEqual(['consent.reconsent-needed']);
    expect(subscribedEvents(WEBHOOK_EVENT_TYPES.map((e) => e.type))).toHaveLength(5);
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
