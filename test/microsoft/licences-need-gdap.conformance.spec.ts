import { DEMO_CUSTOMERS, DEMO_IDS, DEMO_QUIRKS, ROLE_IDS } from '../../libs/microsoft-emulator/src';
import { SystemClock } from '../../src/shared/application/clock';
import { PartnerCenterDirectoryAdapter } from '../../src/modules/partner-center/infrastructure/microsoft/partner-center-directory.adapter';
import {
  callApi,
  CONTOSO,
  control,
  expectApiFault,
  graphToken,
  partnerSession,
  startTestEmulator,
  type PartnerSession,
  type TestEmulator,
} from '../emulator/support/emulator-test-kit';
import { EmulatorAccessTokens } from './support/emulator-access-tokens';

// FACTS.md §7a.3 (Learn "Get a list of available licenses", GDAP roles): Partner Center lists a customer's licences
// only for a partner user holding Directory Readers, Global Reader, User Administrator or License Administrator in that
// customer through GDAP. The subscriptions (commerce data) stay readable to the reseller.
const id = (key: string) => DEMO_CUSTOMERS[key].id;
const licences = (customerId: string) => `/v1/customers/${customerId}/subscribedskus`;

describe('rule: Partner Center licence reads need a GDAP role', () => {
  let env: TestEmulator;
  let s365: PartnerSession;

  beforeAll(async () => {
    env = await startTestEmulator();
  });
  afterAll(async () => {
    await env?.emulator.close();
  });
  // A reset restores the demo world (and forgets every token): each test signs in again.
  beforeEach(async () => {
    await control(env, 'POST', 'reset');
    s365 = await partnerSession(env, `s365@${CONTOSO}`);
  });

  // The relationship Contoso holds with a customer, found the way a partner would (Graph, partner directory).
  async function relationshipWith(customerKey: string): Promise<string> {
    const token = await graphToken(env, s365.refreshToken, DEMO_IDS.contosoTenant);
    const response = await callApi(
      env,
      `/v1.0/tenantRelationships/delegatedAdminRelationships?$filter=${encodeURIComponent(`customer/tenantId eq '${id(customerKey)}'`)}`,
      token,
    );
    const relationship = (response.body.value as { id: string; status: string }[]).find((r) => r.status === 'active');
    if (!relationship) throw new Error(`no active relationship with ${customerKey}`);
    return relationship.id;
  }

  async function grant(customerKey: string, roles: string[]): Promise<void> {
    const relationshipId = await relationshipWith(customerKey);
    expect((await control(env, 'PATCH', `gdap-relationships/${relationshipId}`, { accessAssignmentRoles: roles })).status).toBe(200);
  }

  describe('the local Microsoft refuses like Microsoft', () => {
    it.each(DEMO_QUIRKS.contoso.licencesUnreadable)(
      'refuses the licences of %s with 403 and an ApiFault, and still lists its subscriptions',
      async (key) => {
        const refused = await callApi(env, licences(id(key)), s365.partnerCenterToken);

        expectApiFault(refused, 403, 2032);
        expect(refused.body.description).toMatch(
          /GDAP role .*Directory Readers, Global Reader, User Administrator or License Administrator/,
        );
        expect(refused.headers.get('www-authenticate')).toMatch(/^OAuth realm=urn:cpsvc:cpid:/);
        const subscriptions = await callApi(env, `/v1/customers/${id(key)}/subscriptions`, s365.partnerCenterToken);
        expect(subscriptions.status).toBe(200);
        expect(subscriptions.body.items.length).toBeGreaterThan(0);
      },
    );

    it('lists the licences of a customer whose GDAP gives the account Global Reader', async () => {
      const listed = await callApi(env, licences(id('adatum')), s365.partnerCenterToken);

      expect(listed.status).toBe(200);
      expect(listed.body.items.length).toBeGreaterThan(0);
    });

    it.each([
      ['Directory Readers', ROLE_IDS.directoryReaders],
      ['Global Reader', ROLE_IDS.globalReader],
      ['User Administrator', ROLE_IDS.userAdministrator],
      ['License Administrator', ROLE_IDS.licenseAdministrator],
      ['Global Administrator (holds every permission of those)', ROLE_IDS.globalAdministrator],
    ])('lists them once the relationship grants %s alone', async (_name, role) => {
      await grant('southridge', [role]);

      expect((await callApi(env, licences(id('southridge')), s365.partnerCenterToken)).status).toBe(200);
    });

    it.each([
      ['Application Administrator', ROLE_IDS.applicationAdministrator],
      ['Helpdesk Administrator', ROLE_IDS.helpdeskAdministrator],
      ['Exchange Administrator', ROLE_IDS.exchangeAdministrator],
    ])('still refuses when the relationship grants only %s', async (_name, role) => {
      await grant('adatum', [role]);

      expectApiFault(await callApi(env, licences(id('adatum')), s365.partnerCenterToken), 403, 2032);
    });

    it('refuses once the relationship has expired, though its roles would do', async () => {
      const relationshipId = await relationshipWith('adatum');
      expect((await control(env, 'PATCH', `gdap-relationships/${relationshipId}`, { status: 'expired' })).status).toBe(200);

      expectApiFault(await callApi(env, licences(id('adatum')), s365.partnerCenterToken), 403, 2032);
    });
  });

  describe('Sync 365 against it (the real adapter)', () => {
    const adapter = () =>
      new PartnerCenterDirectoryAdapter(
        { microsoft: { partnerCenterBaseUrl: env.url, graphBaseUrl: env.url } },
        new EmulatorAccessTokens(env, s365),
        new SystemClock(),
        {
          http: { sleep: async () => undefined },
        },
      );

    it.each(DEMO_QUIRKS.contoso.licencesUnreadable)(
      'reads %s: licences "not readable: GDAP role missing" with the fix, subscriptions read, no failure',
      async (key) => {
        const read = await adapter().tenantLicences('org', 'admin', id(key));

        expect(read.licences).toEqual({
          unreadable: expect.stringMatching(
            /^GDAP role missing: Partner Center refused to list this customer's licences \(403, code 2032\).*Directory Readers, Global Reader, User Administrator or License Administrator/,
          ),
        });
        expect(read.subscriptions.length).toBeGreaterThan(0);
      },
    );

    it('reads the licences again as soon as the relationship grants License Administrator', async () => {
      await grant('southridge', [ROLE_IDS.licenseAdministrator, ROLE_IDS.applicationAdministrator]);

      const read = await adapter().tenantLicences('org', 'admin', id('southridge'));

      expect('skus' in read.licences && read.licences.skus.map((sku) => sku.skuPartNumber).sort()).toEqual([
        'EXCHANGESTANDARD',
        'TEAMS_ESSENTIALS_AAD',
      ]);
    });
  });
});
