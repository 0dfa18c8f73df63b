import type { Actor } from '../../../shared/application/actor';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { ApiKeyNotFoundError, ApiKeyScopeRequiredError } from '../domain/api-key.errors';
import { hashApiKeySecret, parseApiKeyToken } from '../domain/api-key-token';
import { InMemoryApiKeyRepository, RecordingAuditTrail } from '../infrastructure/testing/in-memory-api-keys';
import { AuthenticateApiKeyUseCase } from './authenticate-api-key.use-case';
import { CreateApiKeyUseCase } from './create-api-key.use-case';
import { RevokeApiKeyUseCase } from './revoke-api-key.use-case';

const alice: Actor = {
  userId: '11111111-1111-1111-1111-111111111111',
  organizationId: 'org-a',
  displayName: 'Alice Admin',
  userPrincipalName: 'alice@a.example',
  organizationName: 'A',
  role: 'admin',
};
const bob: Actor = {
  ...alice,
  userId: '22222222-2222-2222-2222-222222222222',
  organizationId: 'org-b',
  displayName: 'Bob',
  organizationName: 'B',
};

function setup() {
  const keys = new InMemoryApiKeyRepository();
  const audit = new RecordingAuditTrail();
  const clock = new FixedClock(new Date('2026-11-27T10:00:10Z'));
  const transaction = new ImmediateTransaction();
  return {
    keys,
    audit,
    clock,
    create: new CreateApiKeyUseCase(keys, audit, transaction, clock),
    revoke: new RevokeApiKeyUseCase(keys, audit, transaction, clock),
    authenticate: new AuthenticateApiKeyUseCase(keys, clock),
  };
}

describe('creating an API key', () => {
  it('returns the clear key once, stores only the hash of its secret, and records who created it', async () => {
    const { keys, audit, create } = setup();
    const { key, clearKey } = await create.execute({ actor: alice, name: 'Billing export', scopes: ['read:licenses'] });
    const token = parseApiKeyToken(clearKey)!;
    const stored = keys.rows.get(key.id)!;
    expect(stored).toMatchObject({
      organizationId: 'org-a',
      publicId: token.publicId,
      secretHash: hashApiKeySecret(token.secret),
      createdByUserId: alice.userId,
    });
    expect(JSON.stringify(stored)).not.toContain(token.secret);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        organizationId: 'org-a',
        actorUserId: alice.userId,
        action: 'accounts.api-key-created',
        subject: 'Billing export',
        outcome: 'success',
      }),
    ]);
    expect(audit.entries[0].detail).toContain('read:licenses');
    expect(audit.entries[0].detail).not.toContain(token.secret);
  });

  it('stores nothing and records nothing when no scope was chosen', async () => {
    const { keys, audit, create } = setup();
    await expect(create.execute({ actor: alice, name: 'Nothing', scopes: [] })).rejects.toThrow(ApiKeyScopeRequiredError);
    expect(keys.rows.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });
});

describe('revoking an API key', () => {
  it('revokes a key of the organization once, and records it once', async () => {
    const { audit, create, revoke } = setup();
    const { key } = await create.execute({ actor: alice, name: 'Old script', scopes: ['read:tenants'] });
    expect((await revoke.execute({ actor: alice, keyId: key.id })).revoked).toBe(true);
    expect((await revoke.execute({ actor: alice, keyId: key.id })).revoked).toBe(false);
    expect(audit.entries.map((e) => e.action)).toEqual(['accounts.api-key-created', 'accounts.api-key-revoked']);
  });

  it("cannot touch another organization's key", async () => {
    const { keys, create, revoke } = setup();
    const { key } = await create.execute({ actor: alice, name: 'A key', scopes: ['read:tenants'] });
    await expect(revoke.execute({ actor: bob, keyId: key.id })).rejects.toThrow(ApiKeyNotFoundError);
    expect(keys.rows.get(key.id)!.isActive()).toBe(true);
  });
});

describe('authenticating with an API key', () => {
  it('accepts the key it was given and names its organization, recording when it was used', async () => {
    const { authenticate, create, clock } = setup();
    const { clearKey } = await create.execute({ actor: alice, name: 'Sync', scopes: ['write:sync'] });
    const result = await authenticate.execute(clearKey, 10);
    expect(result).toMatchObject({ outcome: 'accepted', key: { organizationId: 'org-a', lastUsedAt: clock.current } });
  });

  it('refuses malformed, unknown, tampered and revoked keys alike', async () => {
    const { authenticate, create, revoke } = setup();
    const { key, clearKey } = await create.execute({ actor: alice, name: 'Sync', scopes: ['write:sync'] });
    const tampered = clearKey.slice(0, -1) + (clearKey.endsWith('A') ? 'B' : 'A');
    const unknown = `s365_ffffffffffffffff_${clearKey.split('_').slice(2).join('_')}`;
    for (const presented of ['nonsense', tampered, unknown])
      expect(await authenticate.execute(presented, 10)).toEqual({ outcome: 'refused' });
    await revoke.execute({ actor: alice, keyId: key.id });
    expect(await authenticate.execute(clearKey, 10)).toEqual({ outcome: 'refused' });
  });

  it('refuses requests over the per-minute limit until the next minute, saying how long to wait', async () => {
    const { authenticate, create, clock } = setup();
    const { clearKey } = await create.execute({ actor: alice, name: 'Busy', scopes: ['read:tenants'] });
    for (let i = 0; i < 3; i++) expect((await authenticate.execute(clearKey, 3)).outcome).toBe('accepted');
    expect(await authenticate.execute(clearKey, 3)).toMatchObject({ outcome: 'rate-limited', retryAfterSeconds: 50 });
    clock.current = new Date('2026-11-27T10:01:00Z');
    expect((await authenticate.execute(clearKey, 3)).outcome).toBe('accepted');
  });
});
