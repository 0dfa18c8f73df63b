import { integrationEvent } from '../../../shared/application/integration-event';
import { FixedClock, ImmediateTransaction } from '../../../shared/testing/fakes';
import { CUSTOMER_LIST_REFUSED, type CustomerListPayload } from '../../tenants/events';
import { ConsentRefusedError, ReconsentRequiredError } from '../domain/consent.errors';
import {
  FakeEntraTokenEndpoint,
  FakePartnerCenterAccess,
  InMemoryDelegatedAdmins,
  InMemoryRefreshTokens,
  RecordingAuditTrail,
  RecordingOutbox,
} from '../infrastructure/testing/in-memory-consent';
import { CheckConsentHealthUseCase } from './check-consent-health.use-case';
import { GrantConsentUseCase } from './grant-consent.use-case';
import { MicrosoftTokenVault } from './microsoft-token-vault';
import { ImportOutcomeHandler } from '../interface/jobs/import-outcome.handler';
import { RefreshTokenRefusedError } from './ports/entra-token-endpoint.port';
import { RecordPartnerCenterAccessUseCase } from './record-partner-center-access.use-case';
import { RemoveDelegatedAdminUseCase } from './remove-delegated-admin.use-case';

const ORG = 'org-1';
const account = {
  partnerTenantId: 'aaaaaaaa-0000-0000-0000-000000000001',
  objectId: 'bbbbbbbb-0000-0000-0000-000000000001',
  userPrincipalName: 's365@contoso-partners.example',
  displayName: 'Sync 365 Service Account',
};
const grantedBy = { userId: 'cccccccc-0000-0000-0000-000000000001', name: 'Contoso Admin' };
const tokenWith = (amr: string[]) => `h.${Buffer.from(JSON.stringify({ amr })).toString('base64url')}.s`;

function setup() {
  const clock = new FixedClock(new Date('2026-11-26T10:00:00Z'));
  const admins = new InMemoryDelegatedAdmins();
  const tokens = new InMemoryRefreshTokens(() => clock.now());
  const identity = new FakeEntraTokenEndpoint();
  const partnerCenter = new FakePartnerCenterAccess();
  const outbox = new RecordingOutbox();
  const audit = new RecordingAuditTrail();
  const transaction = new ImmediateTransaction();
  const vault = new MicrosoftTokenVault(identity, admins, tokens, transaction, outbox, audit, clock);
  const grant = new GrantConsentUseCase(partnerCenter, admins, tokens, vault, transaction, outbox, audit, clock);
  const remove = new RemoveDelegatedAdminUseCase(admins, tokens, vault, transaction, outbox, audit, clock);
  const health = new CheckConsentHealthUseCase(tokens, vault, clock);
  const grantS365 = (overrides: Partial<Parameters<GrantConsentUseCase['execute']>[0]> = {}) =>
    grant.execute({
      organizationId: ORG,
      grantedBy,
      account,
      partnerCenterAccessToken: tokenWith(['pwd', 'mfa']),
      refreshToken: 'refresh-0',
      ...overrides,
    });
  return { clock, admins, tokens, identity, partnerCenter, outbox, audit, vault, grant, remove, health, grantS365 };
}

