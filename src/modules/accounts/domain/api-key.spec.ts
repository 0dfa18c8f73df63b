import { ApiKey } from './api-key';
import { apiKeySecretMatches, generateApiKeyToken, hashApiKeySecret, parseApiKeyToken } from './api-key-token';
import { ApiKeyNameInvalidError, ApiKeyScopeRequiredError } from './api-key.errors';
import { rateLimitWindow } from './api-rate-limit';

const alice = { userId: '11111111-1111-1111-1111-111111111111', name: 'Alice Admin' };
const issue = (overrides: Partial<Parameters<typeof ApiKey.issue>[0]> = {}) =>
  ApiKey.issue({
    id: 'k1',
    organizationId: 'o1',
    publicId: '0123456789abcdef',
    secretHash: 'h',
    name: 'Billing export',
    scopes: ['read:licenses'],
    createdBy: alice,
    now: new Date('2026-11-27T10:00:00Z'),
    ...overrides,
  });

describe('an API key', () => {
  it('is issued active, never used, with a trimmed name and its scopes once each', () => {
    const key = issue({ name: '  Billing export ', scopes: ['read:licenses', 'read:tenants', 'read:licenses'] });
    expect(key).toMatchObject({
      name: 'Billing export',
      scopes: ['read:licenses', 'read:tenants'],
      lastUsedAt: null,
      revokedAt: null,
      createdByName: 'Alice Admin',
    });
    expect(key.isActive()).toBe(true);
  });

  it('refuses an empty or overlong name', () => {
    expect(() => issue({ name: '   ' })).toThrow(ApiKeyNameInvalidError);
    expect(() => issue({ name: 'x'.repeat(81) })).toThrow(ApiKeyNameInvalidError);
    expect(issue({ name: 'x'.repeat(80) }).name).toHaveLength(80);
  });

  it('refuses a key without any scope', () => {
    expect(() => issue({ scopes: [] })).toThrow(ApiKeyScopeRequiredError);
  });

  it('allows only its own scopes, and nothing once revoked', () => {
    const key = issue({ scopes: ['read:tenants'] });
    expect(key.allows('read:tenants')).toBe(true);
    expect(key.allows('write:sync')).toBe(false);
    expect(key.revoke(alice, new Date('2026-11-27T11:00:00Z'))).toBe(true);
    expect(key.allows('read:tenants')).toBe(false);
    expect(key).toMatchObject({ revokedAt: new Date('2026-11-27T11:00:00Z'), revokedByName: 'Alice Admin' });
  });

  it('keeps the first revocation on record when revoked again', () => {
    const key = issue();
    key.revoke(alice, new Date('2026-11-27T11:00:00Z'));
    expect(key.revoke({ userId: 'u2', name: 'Bob' }, new Date('2026-11-28T11:00:00Z'))).toBe(false);
    expect(key).toMatchObject({ revokedAt: new Date('2026-11-27T11:00:00Z'), revokedByName: 'Alice Admin' });
  });
});

describe('the clear key', () => {
  it('reads back what it was generated from: s365_, a public id and a 32-byte secret', () => {
    const token = generateApiKeyToken();
    expect(token.clear).toMatch(/^s365_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.secret, 'base64url')).toHaveLength(32);
    expect(parseApiKeyToken(token.clear)).toEqual({ publicId: token.publicId, secret: token.secret });
  });

  it('is never generated twice', () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKeyToken().clear));
    expect(keys.size).toBe(50);
  });

  it('reads a secret that itself contains underscores', () => {
    const secret = `ab_cd${'x'.repeat(38)}`;
    expect(parseApiKeyToken(`s365_0123456789abcdef_${secret}`)).toEqual({ publicId: '0123456789abcdef', secret });
  });

  it('refuses text that cannot be a key', () => {
    for (const text of [
      '',
      'Bearer',
      's365_',
      's365_0123456789abcdef',
      `s366_0123456789abcdef_${'x'.repeat(43)}`,
      `s365_0123456789ABCDEF_${'x'.repeat(43)}`,
      `s365_0123456789abcdef_${'x'.repeat(42)}`,
      `s365_0123456789abcdef_${'x'.repeat(42)}=`,
    ]) {
      expect(parseApiKeyToken(text)).toBeNull();
    }
  });

  it('is stored as a SHA-256 hash that matches only the same secret', () => {
    const { secret } = generateApiKeyToken();
    const hash = hashApiKeySecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(apiKeySecretMatches(secret, hash)).toBe(true);
    expect(apiKeySecretMatches(generateApiKeyToken().secret, hash)).toBe(false);
    expect(apiKeySecretMatches(secret, 'not-a-hash')).toBe(false);
  });
});

describe('the per-minute rate-limit window', () => {
  it('starts at the clock minute and tells how many whole seconds remain', () => {
    expect(rateLimitWindow(new Date('2026-11-27T10:15:42.300Z'))).toEqual({ start: new Date('2026-11-27T10:15:00Z'), secondsLeft: 18 });
    expect(rateLimitWindow(new Date('2026-11-27T10:15:00Z'))).toEqual({ start: new Date('2026-11-27T10:15:00Z'), secondsLeft: 60 });
    expect(rateLimitWindow(new Date('2026-11-27T10:15:59.999Z')).secondsLeft).toBe(1);
  });
});