describe('granting Partner Center consent', () => {
  it('stores the account with its refresh token, records who granted it and publishes consent.granted', async () => {
    const { grantS365, tokens, outbox, audit } = setup();
    const admin = await grantS365();
    expect(admin).toMatchObject({
      status: 'active',
      accountUpn: account.userPrincipalName,
      partnerDirectoryName: 'Contoso Partners',
      grantedByName: 'Contoso Admin',
    });
    expect(await tokens.readForRotation(ORG, admin.id)).toBe('refresh-0');
    expect(outbox.events).toEqual([
      expect.objectContaining({
        name: 'consent.granted',
        organizationId: ORG,
        payload: expect.objectContaining({ delegatedAdminId: admin.id, regranted: false }),
      }),
    ]);
    expect(audit.entries).toEqual([expect.objectContaining({ action: 'consent.granted', outcome: 'success', actorName: 'Contoso Admin' })]);
  });

  it('rejects a Partner Center token without MFA and stores nothing', async () => {
    const { grantS365, admins, tokens, outbox, audit } = setup();
    await expect(grantS365({ partnerCenterAccessToken: tokenWith(['pwd']) })).rejects.toMatchObject({ code: 'CONSENT.MFA_MISSING' });
    expect(admins.rows.size).toBe(0);
    expect(tokens.tokens.size).toBe(0);
    expect(outbox.events).toEqual([]);
    expect(audit.entries).toEqual([expect.objectContaining({ outcome: 'failure' })]);
  });

  it('rejects an account Partner Center refuses (no Admin Agent role) and stores nothing', async () => {
    const { grantS365, partnerCenter, admins } = setup();
    partnerCenter.answer = { outcome: 'not_admin_agent' };
    const error = await grantS365().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsentRefusedError);
    expect(error).toMatchObject({ code: 'CONSENT.ADMIN_AGENT_MISSING' });
    expect((error as Error).message).toContain('Admin Agent');
    expect(admins.rows.size).toBe(0);
  });

  it('rejects an indirect reseller by name of its provider, and stores nothing', async () => {
    const { grantS365, partnerCenter, admins } = setup();
    partnerCenter.answer = { outcome: 'indirect_reseller', providers: ['Tailspin Distribution'] };
    const error = await grantS365().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONSENT.INDIRECT_RESELLER' });
    expect((error as Error).message).toContain('buy through Tailspin Distribution');
    expect(admins.rows.size).toBe(0);
  });

  it('updates the existing delegated admin when the same account grants again, never duplicating it', async () => {
    const { grantS365, admins, tokens, outbox } = setup();
    const first = await grantS365();
    const second = await grantS365({ refreshToken: 'refresh-new', grantedBy: { userId: 'x', name: 'Another Admin' } });
    expect(second.id).toBe(first.id);
    expect(admins.rows.size).toBe(1);
    expect(await tokens.readForRotation(ORG, first.id)).toBe('refresh-new');
    expect(outbox.events.at(-1)?.payload).toMatchObject({ regranted: true });
  });

  it('refuses a re-grant signed in with another account', async () => {
    const { grantS365 } = setup();
    const admin = await grantS365();
    await expect(
      grantS365({
        regrantOf: admin.id,
        account: { ...account, objectId: 'bbbbbbbb-0000-0000-0000-000000000009', userPrincipalName: 'other@contoso-partners.example' },
      }),
    ).rejects.toThrow(/belongs to s365@contoso-partners.example/);
  });
});

describe('the token vault', () => {
  it('lets two concurrent token requests cause one refresh, and caches the access token', async () => {
    const { grantS365, vault, identity } = setup();
    const admin = await grantS365();
    const [a, b] = await Promise.all([vault.forPartnerCenter(ORG, admin.id), vault.forPartnerCenter(ORG, admin.id)]);
    expect(a).toBe(b);
    expect(identity.redemptions).toBe(1);
    await vault.forPartnerCenter(ORG, admin.id);
    expect(identity.redemptions).toBe(1);
  });

  it('stores the newest refresh token on every redemption for the partner’s own directory', async () => {
    const { grantS365, vault, tokens } = setup();
    const admin = await grantS365();
    await vault.forPartnerCenter(ORG, admin.id);
    expect(await tokens.readForRotation(ORG, admin.id)).toBe('refresh-1');
    await vault.forPartnerGraph(ORG, admin.id);
    expect(await tokens.readForRotation(ORG, admin.id)).toBe('refresh-2');
  });

  // Entra replaces a refresh token on each use without revoking the old one (FACTS.md §1.10): customer-directory
  // tokens are redeemed several at once with the stored token, which the partner-directory redemptions keep fresh.
  it('redeems customer-directory tokens with the stored refresh token without storing theirs, one redemption per customer at a time', async () => {
    const { grantS365, vault, tokens, identity } = setup();
    const admin = await grantS365();
    await vault.forPartnerCenter(ORG, admin.id);
    const before = identity.redemptions;

    const [first, second] = await Promise.all([
      vault.forGraph(ORG, admin.id, 'dddddddd-0000-0000-0000-000000000001'),
      vault.forGraph(ORG, admin.id, 'DDDDDDDD-0000-0000-0000-000000000001'),
    ]);

    expect(second).toBe(first);
    expect(identity.redemptions).toBe(before + 1);
    expect(await tokens.readForRotation(ORG, admin.id)).toBe('refresh-1');
  });

  // An import of 10,000 customers must not keep 10,000 tokens: memory stays flat with the number of customers.
  it('keeps the newest 1,000 customer-directory tokens and the partner’s own, redeeming an older customer’s again', async () => {
    const { grantS365, vault, identity } = setup();
    const admin = await grantS365();
    await vault.forPartnerCenter(ORG, admin.id);
    const customer = (n: number) => `dddddddd-0000-0000-0000-${String(n).padStart(12, '0')}`;
    await vault.forGraph(ORG, admin.id, customer(0));
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => vault.forGraph(ORG, admin.id, customer(i + 1))));
    const before = identity.redemptions;

    await vault.forGraph(ORG, admin.id, customer(1_000));
    await vault.forGraph(ORG, admin.id, customer(1));
    await vault.forPartnerCenter(ORG, admin.id);
    expect(identity.redemptions).toBe(before);

    await vault.forGraph(ORG, admin.id, customer(0));
    expect(identity.redemptions).toBe(before + 1);
  });

  it('reads the stored refresh token once for the customer-directory tokens of the next minute, again after forget', async () => {
    const { grantS365, vault, tokens, admins, clock } = setup();
    const admin = await grantS365();
    const reads = jest.spyOn(tokens, 'read');
    const lookups = jest.spyOn(admins, 'findById');
    const customer = (n: number) => `dddddddd-0000-0000-0000-00000000000${n}`;

    await Promise.all([1, 2, 3].map((n) => vault.forGraph(ORG, admin.id, customer(n))));
    await vault.forGraph(ORG, admin.id, customer(4));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(lookups).toHaveBeenCalledTimes(1);

    vault.forget(admin.id); // a removal or a re-grant
    await vault.forGraph(ORG, admin.id, customer(5));
    expect(reads).toHaveBeenCalledTimes(2);

    clock.current = new Date(clock.current.getTime() + 61 * 1000);
    await vault.forGraph(ORG, admin.id, customer(6));
    expect(reads).toHaveBeenCalledTimes(3);
  });

  it('refreshes again once the cached token is about to expire', async () => {
    const { grantS365, vault, identity, clock } = setup();
    const admin = await grantS365();
    await vault.forPartnerCenter(ORG, admin.id);
    clock.current = new Date(clock.current.getTime() + 56 * 60 * 1000);
    await vault.forPartnerCenter(ORG, admin.id);
    expect(identity.redemptions).toBe(2);
  });

  it.each([
    [700082, 'expired'],
    [50173, 'revoked'],
    [65001, 'missing or was removed'],
    [50076, 'multi-factor authentication'],
  ])('turns AADSTS%s into Needs re-consent with the reason in plain words', async (code, words) => {
    const { grantS365, vault, identity, admins, outbox } = setup();
    const admin = await grantS365();
    identity.refuseWith = new RefreshTokenRefusedError('invalid_grant', [code]);
    const error = await vault.forPartnerCenter(ORG, admin.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReconsentRequiredError);
    expect((await admins.findById(ORG, admin.id))?.status).toBe('needs_reconsent');
    expect((await admins.findById(ORG, admin.id))?.statusReason).toContain(words);
    expect(outbox.events.at(-1)).toMatchObject({ name: 'consent.reconsent-needed' });
  });

  it('refuses one customer’s token without touching the consent when Microsoft refuses that directory', async () => {
    const { grantS365, vault, identity, admins } = setup();
    const admin = await grantS365();
    identity.refuseWith = new RefreshTokenRefusedError('invalid_grant', [50020]);
    await expect(vault.forGraph(ORG, admin.id, 'dddddddd-0000-0000-0000-000000000002')).rejects.toMatchObject({
      code: 'CONSENT.CUSTOMER_TOKEN_REFUSED',
    });
    expect((await admins.findById(ORG, admin.id))?.status).toBe('active');
  });

  it.each([
    [53003, 'conditional_access', /blocks sign-ins by your service provider accounts/],
    [50076, 'conditional_access', /requires multi-factor authentication/],
    [53000, 'conditional_access', /compliant or managed device/],
    [65001, 'app_not_provisioned', /not set up in this customer yet/],
  ])('keeps AADSTS%i from a customer’s directory that customer’s (%s), with the cause in words', async (code, kind, words) => {
    const { grantS365, vault, identity, admins, outbox } = setup();
    const admin = await grantS365();
    const published = outbox.events.length;
    identity.refuseWith = new RefreshTokenRefusedError('invalid_grant', [code]);

    const error = await vault.forGraph(ORG, admin.id, 'dddddddd-0000-0000-0000-000000000002').catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'CONSENT.CUSTOMER_TOKEN_REFUSED', kind, aadstsCodes: [code] });
    expect((error as Error).message).toMatch(words);
    expect((await admins.findById(ORG, admin.id))?.status).toBe('active');
    expect(outbox.events.length).toBe(published);
  });

  it('still asks for re-consent when the partner’s own directory answers AADSTS53003', async () => {
    const { grantS365, vault, identity, admins } = setup();
    const admin = await grantS365();
    identity.refuseWith = new RefreshTokenRefusedError('invalid_grant', [53003]);
    await expect(vault.forPartnerCenter(ORG, admin.id)).rejects.toMatchObject({ code: 'CONSENT.RECONSENT_REQUIRED' });
    expect((await admins.findById(ORG, admin.id))?.status).toBe('needs_reconsent');
  });

  it('treats a revoked grant as the consent’s problem even when it shows on a customer’s token', async () => {
    const { grantS365, vault, identity, admins } = setup();
    const admin = await grantS365();
    identity.refuseWith = new RefreshTokenRefusedError('invalid_grant', [50173]);
    await expect(vault.forGraph(ORG, admin.id, 'dddddddd-0000-0000-0000-000000000002')).rejects.toMatchObject({
      code: 'CONSENT.RECONSENT_REQUIRED',
    });
    expect((await admins.findById(ORG, admin.id))?.status).toBe('needs_reconsent');
  });

  it('leaves the delegated admin as it is when Microsoft is only unavailable', async () => {
    const { grantS365, vault, identity, admins } = setup();
    const admin = await grantS365();
    identity.refuseWith = new Error('network down');
    await expect(vault.forPartnerCenter(ORG, admin.id)).rejects.toThrow('network down');
    expect((await admins.findById(ORG, admin.id))?.status).toBe('active');
  });

  it('never hands out a token of another organization’s delegated admin, even one already cached', async () => {
    const { grantS365, vault } = setup();
    const admin = await grantS365();
    const customer = 'dddddddd-0000-0000-0000-000000000001';
    await vault.forGraph(ORG, admin.id, customer);
    await expect(vault.forPartnerCenter('org-2', admin.id)).rejects.toMatchObject({ code: 'CONSENT.DELEGATED_ADMIN_NOT_FOUND' });
    await expect(vault.forGraph('org-2', admin.id, customer)).rejects.toMatchObject({ code: 'CONSENT.DELEGATED_ADMIN_NOT_FOUND' });
  });
});

describe('consent health and removal', () => {
  it('redeems tokens not rotated for two weeks and leaves fresh ones alone', async () => {
    const { grantS365, health, identity, clock, tokens } = setup();
    const admin = await grantS365();
    expect((await health.execute()).checked).toBe(0);
    clock.current = new Date(clock.current.getTime() + 15 * 24 * 3600 * 1000);
    expect(await health.execute()).toEqual({ checked: 1, renewed: 1, needReconsent: 0, unavailable: 0 });
    expect(identity.redemptions).toBe(1);
    expect(tokens.tokens.get(admin.id)?.rotatedAt).toEqual(clock.current);
  });

  it('leaves a connection re-granted at the same instant alone when an older import reports the refused consent, yet fails it for Partner Center’s own refusal', async () => {
    const { grantS365, admins, audit, clock } = setup();
    const record = new ImportOutcomeHandler(new RecordPartnerCenterAccessUseCase(admins, new ImmediateTransaction(), audit));
    const admin = await grantS365();
    const listRefused = (payload: Partial<CustomerListPayload>) =>
      record.onListRefused(
        integrationEvent<CustomerListPayload>(
          CUSTOMER_LIST_REFUSED,
          ORG,
          { importRunId: 'run-1', delegatedAdminId: admin.id, importStartedAt: clock.now().toISOString(), ...payload },
          clock.now(),
        ),
      );
    // The vault recorded the refused token as Needs re-consent already; the import that used it may end after a re-grant.
    await listRefused({ reason: 'Microsoft no longer accepts the stored consent (AADSTS9002313).', consentRefused: true });
    expect(admins.rows.get(admin.id)).toMatchObject({ status: 'active', statusReason: null });
    await listRefused({ reason: 'Partner Center refused the account: it has no Admin Agent role.' });
    expect(admins.rows.get(admin.id)).toMatchObject({ status: 'failed', statusReason: expect.stringContaining('Admin Agent') });
  });

  it('removes a delegated admin together with its tokens', async () => {
    const { grantS365, remove, admins, tokens, audit } = setup();
    const admin = await grantS365();
    await remove.execute({ organizationId: ORG, delegatedAdminId: admin.id, removedBy: grantedBy });
    expect(admins.rows.size).toBe(0);
    expect(tokens.tokens.size).toBe(0);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'consent.removed' });
  });
});
